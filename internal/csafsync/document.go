package csafsync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/bomrank/bomrank/internal/fetch"
	"github.com/bomrank/bomrank/internal/pgp"
	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/internal/walk"
)

// job is one document to fetch, where it goes, and what came of it.
type job struct {
	entry
	rel  string // path under Options.Dir, with forward slashes
	out  outcome
	done bool
}

// outcome is what fetching one document gave.
type outcome struct {
	doc       Document
	reason    string // refused or failed
	transient bool
	resumed   bool // found stored and verified, not downloaded
	skipped   bool // ctx ended first: nothing recorded
}

// refusal is a check a document failed.
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }

func refuse(format string, a ...any) error { return &refusal{msg: fmt.Sprintf(format, a...)} }

// fetchAll fetches the documents of todo with Options.Workers workers
// and records what came of each, in order.
func (s *syncer) fetchAll(ctx context.Context, todo []entry) {
	jobs := s.prepare(todo)
	total := 0
	for _, j := range jobs {
		if !j.done {
			total++
		}
	}
	s.run(ctx, jobs, total)
	for _, j := range jobs {
		s.record(j)
	}
}

// run fetches the jobs not done yet with Options.Workers workers (the
// one worker pool). A job that never started because ctx ended is
// skipped; one whose fetch panicked failed, to be tried again.
func (s *syncer) run(ctx context.Context, jobs []*job, total int) {
	var (
		mu   sync.Mutex
		done int
	)
	todo := make([]*job, 0, total)
	for _, j := range jobs {
		if !j.done {
			todo = append(todo, j)
		}
	}
	workers := s.o.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	errs := pool.Each(ctx, len(todo), workers, nil, func(_ struct{}, i int) error {
		todo[i].out = s.fetchDoc(ctx, todo[i])
		mu.Lock()
		defer mu.Unlock()
		done++
		if s.o.Progress != nil {
			s.o.Progress(done, total)
		}
		return nil
	})
	for i, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, ctx.Err()):
			todo[i].out = outcome{skipped: true}
		default:
			todo[i].out = outcome{reason: err.Error(), transient: true}
		}
	}
}

// prepare gives each document its place under Options.Dir, refusing one
// whose URL cannot be stored or would overwrite another document.
func (s *syncer) prepare(todo []entry) []*job {
	claimed := map[string]string{}
	for u, d := range s.prev.Documents {
		if d.Path != "" {
			claimed[d.Path] = u
		}
	}
	jobs := make([]*job, 0, len(todo))
	for _, e := range todo {
		j := &job{entry: e}
		rel, err := s.localPath(e.URL)
		if err == nil {
			if other, ok := claimed[rel]; ok && other != e.URL {
				err = fmt.Errorf("it would be stored as %s, the file of %s", rel, other)
			}
		}
		if err != nil {
			j.done, j.out = true, outcome{reason: "cannot be stored: " + err.Error()}
		} else {
			claimed[rel], j.rel = e.URL, rel
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// localPath maps a document URL to a path under Options.Dir: the URL's
// path (its host first when not the metadata's host), each segment made
// of letters, digits and "._+~-", leading dots dropped (the advisory
// reader does not enter hidden folders such as .well-known), ending in
// ".json".
func (s *syncer) localPath(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	var segs []string
	if !strings.EqualFold(u.Host, s.metaURL.Host) {
		// Another host is a folder of its own, named as safely as a path
		// segment ("//.x/a.json" has the host ".x": not a hidden folder).
		host := strings.TrimLeft(strings.ReplaceAll(strings.ToLower(u.Host), ":", "_"), ".")
		if host == "" || strings.IndexFunc(host, unsafePathRune) >= 0 {
			return "", fmt.Errorf("URL host %.100q cannot be a folder name", u.Host)
		}
		segs = append(segs, host)
	}
	for _, seg := range strings.Split(strings.TrimPrefix(u.Path, "/"), "/") {
		seg = strings.TrimLeft(seg, ".")
		if seg == "" || strings.IndexFunc(seg, unsafePathRune) >= 0 {
			return "", fmt.Errorf("URL path %.100q has a segment that cannot be a file name", u.Path)
		}
		segs = append(segs, seg)
	}
	if !strings.HasSuffix(segs[len(segs)-1], ".json") {
		return "", fmt.Errorf("URL path %.100q does not end in .json", u.Path)
	}
	return path.Join(segs...), nil
}

func unsafePathRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._+~-", r))
}

// published is what the provider publishes beside a document.
type published struct {
	hashURL, algo, digest string // algo "" when no hash file exists
	sigURL                string
	sig                   []byte // nil when no signature is published or checked
}

// fetchDoc fetches the hash file and signature of j, then the document
// into place, checked; a document already in place that passes the
// checks (an interrupted sync) is not downloaded again.
func (s *syncer) fetchDoc(ctx context.Context, j *job) outcome {
	if ctx.Err() != nil {
		return outcome{skipped: true}
	}
	pub, err := s.fetchPublished(ctx, j.URL, j.Hash, j.Sig)
	if err != nil {
		return s.failure(ctx, err)
	}
	dest := filepath.Join(s.o.Dir, filepath.FromSlash(j.rel))
	var signer string
	check := func(p string) error {
		var err error
		signer, err = s.check(p, j, pub)
		return err
	}
	resumed := false
	if _, err := os.Lstat(dest); err == nil && check(dest) == nil {
		resumed = true
	} else {
		_, err = s.c.Download(ctx, fetch.Request{URL: j.URL, MaxBytes: MaxDocumentBytes}, dest, check)
		if r := (*refusal)(nil); errors.As(err, &r) {
			return outcome{reason: r.msg}
		}
		if err != nil {
			return s.failure(ctx, err)
		}
	}
	if err := writeHashFile(dest, pub); err != nil {
		return outcome{reason: fmt.Sprintf("%s: writing its hash file: %v", j.URL, err), transient: true}
	}
	return outcome{resumed: resumed, doc: Document{Release: j.Release, Path: j.rel,
		Hash: pub.algo + ":" + pub.digest, Signer: signer, From: j.From}}
}

// failure is a document that could not be fetched: tried again at the
// next sync, unless it (or its hash file or signature) is over its cap,
// which is a refusal.
func (s *syncer) failure(ctx context.Context, err error) outcome {
	if ctx.Err() != nil {
		return outcome{skipped: true}
	}
	if errors.Is(err, fetch.ErrTooLarge) {
		return outcome{reason: err.Error()}
	}
	return outcome{reason: "could not be fetched: " + err.Error(), transient: true}
}

// fetchPublished fetches the hash file (hashURL, else doc.sha512, else
// doc.sha256) and, when keys are known, the signature (sigURL, else
// doc.asc). A file that is not there is left empty for the check to
// judge; any other failure is an error.
func (s *syncer) fetchPublished(ctx context.Context, doc, hashURL, sigURL string) (*published, error) {
	pub := &published{sigURL: sigURL}
	candidates := []string{doc + ".sha512", doc + ".sha256"}
	if hashURL != "" {
		candidates = []string{hashURL}
	}
	for _, h := range candidates {
		resp, err := s.c.Get(ctx, fetch.Request{URL: h, MaxBytes: MaxHashBytes})
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		pub.hashURL = h
		pub.algo, pub.digest = parseHashFile(resp.Body, h)
		break
	}
	if len(s.keys) == 0 {
		return pub, nil
	}
	if pub.sigURL == "" {
		pub.sigURL = doc + ".asc"
	}
	resp, err := s.c.Get(ctx, fetch.Request{URL: pub.sigURL, MaxBytes: pgp.MaxSignatureBytes})
	if isNotFound(err) {
		return pub, nil
	}
	if err != nil {
		return nil, err
	}
	pub.sig = resp.Body
	return pub, nil
}

// parseHashFile reads "<hex> [name]" (sha512sum format); the algorithm
// comes from the file name, else from the digest's length. A malformed
// file gives algo "bad".
func parseHashFile(data []byte, name string) (algo, digest string) {
	fields := strings.Fields(strings.TrimPrefix(string(data), "\ufeff"))
	if len(fields) == 0 {
		return "bad", ""
	}
	d := strings.ToLower(fields[0])
	if _, err := hex.DecodeString(d); err != nil {
		return "bad", ""
	}
	switch {
	case strings.HasSuffix(name, ".sha512") && len(d) == 128, !strings.HasSuffix(name, ".sha256") && len(d) == 128:
		return "sha512", d
	case strings.HasSuffix(name, ".sha256") && len(d) == 64, !strings.HasSuffix(name, ".sha512") && len(d) == 64:
		return "sha256", d
	}
	return "bad", ""
}

// check runs every check on the file at p: the hash, the document (CSAF,
// TLP), the signature. It returns the signer's fingerprint.
func (s *syncer) check(p string, j *job, pub *published) (string, error) {
	switch pub.algo {
	case "":
		return "", refuse("no .sha512 or .sha256 file is published beside it")
	case "bad":
		return "", refuse("%s is not a SHA-512 or SHA-256 digest", pub.hashURL)
	}
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var h hash.Hash = sha512.New()
	if pub.algo == "sha256" {
		h = sha256.New()
	}
	data, err := io.ReadAll(io.TeeReader(io.LimitReader(f, MaxDocumentBytes+1), h))
	if err != nil {
		return "", err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != pub.digest {
		return "", refuse("%s gives %s..., the document's %s is %s...", pub.hashURL, pub.digest[:16], strings.ToUpper(pub.algo), got[:16])
	}
	if err := checkDocument(data, j); err != nil {
		return "", err
	}
	return s.checkSignature(data, pub)
}

// checkSignature checks pub.sig over data against the provider's keys.
func (s *syncer) checkSignature(data []byte, pub *published) (string, error) {
	if len(s.keys) == 0 {
		return "", nil
	}
	if pub.sig == nil {
		if s.sigNeed {
			return "", refuse("no signature at %s (required of a %s)", pub.sigURL, s.sigReason())
		}
		return "", nil
	}
	var first error
	for _, k := range s.keys {
		fp, err := k.Verify(bytes.NewReader(data), pub.sig, s.o.Now)
		if err == nil {
			return fp, nil
		}
		first = cmpOr(first, err)
	}
	return "", refuse("%s: %v", pub.sigURL, first)
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func (s *syncer) sigReason() string {
	if s.meta.Role == RoleTrustedProvider {
		return RoleTrustedProvider
	}
	return "provider whose key is pinned"
}

// docHead is the part of a CSAF document checked before it is stored.
type docHead struct {
	Document *struct {
		CSAFVersion  string `json:"csaf_version"`
		Distribution *struct {
			TLP *struct {
				Label string `json:"label"`
			} `json:"tlp"`
		} `json:"distribution"`
	} `json:"document"`
}

// checkDocument refuses what is not a CSAF document, and a document whose
// TLP label is not WHITE or CLEAR. A document without a label is accepted
// only from a ROLIE feed labelled WHITE or CLEAR or a directory named
// white or clear (CSAF 2.0 requirement 14), whose label it takes.
func checkDocument(data []byte, j *job) error {
	var d docHead
	if err := json.Unmarshal(data, &d); err != nil || d.Document == nil || d.Document.CSAFVersion == "" {
		return refuse("not a CSAF document")
	}
	label := ""
	if dist := d.Document.Distribution; dist != nil && dist.TLP != nil {
		label = dist.TLP.Label
	}
	switch {
	case tlpAllowed(label):
		return nil
	case label != "":
		return refuse("TLP:%.20s (only TLP:WHITE and TLP:CLEAR documents are mirrored)", label)
	case strings.HasSuffix(j.From, "/changes.csv") || strings.HasSuffix(j.From, "/index.txt"):
		dir := path.Base(path.Dir(j.From))
		if strings.EqualFold(dir, "white") || strings.EqualFold(dir, "clear") {
			return nil
		}
		return refuse("no TLP label, and its directory is not named white or clear")
	}
	return nil // from a WHITE or CLEAR ROLIE feed
}

// writeHashFile writes the checked digest beside the stored document in
// sha512sum format (the advisory reader checks it again on every load)
// and removes a hash file of the other algorithm left by an earlier
// version.
func writeHashFile(dest string, pub *published) error {
	for _, ext := range []string{".sha512", ".sha256"} {
		if ext != "."+pub.algo {
			if err := os.Remove(dest + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	return walk.WriteFile(dest+"."+pub.algo, func(w io.Writer) error {
		_, err := io.WriteString(w, pub.digest+"  "+filepath.Base(dest)+"\n")
		return err
	})
}

// record writes what came of j into the result and the next state.
func (s *syncer) record(j *job) {
	o := j.out
	if o.skipped {
		return
	}
	prev := s.prev.Documents[j.URL]
	switch {
	case o.reason == "" && o.resumed:
		s.res.Resumed++
		s.next.Documents[j.URL] = o.doc
	case o.reason == "":
		s.res.Fetched++
		s.next.Documents[j.URL] = o.doc
	case o.transient:
		s.res.Refused = append(s.res.Refused, Refusal{URL: j.URL, Release: j.Release, Reason: o.reason, Transient: true})
		s.next.Documents[j.URL] = Document{Release: j.Release, Path: prev.Path, Failed: o.reason, Hash: prev.Hash, Signer: prev.Signer, From: j.From}
	default:
		s.res.Refused = append(s.res.Refused, Refusal{URL: j.URL, Release: j.Release, Reason: o.reason})
		s.next.Documents[j.URL] = Document{Release: j.Release, Path: prev.Path, Refused: o.reason, Hash: prev.Hash, Signer: prev.Signer, From: j.From}
	}
	if o.doc.Hash != "" {
		s.hashes = append(s.hashes, strings.SplitN(o.doc.Hash, ":", 2)[0])
	}
}

// verification says in words what the documents were checked with.
func (s *syncer) verification() string {
	h := "SHA-512"
	switch {
	case slices.Contains(s.hashes, "sha256") && slices.Contains(s.hashes, "sha512"):
		h = "SHA-512 (SHA-256 where no .sha512 is published)"
	case slices.Contains(s.hashes, "sha256"):
		h = "SHA-256"
	}
	keys := strings.Join(s.next.Keys, ", ")
	if keys == "" && s.sigNeed {
		keys = "of public_openpgp_keys, none fetched yet"
	}
	switch {
	case s.sigNeed:
		return fmt.Sprintf("%s and OpenPGP signature (key %s)", h, keys)
	case keys != "":
		return fmt.Sprintf("%s, and OpenPGP signature where published (key %s); provider is %s, not trusted: signatures not required", h, keys, s.meta.Role)
	}
	return fmt.Sprintf("%s only, from the provider's own server: provider is %s, not trusted, so no signature is checked", h, s.meta.Role)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
