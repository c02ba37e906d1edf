package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBinaryKind(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		head       []byte
		executable bool
		want       string
	}{
		{"elf", []byte("\x7fELF\x02\x01\x01\x00"), false, "ELF executable"},
		{"mach-o 64", []byte{0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1}, false, "Mach-O executable"},
		{"pe", []byte("MZ\x90\x00\x03"), false, "Windows (PE) executable"},
		{"wasm", []byte("\x00asm\x01\x00\x00\x00"), false, "WebAssembly module"},
		{"shell script", []byte("#!/usr/bin/env bash\necho hi\n"), true, ""},
		{"executable with NUL", []byte("\x01\x02\x00\x03"), true, "executable binary"},
		{"data with NUL, not executable", []byte("PK\x03\x04\x00\x00"), false, ""},
		{"go source", []byte("package main\n"), false, ""},
	}
	for _, c := range cases {
		if got := binaryKind(c.head, c.executable); got != c.want {
			t.Errorf("%s: binaryKind = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCheckFileSizeLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, []byte(strings.Repeat("a", 101)), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := checkFile(entry{mode: "100644", path: big}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "101 bytes, over the limit of 100") {
		t.Errorf("checkFile(101-byte file, limit 100) = %q, want the size named", got)
	}
	got, err = checkFile(entry{mode: "100644", path: big}, 101)
	if err != nil || got != "" {
		t.Errorf("checkFile(101-byte file, limit 101) = %q, %v; want no problem", got, err)
	}
}

func TestParseLsFiles(t *testing.T) {
	t.Parallel()
	out := []byte("100755 f4cb 0\t.ci/run\x00100644 abcd 0\tdir/a b.go\x00")
	got, err := parseLsFiles(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []entry{{"100755", ".ci/run"}, {"100644", "dir/a b.go"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("parseLsFiles = %v, want %v", got, want)
	}
}
