package update

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/fetch"
)

// safeName is a file name a URL may give its single file.
var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$`)

// single fetches a one-file source (KEV, EPSS), conditionally, and reads
// it as what it must be: no checksum is published for either.
func (j *job) single(ctx context.Context) error {
	name := j.src.kind + ".data"
	if u, err := url.Parse(j.src.url); err == nil && safeName.MatchString(path.Base(u.Path)) {
		name = path.Base(u.Path)
	}
	var summary string
	err := j.file(ctx, j.src.url, name, 0, func(p string, _ *fetch.Response) (FileState, error) {
		var err error
		summary, err = j.parseSingle(p)
		return FileState{}, err
	})
	if err != nil {
		return err
	}
	keepOnly(j.dir(), name)
	if summary == "" { // unchanged: say what the stored file holds
		summary, _ = j.parseSingle(filepath.Join(j.dir(), name))
	}
	j.res.Verification = "no checksum or signature is published: fetched over " + schemeOf(j.src.url) + " and read as " + summary
	return nil
}

// parseSingle reads a KEV catalog or an EPSS file and says what it holds;
// a file holding none of what it should is an error.
func (j *job) parseSingle(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	feed, err := advisory.ParseFeed(f, j.src.url)
	if err != nil {
		return "", err
	}
	if j.src.kind == "kev" {
		if len(feed.KEV) == 0 {
			return "", fmt.Errorf("not a KEV catalog (no entries): refused")
		}
		return fmt.Sprintf("a KEV catalog of %d entries", len(feed.KEV)), nil
	}
	if len(feed.EPSS) == 0 {
		return "", fmt.Errorf("not an EPSS file (no scores): refused")
	}
	e := feed.EPSS[0]
	return fmt.Sprintf("EPSS scores of %d CVEs (model_version %s, score_date %s)", len(feed.EPSS), e.Model, e.Date), nil
}

func schemeOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Scheme == "http" {
		return "plain HTTP (no TLS)"
	}
	return "HTTPS"
}
