package csafsync

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/bomrank/bomrank/internal/fetch"
	"github.com/bomrank/bomrank/internal/pgp"
)

// syncer holds one sync (or check) of one provider.
type syncer struct {
	o       Options
	c       *fetch.Client
	meta    *metadata
	metaURL *url.URL
	prev    *State // never nil
	next    *State
	res     *Result
	keys    []*pgp.Keys // none when no signature is checked
	sigNeed bool        // trusted provider or pinned key: .asc required
	hashes  []string    // algorithms of the documents stored
}

// open finds and reads the provider metadata, and refuses a provider
// TrustedOnly excludes.
func open(ctx context.Context, o Options, prev *State) (*syncer, error) {
	c := o.Client
	if c == nil {
		c = &fetch.Client{}
	}
	if prev == nil {
		prev = &State{}
	}
	m, at, err := findMetadata(ctx, c, o.Provider)
	if err != nil {
		return nil, err
	}
	if o.TrustedOnly && m.Role != RoleTrustedProvider {
		return nil, fmt.Errorf("%s: role %s refused: only %s providers are accepted (trusted_only)", at, m.Role, RoleTrustedProvider)
	}
	mu, err := url.Parse(at)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", at, err)
	}
	s := &syncer{o: o, c: c, meta: m, metaURL: mu, prev: prev,
		sigNeed: m.Role == RoleTrustedProvider || o.Provider.Fingerprint != ""}
	s.next = &State{MetadataURL: at, Role: m.Role, Documents: maps.Clone(prev.Documents),
		Listings: maps.Clone(prev.Listings), LastSync: prev.LastSync}
	if s.next.Documents == nil {
		s.next.Documents = map[string]Document{}
	}
	if s.next.Listings == nil {
		s.next.Listings = map[string]Validator{}
	}
	s.res = &Result{MetadataURL: at, Role: m.Role, Publisher: m.Publisher.Name}
	return s, nil
}

// findMetadata reads the metadata at p.URL, or discovers it from
// p.Domain.
func findMetadata(ctx context.Context, c *fetch.Client, p Provider) (*metadata, string, error) {
	switch {
	case p.URL != "":
		return getMetadata(ctx, c, p.URL)
	case p.Domain != "":
		return discover(ctx, c, p.Domain)
	}
	return nil, "", errors.New("csafsync: provider has neither URL nor domain")
}

// listingRef is one listing to read: a ROLIE feed or a directory.
type listingRef struct {
	url   *url.URL
	rolie bool
}

// listings returns the ROLIE feeds labelled WHITE or CLEAR when the
// metadata names any (ROLIE is preferred), else the directory
// distributions.
func (s *syncer) listings() []listingRef {
	var feeds, dirs []listingRef
	add := func(list *[]listingRef, raw string, rolie bool) {
		u, err := s.resolve(s.metaURL, raw)
		if err != nil {
			s.res.Refused = append(s.res.Refused, Refusal{URL: raw, Reason: err.Error(), Transient: true})
			return
		}
		*list = append(*list, listingRef{url: u, rolie: rolie})
	}
	for _, d := range s.meta.Distributions {
		if d.Rolie != nil {
			for _, f := range d.Rolie.Feeds {
				if tlpAllowed(f.TLPLabel) {
					add(&feeds, f.URL, true)
				}
			}
		}
		if d.DirectoryURL != "" {
			add(&dirs, d.DirectoryURL, false)
		}
	}
	if len(feeds) > 0 {
		return feeds
	}
	return dirs
}

// tlpAllowed says whether a TLP label may be mirrored: WHITE (CSAF 2.0)
// or CLEAR (TLP 2.0, CSAF 2.1).
func tlpAllowed(label string) bool {
	return label == "WHITE" || label == "CLEAR"
}

// resolve resolves raw against base, refusing a downgrade from https.
func (s *syncer) resolve(base *url.URL, raw string) (*url.URL, error) {
	ref, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%.100q: %v", raw, err)
	}
	u := base.ResolveReference(ref)
	if u.Scheme != "https" && (u.Scheme != "http" || s.metaURL.Scheme != "http") {
		return nil, fmt.Errorf("%s: only https is accepted from a provider whose metadata is at an https URL", u.Redacted())
	}
	return u, nil
}

// plan reads the listings and returns the documents to fetch; the others
// are counted as unchanged or kept refused.
func (s *syncer) plan(ctx context.Context) []entry {
	var todo []entry
	seen := map[string]bool{}
	for _, l := range s.listings() {
		entries, ok := s.read(ctx, l)
		if !ok {
			continue
		}
		for _, e := range entries {
			if seen[e.URL] {
				continue
			}
			seen[e.URL] = true
			if s.pending(e) {
				todo = append(todo, e)
			}
		}
	}
	return todo
}

// pending says whether e must be fetched, counting it otherwise.
func (s *syncer) pending(e entry) bool {
	d, ok := s.prev.Documents[e.URL]
	switch {
	case !ok || d.Failed != "" || d.Release != e.Release:
		return true
	case d.Refused != "":
		s.res.KeptRefused = append(s.res.KeptRefused, Refusal{URL: e.URL, Release: e.Release, Reason: d.Refused})
		return false
	}
	if _, err := os.Lstat(filepath.Join(s.o.Dir, filepath.FromSlash(d.Path))); err != nil {
		return true // stored once, since removed
	}
	s.res.Unchanged++
	return false
}

// read fetches one listing (conditionally) and returns its entries; for
// an unchanged listing, the documents the state remembers from it.
func (s *syncer) read(ctx context.Context, l listingRef) ([]entry, bool) {
	target := l.url.String()
	if !l.rolie {
		target = l.url.JoinPath("changes.csv").String()
	}
	entries, err := s.readListing(ctx, target, l)
	if err != nil && !l.rolie && isNotFound(err) {
		target = l.url.JoinPath("index.txt").String()
		entries, err = s.readListing(ctx, target, l)
	}
	if err != nil {
		s.res.Refused = append(s.res.Refused, Refusal{URL: target, Reason: err.Error(), Transient: true})
		return nil, false
	}
	return entries, true
}

func isNotFound(err error) bool {
	var fe *fetch.Error
	return errors.As(err, &fe) && (fe.Status == 404 || fe.Status == 410)
}

// readListing fetches target and parses it as l says.
func (s *syncer) readListing(ctx context.Context, target string, l listingRef) ([]entry, error) {
	v := s.prev.Listings[target]
	resp, err := s.c.Get(ctx, fetch.Request{URL: target, ETag: v.ETag, LastModified: v.LastModified, MaxBytes: MaxListingBytes})
	if err != nil {
		return nil, err
	}
	if resp.NotModified {
		return s.remembered(target), nil
	}
	var (
		entries  []entry
		problems []string
	)
	switch {
	case l.rolie:
		entries, problems, err = parseROLIE(resp.Body, l.url)
	case strings.HasSuffix(target, "/changes.csv"):
		entries, problems = s.fromChanges(resp.Body, l.url, target)
	default:
		entries, problems = s.fromIndex(resp.Body, l.url, target)
	}
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		s.res.Warnings = append(s.res.Warnings, target+": "+p)
	}
	entries = s.checkEntries(entries, target)
	s.next.Listings[target] = Validator{ETag: resp.ETag, LastModified: resp.LastModified}
	return entries, nil
}

// remembered returns the documents the state holds from listing target,
// in URL order.
func (s *syncer) remembered(target string) []entry {
	var out []entry
	for _, u := range sortedKeys(s.prev.Documents) {
		if d := s.prev.Documents[u]; d.From == target {
			out = append(out, entry{URL: u, Release: d.Release, From: target})
		}
	}
	return out
}

func (s *syncer) fromChanges(data []byte, dir *url.URL, target string) ([]entry, []string) {
	changes, problems := ParseChanges(data)
	out := make([]entry, 0, len(changes))
	for _, c := range changes {
		u, err := resolveInDir(dir, c.Path)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		out = append(out, entry{URL: u.String(), Release: c.Release, From: target})
	}
	return out, problems
}

func (s *syncer) fromIndex(data []byte, dir *url.URL, target string) ([]entry, []string) {
	paths, problems := parseIndex(data)
	out := make([]entry, 0, len(paths))
	for _, p := range paths {
		u, err := resolveInDir(dir, p)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		out = append(out, entry{URL: u.String(), From: target})
	}
	return out, problems
}

// checkEntries resolves the URLs of entries against the listing and
// drops (with a warning) those not fetchable or not storable.
func (s *syncer) checkEntries(in []entry, target string) []entry {
	base, _ := url.Parse(target)
	out := in[:0]
	for _, e := range in {
		u, err := s.resolve(base, e.URL)
		if err == nil && e.Hash != "" {
			var h *url.URL
			h, err = s.resolve(base, e.Hash)
			if err == nil {
				e.Hash = h.String()
			}
		}
		if err == nil && e.Sig != "" {
			var g *url.URL
			g, err = s.resolve(base, e.Sig)
			if err == nil {
				e.Sig = g.String()
			}
		}
		if err != nil {
			s.res.Warnings = append(s.res.Warnings, target+": "+err.Error())
			continue
		}
		e.URL = u.String()
		out = append(out, e)
	}
	return out
}
