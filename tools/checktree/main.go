// Command checktree fails when the repository tracks something that belongs
// outside it: a file over the size limit (1 MB by default) or an executable
// binary (ELF, Mach-O, PE, WebAssembly, or any file with the executable bit
// that holds NUL bytes). Build outputs go to bin/, which git ignores; a
// binary committed once stays in the history for ever, so `make lint` runs
// this before anything can be pushed.
//
//	checktree [--max-bytes 1048576]
//
// It reads the list of tracked files from `git ls-files -s -z`, run in the
// current directory, and prints one line per offending file.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

func main() {
	maxBytes := flag.Int64("max-bytes", 1<<20, "largest tracked file allowed, in bytes")
	flag.Parse()
	out, err := exec.Command("git", "ls-files", "-s", "-z").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "checktree: git ls-files:", err)
		os.Exit(2)
	}
	entries, err := parseLsFiles(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "checktree:", err)
		os.Exit(2)
	}
	var problems []string
	for _, e := range entries {
		p, err := checkFile(e, *maxBytes)
		if err != nil {
			fmt.Fprintln(os.Stderr, "checktree:", err)
			os.Exit(2)
		}
		if p != "" {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		fmt.Fprintln(os.Stderr, "tracked files that do not belong in git (build outputs go to bin/, large data outside the repository):")
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  "+p)
		}
		os.Exit(1)
	}
}

// entry is one line of `git ls-files -s`: the file's mode and path.
type entry struct {
	mode string
	path string
}

// parseLsFiles splits the NUL-separated output of `git ls-files -s -z`,
// whose records read "<mode> <object> <stage>\t<path>".
func parseLsFiles(out []byte) ([]entry, error) {
	var entries []entry
	for rec := range bytes.SplitSeq(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, path, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			return nil, fmt.Errorf("unexpected git ls-files record %q", rec)
		}
		mode, _, _ := bytes.Cut(meta, []byte{' '})
		entries = append(entries, entry{mode: string(mode), path: string(path)})
	}
	return entries, nil
}

// checkFile returns why the tracked file e must not be tracked, or "".
// A submodule (mode 160000) or a symlink (120000) is left alone, and so is
// a file deleted from the work tree but not yet from the index.
func checkFile(e entry, maxBytes int64) (string, error) {
	if e.mode == "160000" || e.mode == "120000" {
		return "", nil
	}
	f, err := os.Open(e.path)
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	head := make([]byte, 8000)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", fmt.Errorf("read %s: %w", e.path, err)
	}
	var why []string
	if kind := binaryKind(head[:n], e.mode == "100755"); kind != "" {
		why = append(why, kind)
	}
	if st.Size() > maxBytes {
		why = append(why, fmt.Sprintf("%d bytes, over the limit of %d", st.Size(), maxBytes))
	}
	if len(why) == 0 {
		return "", nil
	}
	return e.path + ": " + strings.Join(why, "; "), nil
}

// binaryKind names the kind of executable whose first bytes are head, or
// returns "". A file marked executable that holds a NUL byte near its start
// is an executable of some kind too, whatever its format.
func binaryKind(head []byte, executable bool) string {
	magics := []struct {
		prefix []byte
		kind   string
	}{
		{[]byte("\x7fELF"), "ELF executable"},
		{[]byte{0xfe, 0xed, 0xfa, 0xce}, "Mach-O executable"},
		{[]byte{0xfe, 0xed, 0xfa, 0xcf}, "Mach-O executable"},
		{[]byte{0xce, 0xfa, 0xed, 0xfe}, "Mach-O executable"},
		{[]byte{0xcf, 0xfa, 0xed, 0xfe}, "Mach-O executable"},
		{[]byte{0xca, 0xfe, 0xba, 0xbe}, "Mach-O universal executable"},
		{[]byte("MZ"), "Windows (PE) executable"},
		{[]byte("\x00asm"), "WebAssembly module"},
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, m.prefix) {
			return m.kind
		}
	}
	if executable && bytes.IndexByte(head, 0) >= 0 {
		return "executable binary"
	}
	return ""
}
