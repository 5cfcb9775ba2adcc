//go:build !unix

package walk

// oNonblock is 0 where there is no O_NONBLOCK: the mode check after the
// open still refuses what is not a regular file.
const oNonblock = 0
