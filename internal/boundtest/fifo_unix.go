//go:build unix

package boundtest

import "syscall"

// Mkfifo makes a named pipe at p.
func Mkfifo(p string) error { return syscall.Mkfifo(p, 0o644) }
