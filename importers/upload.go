package importers

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/richardlehane/mscfb"

	"chitieu/indicators"
)

// Limits bound what one upload may cost the server. The zip directory is
// checked against them before anything is inflated, and the zip reader
// refuses to inflate an entry beyond the size it declares, so a declared
// size is a real bound.
type Limits struct {
	MaxBytes    int64   // the upload itself (default 50 MB)
	MaxEntries  int     // entries in the zip directory (default 10,000)
	MaxUnzipped int64   // declared size of all entries together (UnzipSizeLimit; default 2 GiB)
	MaxPart     int64   // declared size of one entry, such as a worksheet (UnzipXMLSizeLimit; default 1 GiB)
	MaxInMemory int64   // declared size of a part read whole: shared strings, styles (default 256 MiB)
	MaxRatio    float64 // inflated ÷ compressed size of an entry over 1 MiB (default 200)
	MaxRows     int     // rows of a sheet (default 1,048,576, Excel's own limit)
}

// DefaultLimits are the limits of an upload when none are set.
var DefaultLimits = Limits{
	MaxBytes:    50 << 20,
	MaxEntries:  10000,
	MaxUnzipped: 2 << 30,
	MaxPart:     1 << 30,
	MaxInMemory: 256 << 20,
	MaxRatio:    200,
	MaxRows:     1 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes > 0 {
		d.MaxBytes = l.MaxBytes
	}
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxUnzipped > 0 {
		d.MaxUnzipped = l.MaxUnzipped
	}
	if l.MaxPart > 0 {
		d.MaxPart = l.MaxPart
	}
	if l.MaxInMemory > 0 {
		d.MaxInMemory = l.MaxInMemory
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.MaxRows > 0 {
		d.MaxRows = l.MaxRows
	}
	return d
}

// Upload is an uploaded file copied to a temporary folder of its own, with
// its SHA-256. Close removes the folder and everything in it.
type Upload struct {
	Name   string // the file's name as uploaded
	Path   string // the temporary copy
	Size   int64
	SHA256 string
	dir    string
}

// Receive copies r into a new temporary folder under tmpDir (the system's
// when empty), hashing it on the way, and refuses it past lim.MaxBytes.
func Receive(r io.Reader, name string, tmpDir string, lim Limits) (*Upload, error) {
	lim = lim.withDefaults()
	dir, err := os.MkdirTemp(tmpDir, "chitieu-upload-")
	if err != nil {
		if indicators.IsDiskFull(err) {
			return nil, fmt.Errorf("%w: %v", uploadDiskFull("", ""), err)
		}
		return nil, fmt.Errorf("importers: temporary folder: %w", err)
	}
	u := &Upload{Name: cleanFileName(name), dir: dir, Path: dir + string(os.PathSeparator) + "upload.xlsx"}
	f, err := os.OpenFile(u.Path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		u.Close()
		if indicators.IsDiskFull(err) {
			return nil, fmt.Errorf("%w: %v", uploadDiskFull("", ""), err)
		}
		return nil, fmt.Errorf("importers: temporary file: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, lim.MaxBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		u.Close()
		if indicators.IsDiskFull(err) {
			return nil, fmt.Errorf("%w: %v", uploadDiskFull("", ""), err)
		}
		return nil, fmt.Errorf("importers: copy upload %s: %w", u.Name, err)
	}
	if n > lim.MaxBytes {
		u.Close()
		return nil, indicators.FieldError(indicators.ETOOLARGE, "file",
			fmt.Sprintf("tệp %s lớn hơn giới hạn %s", u.Name, byteSize(lim.MaxBytes)),
			fmt.Sprintf("file %s is larger than the limit of %d bytes", u.Name, lim.MaxBytes))
	}
	u.Size, u.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	return u, nil
}

// ReceiveFile is Receive for a file on disk.
func ReceiveFile(filePath, tmpDir string, lim Limits) (*Upload, error) {
	f, err := os.Open(filePath)
	if err != nil {
		return nil, indicators.FieldError(indicators.EINVALID, "file", fmt.Sprintf("không mở được tệp %s: %v", filePath, err),
			fmt.Sprintf("cannot open %s: %v", filePath, err))
	}
	defer f.Close()
	return Receive(f, path.Base(strings.ReplaceAll(filePath, `\`, "/")), tmpDir, lim)
}

// Open opens the temporary copy for reading.
func (u *Upload) Open() (*os.File, error) { return os.Open(u.Path) }

// Close removes the temporary copy and anything else in its folder.
func (u *Upload) Close() error {
	if u == nil || u.dir == "" {
		return nil
	}
	err := os.RemoveAll(u.dir)
	u.dir = ""
	return err
}

func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		return "upload.xlsx"
	}
	return name
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return indicators.FormatTrim(float64(n)/(1<<30), 1, "vi") + " GB"
	case n >= 1<<20:
		return indicators.FormatTrim(float64(n)/(1<<20), 1, "vi") + " MB"
	case n >= 1<<10:
		return indicators.FormatTrim(float64(n)/(1<<10), 1, "vi") + " KB"
	}
	return fmt.Sprintf("%d byte", n)
}

// fileError is a refused file: the message says what is wrong and what to do.
func fileError(code, name, vi, en string) error {
	return indicators.FieldError(code, "file", fmt.Sprintf("tệp %s: %s", name, vi), fmt.Sprintf("file %s: %s", name, en))
}

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06"), []byte("PK\x07\x08")}
)

// sniff refuses what is not an .xlsx before any zip parsing, with a message
// for each kind of file planners are known to upload by mistake.
func sniff(f *os.File, name string, size int64) error {
	head := make([]byte, 1024)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("importers: read %s: %w", name, err)
	}
	head = head[:n]
	switch {
	case size == 0:
		return fileError(indicators.EINVALID, name, "tệp rỗng (0 byte); hãy chọn lại tệp Excel đã lưu",
			"the file is empty")
	case bytes.HasPrefix(head, oleMagic):
		if encryptedOLE(f) {
			return fileError(indicators.EINVALID, name,
				"sổ làm việc được bảo vệ bằng mật khẩu nên không đọc được; hãy mở trong Excel, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa trống), lưu lại rồi tải lên",
				"the workbook is password-protected; remove the password in Excel, save and upload again")
		}
		return fileError(indicators.EINVALID, name,
			"đây là định dạng Excel 97–2003 (.xls) cũ, chitieu chỉ đọc .xlsx; hãy mở tệp trong Excel, chọn Lưu thành (Save As) → Sổ làm việc Excel (.xlsx) rồi tải lên tệp .xlsx",
			"this is a legacy Excel 97–2003 (.xls) file; save it as .xlsx in Excel and upload that")
	}
	for _, m := range zipMagic {
		if bytes.HasPrefix(head, m) {
			return nil
		}
	}
	text := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n"))
	switch {
	case bytes.HasPrefix(text, []byte("<")) && (bytes.Contains(text, []byte("<html")) || bytes.Contains(text, []byte("<table")) ||
		bytes.Contains(text, []byte("<!doctype"))):
		return fileError(indicators.EINVALID, name,
			"đây là trang HTML được đặt tên .xlsx (thường do phần mềm \"xuất Excel\" tạo ra), không phải sổ làm việc Excel; hãy mở trong Excel, chọn Lưu thành → Sổ làm việc Excel (.xlsx) rồi tải lên",
			"this is an HTML page renamed .xlsx; open it in Excel and save it as .xlsx")
	case bytes.HasPrefix(text, []byte("<?xml")):
		return fileError(indicators.EINVALID, name,
			"đây là tệp XML (có thể là Bảng tính XML 2003), không phải .xlsx; hãy mở trong Excel, chọn Lưu thành → Sổ làm việc Excel (.xlsx) rồi tải lên",
			"this is an XML file, not .xlsx; save it as .xlsx in Excel")
	case looksLikeText(head):
		return fileError(indicators.EINVALID, name,
			"đây là tệp văn bản (CSV) được đặt tên .xlsx, không phải sổ làm việc Excel; hãy mở trong Excel, chọn Lưu thành → Sổ làm việc Excel (.xlsx) rồi tải lên",
			"this is a text (CSV) file renamed .xlsx; open it in Excel and save it as .xlsx")
	}
	return fileError(indicators.EINVALID, name,
		"không phải tệp Excel .xlsx (không nhận ra định dạng); hãy lưu bảng tính dưới dạng Sổ làm việc Excel (.xlsx)",
		"not an .xlsx workbook")
}

// looksLikeText reports whether the first bytes read as text — UTF-8 or a
// legacy code page — with no control character but line ends and tabs.
func looksLikeText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return len(b) > 0
}

// encryptedOLE reports whether an OLE2 compound file is an encrypted Office
// Open XML package (the form Excel saves a password-protected .xlsx in).
func encryptedOLE(f *os.File) bool {
	doc, err := mscfb.New(f)
	if err != nil {
		return false
	}
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		if entry.Name == "EncryptedPackage" || entry.Name == "EncryptionInfo" {
			return true
		}
	}
	return false
}

// checkZip checks the zip directory against the limits, before anything is
// inflated: entry count, declared sizes and compression ratios.
func checkZip(zr *zip.Reader, name string, lim Limits) error {
	if len(zr.File) > lim.MaxEntries {
		return fileError(indicators.ETOOLARGE, name,
			fmt.Sprintf("tệp nén chứa %d mục, quá giới hạn %d; đây không phải sổ làm việc Excel bình thường", len(zr.File), lim.MaxEntries),
			fmt.Sprintf("the zip holds %d entries, over the limit of %d", len(zr.File), lim.MaxEntries))
	}
	var total uint64
	for _, e := range zr.File {
		size := e.UncompressedSize64
		total += size
		switch {
		case size > uint64(lim.MaxPart):
			return fileError(indicators.ETOOLARGE, name,
				fmt.Sprintf("mục %s khai báo %s khi giải nén, vượt giới hạn %s cho một phần; tệp bị hỏng hoặc được tạo để làm quá tải máy chủ",
					e.Name, byteSize(int64(min(size, 1<<62))), byteSize(lim.MaxPart)),
				fmt.Sprintf("entry %s declares %d bytes unpacked, over the limit", e.Name, size))
		case total > uint64(lim.MaxUnzipped):
			return fileError(indicators.ETOOLARGE, name,
				fmt.Sprintf("tệp khai báo %s khi giải nén, vượt giới hạn %s; tệp bị hỏng hoặc được tạo để làm quá tải máy chủ",
					byteSize(int64(min(total, 1<<62))), byteSize(lim.MaxUnzipped)),
				fmt.Sprintf("the zip declares %d bytes unpacked, over the limit", total))
		case size > 1<<20 && (e.CompressedSize64 == 0 || float64(size)/float64(e.CompressedSize64) > lim.MaxRatio):
			return fileError(indicators.ETOOLARGE, name,
				fmt.Sprintf("mục %s nén với tỷ lệ bất thường (%s → %s), dấu hiệu của \"bom zip\"; tệp bị từ chối",
					e.Name, byteSize(int64(e.CompressedSize64)), byteSize(int64(size))),
				fmt.Sprintf("entry %s has an abnormal compression ratio (a zip bomb)", e.Name))
		}
	}
	return nil
}
