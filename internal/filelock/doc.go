// Package filelock is the one advisory file lock of bomrank's writers
// (`db build`, `db import`, `db update`'s staging area): exclusive and
// non-blocking, flock on Unix and LockFileEx on Windows, so the lock goes
// with the process and a writer that dies leaves none behind; elsewhere
// a file created exclusively, which a dead writer leaves to be removed by
// hand. Readers (scans) never lock.
package filelock

import "errors"

// ErrLocked is returned by TryLock when another holder has the lock.
var ErrLocked = errors.New("held by another process")
