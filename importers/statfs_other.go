//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package importers

// freeBytes is unknown here: -1, and no check is made.
func freeBytes(string) (int64, error) { return -1, nil }
