package update

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bomrank/bomrank/internal/fetch"
)

// verifier checks a downloaded file (its part path) and returns what it
// found, to be kept in the file's state (e.g. its CRC32C).
type verifier func(path string, resp *fetch.Response) (FileState, error)

// file fetches url into the source's folder as rel, conditionally when
// the file is there with validators: a 304 counts it unchanged, a 200 is
// verified, renamed into place and recorded in the state at once (so an
// interrupted update does not fetch it again).
func (j *job) file(ctx context.Context, url, rel string, max int64, verify verifier) error {
	return j.fetchFile(ctx, url, rel, max, true, verify)
}

// fetchFile is file, conditional only when asked.
func (j *job) fetchFile(ctx context.Context, url, rel string, max int64, conditional bool, verify verifier) error {
	dest := filepath.Join(j.dir(), filepath.FromSlash(rel))
	req := fetch.Request{URL: url, MaxBytes: max}
	if fs := j.st.Files[rel]; conditional && fs != nil && fs.URL == url && exists(dest) {
		req.ETag, req.LastModified = fs.ETag, fs.LastModified
	}
	var got FileState
	resp, err := j.c.DownloadVerified(ctx, req, dest, func(path string, resp *fetch.Response) error {
		var err error
		got, err = verify(path, resp)
		if err != nil {
			return fmt.Errorf("%s: %w", url, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if resp.NotModified {
		j.res.Unchanged++
		return nil
	}
	got.URL, got.ETag, got.LastModified, got.Size, got.Fetched = url, resp.ETag, resp.LastModified, resp.Size, j.o.Now
	j.st.Files[rel] = &got
	j.res.Stored++
	return j.save()
}

func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// googCRC32C returns the crc32c value of an x-goog-hash header ("" when
// it gives none).
func googCRC32C(h string) string {
	for _, part := range strings.Split(h, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "crc32c="); ok {
			return v
		}
	}
	return ""
}

// fileCRC32C is the CRC32C (Castagnoli) of a file, base64 of its four
// big-endian bytes as x-goog-hash writes it.
func fileCRC32C(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], h.Sum32())
	return base64.StdEncoding.EncodeToString(b[:]), nil
}

// checkCRC32C compares a file with the CRC32C of the answer's
// x-goog-hash, when it gives one; ok says whether it did.
func checkCRC32C(path string, resp *fetch.Response) (sum string, ok bool, err error) {
	want := googCRC32C(resp.GoogHash)
	if want == "" {
		return "", false, nil
	}
	got, err := fileCRC32C(path)
	if err != nil {
		return "", false, err
	}
	if got != want {
		return "", false, fmt.Errorf("CRC32C %s, but x-goog-hash says %s: refused", got, want)
	}
	return got, true, nil
}

// keepOnly removes the files of dir other than keep (a single-file
// source whose URL, and so file name, changed).
func keepOnly(dir, keep string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != keep && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
