package mapfile

import "errors"

// ErrNotMapped is wrapped by Map's error when the file could not be
// mapped under a lease; the caller reads it instead.
var ErrNotMapped = errors.New("not mapped")
