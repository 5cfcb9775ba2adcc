package update

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/internal/fetch"
)

// maxNVDFile caps an NVD file's uncompressed JSON when its .meta gives
// no size (the largest year, 2024, is about 430 MB in 2026).
const maxNVDFile = 4 << 30

// nvdMeta is what a feed file's .meta says about its uncompressed JSON.
type nvdMeta struct {
	size   int64
	sha256 string
}

// nvd fetches the year files from first_year to this year and the
// modified file, each checked against its .meta.
func (j *job) nvd(ctx context.Context) error {
	if j.o.NVDAPIKey != "" && !j.st.Fetched.IsZero() {
		return j.nvdAPI(ctx)
	}
	names := []string{}
	for y := j.src.firstYear; y <= j.o.Now.Year(); y++ {
		names = append(names, strconv.Itoa(y))
	}
	names = append(names, "modified")
	var errs []error
	for _, n := range names {
		if err := j.nvdFile(ctx, n); err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	checked := 0
	for _, fs := range j.st.Files {
		if fs.SHA256 != "" {
			checked++
		}
	}
	j.res.Verification = fmt.Sprintf("%d feed files checked against the SHA-256 and size of the uncompressed JSON in their .meta (same server: integrity, not authenticity)", checked)
	return errors.Join(errs...)
}

// nvdFile fetches one feed file unless its .meta says the stored one is
// current. A file stored by an update that died before recording it is
// recognised by its digest, and not fetched again.
func (j *job) nvdFile(ctx context.Context, name string) error {
	base := j.src.url + "/nvdcve-2.0-" + name
	mresp, err := j.c.Get(ctx, fetch.Request{URL: base + ".meta", MaxBytes: 4 << 10})
	if err != nil {
		return err
	}
	meta, err := parseMeta(string(mresp.Body))
	if err != nil {
		return fmt.Errorf("%s.meta: %w", base, err)
	}
	rel := "nvdcve-2.0-" + name + ".json.gz"
	dest := filepath.Join(j.dir(), rel)
	if fs := j.st.Files[rel]; fs != nil && strings.EqualFold(fs.SHA256, meta.sha256) && exists(dest) {
		j.res.Unchanged++
		return nil
	}
	if exists(dest) && checkGzip(dest, meta) == nil {
		st, _ := os.Stat(dest)
		j.st.Files[rel] = &FileState{URL: base + ".json.gz", SHA256: meta.sha256, Size: st.Size(), Fetched: j.o.Now}
		j.res.Unchanged++
		return j.save()
	}
	return j.fetchFile(ctx, base+".json.gz", rel, 0, false, func(p string, _ *fetch.Response) (FileState, error) {
		return FileState{SHA256: meta.sha256}, checkGzip(p, meta)
	})
}

// parseMeta reads a .meta file: "key:value" lines, of which sha256 (of
// the uncompressed JSON, hex) is required and size used when present.
func parseMeta(text string) (nvdMeta, error) {
	var m nvdMeta
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		switch k {
		case "sha256":
			m.sha256 = strings.ToUpper(v)
		case "size":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return m, fmt.Errorf("size %q is not a number of bytes", v)
			}
			m.size = n
		}
	}
	if b, err := hex.DecodeString(m.sha256); err != nil || len(b) != sha256.Size {
		return m, fmt.Errorf("no sha256 (64 hex digits) in it")
	}
	return m, nil
}

// checkGzip decompresses a feed file and compares its SHA-256 and size
// with the .meta's, reading no more than the size given.
func checkGzip(path string, m nvdMeta) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("not gzip: %v", err)
	}
	limit := m.size
	if limit == 0 {
		limit = maxNVDFile
	}
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(zr, limit+1))
	if err != nil {
		return fmt.Errorf("gzip: %v", err)
	}
	if n > limit {
		return fmt.Errorf("more than %d bytes uncompressed: refused", limit)
	}
	if m.size != 0 && n != m.size {
		return fmt.Errorf("%d bytes uncompressed, but the .meta says %d: refused", n, m.size)
	}
	if got := strings.ToUpper(hex.EncodeToString(h.Sum(nil))); got != m.sha256 {
		return fmt.Errorf("SHA-256 %s of the uncompressed JSON, but the .meta says %s: refused", got, m.sha256)
	}
	return nil
}
