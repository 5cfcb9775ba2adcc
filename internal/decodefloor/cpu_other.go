//go:build !unix

package decodefloor

import "time"

// CPU returns 0 where the process's CPU time is not available.
func CPU() time.Duration { return 0 }
