//go:build linux || darwin || freebsd || netbsd || openbsd

package importers

import "syscall"

// freeBytes is the space left to an unprivileged writer on the file
// system that holds dir.
func freeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}
