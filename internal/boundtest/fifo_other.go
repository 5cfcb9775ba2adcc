//go:build !unix

package boundtest

import "errors"

// Mkfifo makes a named pipe at p; there are none here, so tests that
// need one skip.
func Mkfifo(p string) error { return errors.New("no named pipes on this system") }
