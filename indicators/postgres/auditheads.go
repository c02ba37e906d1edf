package postgres

import (
	"bufio"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"chitieu/indicators"
)

// The heads file lies beside the audit key (chitieu.heads), one per
// server, and grows by one line at every commit of that server that adds
// audit events: the moment, the kind of line, the sequence number and hash
// of the chain's last event, and a note. Several servers each hold the
// heads of their own commits, which is enough: a tail cut off behind any
// one of them no longer matches its file. It is only ever appended to (an operator may make it so with
// chattr +a), so events cut from the end of the trail, or a trail rewritten
// under the key, no longer match it. A restore is a line of its own: the
// trail may then go back to an older head without that being tampering.

// Kinds of heads-file lines.
const (
	recordCommit  = "commit"
	recordKey     = "key"
	recordBackup  = "backup"
	recordRestore = "restore"
)

// headsFile appends heads. Commits of one process are written in order of
// their sequence; a line older than the last one written is left out,
// since the newer head covers it.
type headsFile struct {
	path string
	log  *slog.Logger
	now  func() time.Time

	mu   sync.Mutex
	f    *os.File
	last int64
}

// commit records the head after a commit, unless this process has
// recorded it or a later one already.
func (h *headsFile) commit(seq int64, hash string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if seq <= h.last {
		return
	}
	h.appendLocked(recordCommit, seq, hash, "")
}

// record appends a line of any kind. The commit is already made when a
// head is recorded, so a failure to record is logged, not returned: a head
// missing from the file weakens the check of the tail but raises no false
// alarm.
func (h *headsFile) record(kind string, seq int64, hash, note string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.appendLocked(kind, seq, hash, note)
}

func (h *headsFile) appendLocked(kind string, seq int64, hash, note string) {
	if h.f == nil {
		f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			h.log.Error("cannot open the audit heads file", "file", h.path, "err", err)
			return
		}
		h.f = f
	}
	note = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, note)
	line := fmtTime(h.now()) + "\t" + kind + "\t" + strconv.FormatInt(seq, 10) + "\t" + hash + "\t" + note + "\n"
	// One write call with O_APPEND: lines of two processes (the server
	// and a command) never interleave.
	if _, err := h.f.WriteString(line); err != nil {
		h.log.Error("cannot record the audit chain's head", "file", h.path, "seq", seq, "err", err)
		return
	}
	if seq > h.last {
		h.last = seq
	}
}

func (h *headsFile) close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.f == nil {
		return nil
	}
	err := h.f.Close()
	h.f = nil
	return err
}

// headRecords are the lines of a heads file, in file order.
type headRecords []indicators.RecordedHead

// readHeads reads the heads file at path; a line it cannot read is an
// error naming the line.
func readHeads(path string) (headRecords, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out headRecords
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if sc.Text() == "" {
			continue
		}
		parts := strings.SplitN(sc.Text(), "\t", 5)
		if len(parts) < 4 {
			return out, indicators.FieldError(indicators.EINVALID, "",
				fmt.Sprintf("tệp đầu chuỗi %s, dòng %d: không đọc được", path, n), fmt.Sprintf("heads file %s, line %d: cannot be read", path, n))
		}
		seq, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return out, indicators.FieldError(indicators.EINVALID, "",
				fmt.Sprintf("tệp đầu chuỗi %s, dòng %d: số thứ tự %q không hợp lệ", path, n, parts[2]),
				fmt.Sprintf("heads file %s, line %d: sequence %q is not valid", path, n, parts[2]))
		}
		r := indicators.RecordedHead{At: parseTime(parts[0]), Kind: parts[1], Seq: seq, Hash: parts[3]}
		if len(parts) == 5 {
			r.Note = parts[4]
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("postgres: read heads file %s: %w", path, err)
	}
	return out, nil
}

// lastSegment is the lines from the last restore on: before a restore the
// file speaks of a trail the restore replaced. Backup lines speak of the
// copy and are left out.
func lastSegment(rs headRecords) headRecords {
	start := 0
	for i, r := range rs {
		if r.Kind == recordRestore {
			start = i
		}
	}
	var out headRecords
	for _, r := range rs[start:] {
		if r.Kind != recordBackup {
			out = append(out, r)
		}
	}
	return out
}

// restores are the restore lines.
func (rs headRecords) restores() []indicators.RecordedHead {
	var out []indicators.RecordedHead
	for _, r := range rs {
		if r.Kind == recordRestore {
			out = append(out, r)
		}
	}
	return out
}
