package advisory

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"strings"
)

// ErrChecksum means a CSAF document does not match the .sha256 or .sha512
// file published beside it.
var ErrChecksum = errors.New("checksum mismatch")

// verifyChecksum checks raw, the bytes of the file at path as read (before
// any gzip decompression: the digest is of the file as published), against
// path+".sha256" and path+".sha512" when they exist. The files hold the
// hex digest, optionally followed by white space and the file name
// (sha256sum format). Only the checksum files are read here, never the
// document again: what is checked is what was parsed.
func verifyChecksum(raw []byte, path string) error {
	for _, c := range []struct {
		ext string
		h   func() hash.Hash
	}{{".sha256", sha256.New}, {".sha512", sha512.New}} {
		sum, err := os.ReadFile(path + c.ext)
		if err != nil {
			continue // absent
		}
		fields := strings.Fields(string(sum))
		if len(fields) == 0 {
			return fmt.Errorf("%w: %s%s is empty", ErrChecksum, path, c.ext)
		}
		h := c.h()
		h.Write(raw)
		got := hex.EncodeToString(h.Sum(nil))
		if !strings.EqualFold(fields[0], got) {
			return fmt.Errorf("%w: %s%s gives %s, the file's digest is %s", ErrChecksum, path, c.ext, fields[0], got)
		}
	}
	return nil
}
