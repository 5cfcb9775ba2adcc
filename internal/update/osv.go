package update

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/internal/fetch"
)

// maxEcosystems caps what ecosystems.txt may list (osv.dev lists about
// 40 in 2026).
const maxEcosystems = 1000

// osv fetches ecosystems.txt, then each wanted ecosystem's all.zip.
func (j *job) osv(ctx context.Context) error {
	ecos, errs := j.ecosystems(ctx)
	if ecos == nil && len(errs) > 0 {
		return errors.Join(errs...)
	}
	for _, eco := range ecos {
		u := j.src.url + "/" + url.PathEscape(eco) + "/all.zip"
		if done, err := j.resumeOSV(ctx, u, ecoDir(eco)+"/all.zip"); done || err != nil {
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		err := j.file(ctx, u, ecoDir(eco)+"/all.zip", 0, func(p string, resp *fetch.Response) (FileState, error) {
			sum, _, err := checkCRC32C(p, resp)
			if err == nil {
				err = checkZip(p)
			}
			return FileState{CRC32C: sum}, err
		})
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		j.prune(ecos)
	}
	j.res.Verification = j.osvVerification(ecos)
	return errors.Join(errs...)
}

// resumeOSV recognises an archive stored by an update that died before
// recording it: when the bucket's CRC32C (a HEAD) is the stored file's,
// it is recorded and not fetched again. done is false when there is
// nothing to resume.
func (j *job) resumeOSV(ctx context.Context, u, rel string) (done bool, err error) {
	dest := filepath.Join(j.dir(), filepath.FromSlash(rel))
	if j.st.Files[rel] != nil || !exists(dest) {
		return false, nil
	}
	resp, err := j.c.Head(ctx, fetch.Request{URL: u})
	if err != nil {
		return false, err
	}
	want := googCRC32C(resp.GoogHash)
	if got, cerr := fileCRC32C(dest); want == "" || cerr != nil || got != want || checkZip(dest) != nil {
		return false, nil
	}
	st, _ := os.Stat(dest)
	j.st.Files[rel] = &FileState{URL: u, ETag: resp.ETag, LastModified: resp.LastModified, CRC32C: want, Size: st.Size(), Fetched: j.o.Now}
	j.res.Unchanged++
	return true, j.save()
}

// ecosystems returns the ecosystems to fetch: those configured that
// ecosystems.txt lists (the others are errors), else every one it lists.
func (j *job) ecosystems(ctx context.Context) ([]string, []error) {
	u := j.src.url + "/ecosystems.txt"
	resp, err := j.c.Get(ctx, fetch.Request{URL: u, MaxBytes: 1 << 20})
	if err != nil {
		return nil, []error{err}
	}
	var listed []string
	for _, line := range strings.Split(string(resp.Body), "\n") {
		name := strings.TrimSpace(line)
		if name == "" {
			continue
		}
		if err := checkEcosystem(name); err != nil {
			return nil, []error{fmt.Errorf("%s: %w", u, err)}
		}
		listed = append(listed, name)
	}
	if len(listed) == 0 || len(listed) > maxEcosystems {
		return nil, []error{fmt.Errorf("%s: lists %d ecosystems (1 to %d expected)", u, len(listed), maxEcosystems)}
	}
	if len(j.src.ecosystems) == 0 {
		return listed, nil
	}
	var want []string
	var errs []error
	for _, e := range j.src.ecosystems {
		if slices.Contains(listed, e) {
			want = append(want, e)
		} else {
			errs = append(errs, fmt.Errorf("ecosystem %q: not listed in %s (names are case-sensitive)", e, u))
		}
	}
	return want, errs
}

// checkEcosystem refuses names that could not be a folder of their own.
func checkEcosystem(name string) error {
	if len(name) > 100 || name == "." || name == ".." || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("%q is not an ecosystem name", name)
	}
	return nil
}

// ecoDir is an ecosystem's folder name: the name with every byte but
// letters, digits, '.', '-' and '_' written %XX (reversible, so two
// ecosystems never share a folder).
func ecoDir(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// checkZip opens a downloaded archive's central directory.
func checkZip(p string) error {
	r, err := zip.OpenReader(p)
	if err != nil {
		return fmt.Errorf("not a readable zip archive: %v", err)
	}
	return r.Close()
}

// prune removes the folders (and state) of ecosystems no longer wanted.
func (j *job) prune(ecos []string) {
	keep := map[string]bool{}
	for _, e := range ecos {
		keep[ecoDir(e)] = true
	}
	entries, _ := os.ReadDir(j.dir())
	for _, e := range entries {
		if !keep[e.Name()] {
			os.RemoveAll(filepath.Join(j.dir(), e.Name()))
		}
	}
	for rel := range j.st.Files {
		if !keep[path.Dir(rel)] {
			delete(j.st.Files, rel)
		}
	}
}

// osvVerification says how many of the stored archives were checked
// against a CRC32C.
func (j *job) osvVerification(ecos []string) string {
	var with, without int
	for _, e := range ecos {
		fs := j.st.Files[ecoDir(e)+"/all.zip"]
		switch {
		case fs == nil:
		case fs.CRC32C != "":
			with++
		default:
			without++
		}
	}
	s := fmt.Sprintf("%d all.zip checked against the CRC32C of x-goog-hash (same server: integrity, not authenticity)", with)
	if without > 0 {
		s += fmt.Sprintf("; %d without any checksum (the server sent none)", without)
	}
	return s
}
