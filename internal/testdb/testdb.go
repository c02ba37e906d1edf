// Package testdb hands each test a database of its own holding the built-in
// catalogue, fast: the database is migrated and the catalogue loaded once
// per test binary, into a template file, and each test gets a copy of that
// file (PocketBase's cloned test data). Migrating and loading the
// catalogue took most of the time of a short test; copying a file of a few
// hundred kilobytes takes a millisecond.
//
// A package that uses it removes the templates when its tests end:
//
//	func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
package testdb

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"chitieu/indicators/catalog"
	"chitieu/indicators/sqlite"
)

// template is one template database, made on first use.
type template struct {
	once sync.Once
	path string
	err  error
}

var (
	dirOnce   sync.Once
	dir       string
	dirErr    error
	mu        sync.Mutex
	templates = map[string]*template{}
)

// Main runs the tests of m and removes the templates; a package's TestMain
// calls it.
func Main(m *testing.M) int {
	code := m.Run()
	if dir != "" {
		os.RemoveAll(dir)
	}
	return code
}

// Builtin opens, for t alone, a migrated database holding the built-in
// catalogue with its values. It is closed when t ends.
func Builtin(t testing.TB, opts ...sqlite.Option) *sqlite.DB {
	t.Helper()
	return open(t, Path(t, true), opts)
}

// BuiltinNoValues is Builtin without the catalogue's values, so that every
// value a test imports is new.
func BuiltinNoValues(t testing.TB, opts ...sqlite.Option) *sqlite.DB {
	t.Helper()
	return open(t, Path(t, false), opts)
}

// Path copies the template (with the catalogue's values or without) into
// t's temporary folder and returns the copy's path, for a test that opens
// the database itself or hands it to a command.
func Path(t testing.TB, values bool) string {
	t.Helper()
	return Clone(t, fmt.Sprintf("builtin-values-%v", values), func(path string) error { return buildBuiltin(path, values) })
}

// Clone copies into t's temporary folder the template database called
// name, which build makes at the path it is given the first time a test of
// the binary asks for that name, and returns the copy's path. A package
// whose tests all start from the same data of their own (a catalogue
// loaded at a given moment, entries made since) builds it once this way
// instead of once per test. build must close the database before it
// returns, so that the one file holds everything.
func Clone(t testing.TB, name string, build func(path string) error) string {
	t.Helper()
	mu.Lock()
	tpl := templates[name]
	if tpl == nil {
		tpl = &template{}
		templates[name] = tpl
	}
	mu.Unlock()
	tpl.once.Do(func() { tpl.path, tpl.err = buildTemplate(name, build) })
	if tpl.err != nil {
		t.Fatalf("testdb: %v", tpl.err)
	}
	dst := filepath.Join(t.TempDir(), "chitieu.db")
	if err := copyFile(tpl.path, dst); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	// The audit chain is keyed with a file beside the database and its
	// heads are appended to another: the copy takes both, as a backup does.
	for _, side := range []string{".key", ".heads"} {
		if _, err := os.Stat(tpl.path + side); err != nil {
			continue
		}
		if err := copyFile(tpl.path+side, dst+side); err != nil {
			t.Fatalf("testdb: %v", err)
		}
	}
	return dst
}

// buildTemplate builds the template called name in the templates' folder.
func buildTemplate(name string, build func(path string) error) (string, error) {
	dirOnce.Do(func() { dir, dirErr = os.MkdirTemp("", "chitieu-testdb-") })
	if dirErr != nil {
		return "", fmt.Errorf("template folder: %w", dirErr)
	}
	path := filepath.Join(dir, name+".db")
	if err := build(path); err != nil {
		return "", fmt.Errorf("make template %s: %w", name, err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + side); err == nil {
			return "", fmt.Errorf("template %s kept its %s file after building: close the database in build", path, side)
		}
	}
	return path, nil
}

func open(t testing.TB, path string, opts []sqlite.Option) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("testdb: open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// buildBuiltin makes a template: a database migrated and loaded with the
// built-in catalogue, then closed, so that its write-ahead log is folded
// into the one file that is copied.
func buildBuiltin(path string, values bool) error {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	cat, err := catalog.Builtin()
	if err != nil {
		db.Close()
		return fmt.Errorf("built-in catalogue: %w", err)
	}
	if !values {
		cat.Values = nil
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		db.Close()
		return fmt.Errorf("load the built-in catalogue: %w", err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy template: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("copy template: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy template to %s: %w", dst, err)
	}
	return out.Close()
}
