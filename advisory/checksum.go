package advisory

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"strings"

	"github.com/bomrank/bomrank/internal/walk"
)

// ErrChecksum means a CSAF document does not match the .sha256 or .sha512
// file published beside it, or that such a file is there but cannot be
// read (a directory, a dangling symbolic link, a named pipe, a device,
// too large): the document is not verified, so it is not read.
var ErrChecksum = errors.New("checksum mismatch")

// maxChecksumBytes caps a checksum file: a hex digest and a file name.
const maxChecksumBytes = 4 << 10

// verifyChecksum checks raw, the bytes of the file at path as read (before
// any gzip decompression: the digest is of the file as published), against
// path+".sha256" and path+".sha512" when they exist. The files hold the
// hex digest, optionally followed by white space and the file name
// (sha256sum format), optionally after a UTF-8 byte order mark. Only the
// checksum files are read here, never the document again: what is checked
// is what was parsed. A checksum file is read with walk.Open's rule
// (regular files only, without blocking, at most 4 KiB); only a name
// that is not there at all (os.Lstat fails with fs.ErrNotExist) means
// "no checksum": anything else in its place is an error.
func verifyChecksum(raw []byte, path string) error {
	for _, c := range []struct {
		ext string
		h   func() hash.Hash
	}{{".sha256", sha256.New}, {".sha512", sha512.New}} {
		name := path + c.ext
		sum, err := walk.ReadFile(name, maxChecksumBytes)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if _, lerr := os.Lstat(name); errors.Is(lerr, fs.ErrNotExist) {
					continue // absent
				}
				err = errors.New("a dangling symbolic link")
			}
			return fmt.Errorf("%w: %s cannot be read: %w", ErrChecksum, name, err)
		}
		sum = bytes.TrimPrefix(sum, []byte("\xef\xbb\xbf"))
		fields := strings.Fields(string(sum))
		if len(fields) == 0 {
			return fmt.Errorf("%w: %s is empty", ErrChecksum, name)
		}
		h := c.h()
		h.Write(raw)
		got := hex.EncodeToString(h.Sum(nil))
		if !strings.EqualFold(fields[0], got) {
			return fmt.Errorf("%w: %s gives %q, the file's digest is %s", ErrChecksum, name, fields[0], got)
		}
	}
	return nil
}
