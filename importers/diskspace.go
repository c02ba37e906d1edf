package importers

import (
	"fmt"
	"os"

	"chitieu/indicators"
)

// uploadSpare is kept free beyond an upload's own size in the temporary
// folder, for the workbook's parts unpacked while it is read.
const uploadSpare = 8 << 20

// FreeSpace is the room left on the file system of dir ("" is the
// system's temporary folder), in bytes; -1 where the system cannot tell.
func FreeSpace(dir string) (int64, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	n, err := freeBytes(dir)
	if err != nil {
		return -1, fmt.Errorf("importers: free space of %s: %w", dir, err)
	}
	return n, nil
}

// CheckRoom refuses an upload of size bytes that the temporary folder dir
// has no room for, before a byte of it is copied.
func CheckRoom(dir string, size int64) error {
	free, err := FreeSpace(dir)
	if err != nil || free < 0 || size <= 0 {
		return nil // unknown: the copy itself will say if the disk fills
	}
	if need := size + uploadSpare; free < need {
		return uploadDiskFull(fmt.Sprintf("tệp cần khoảng %s, thư mục tạm chỉ còn %s trống", mb(need, "vi"), mb(free, "vi")),
			fmt.Sprintf("the file needs about %s and the temporary folder has %s free", mb(need, "en"), mb(free, "en")))
	}
	return nil
}

// uploadDiskFull is the error of an upload the temporary folder has no
// room for.
func uploadDiskFull(why, whyEN string) *indicators.Error {
	e := indicators.DiskFull("tệp tải lên vào thư mục tạm", "the upload into the temporary folder", why, whyEN)
	e.Field = "file"
	return e
}

func mb(n int64, lang string) string {
	return indicators.FormatTrim(float64(n)/(1<<20), 1, lang) + " MB"
}
