package csafsync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bomrank/bomrank/internal/fetch"
)

// Provider names one CSAF provider: the URL of its
// provider-metadata.json, or its domain (discovered as section 7.3
// says); Fingerprint optionally pins its OpenPGP signing key.
type Provider struct {
	URL         string
	Domain      string
	Fingerprint string
}

// Options says which provider to mirror, where, and how.
type Options struct {
	Provider Provider
	// TrustedOnly refuses a provider whose role is not
	// csaf_trusted_provider.
	TrustedOnly bool
	// Client fetches; nil means a zero fetch.Client.
	Client *fetch.Client
	// Dir receives the verified documents (created if needed); files of
	// documents no longer listed by the provider are kept.
	Dir string
	// Now is the time recorded for this sync (the library never reads
	// the clock); also the time at which signatures are checked. Sync
	// requires it.
	Now time.Time
	// Progress, when set, is told how many documents are done of those
	// to fetch. Calls are serialised.
	Progress func(done, total int)
	// Workers bounds how many documents are fetched at once; 0 means
	// DefaultWorkers.
	Workers int
}

// DefaultWorkers is how many documents are fetched at once by default:
// a few, to be polite to the provider.
const DefaultWorkers = 4

// State is what a sync remembers for the next one (JSON-encodable; the
// caller stores it).
type State struct {
	// MetadataURL is where the provider metadata was found.
	MetadataURL string `json:"metadata_url"`
	// Role is the provider's role (csaf_provider, csaf_trusted_provider,
	// csaf_publisher).
	Role string `json:"role"`
	// Keys lists the fingerprints of the keys signatures were checked
	// against.
	Keys []string `json:"keys,omitempty"`
	// Documents holds, by document URL, what was stored or refused.
	Documents map[string]Document `json:"documents"`
	// LastSync is when the last sync that reached the provider ended.
	LastSync time.Time `json:"last_sync"`
	// Listings holds, by URL, the validators of each ROLIE feed and
	// changes.csv (or index.txt) read completely, for conditional
	// requests: an unchanged listing is not downloaded again.
	Listings map[string]Validator `json:"listings,omitempty"`
}

// Validator is what a server said to identify a version of a file.
type Validator struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Document is one document's state.
type Document struct {
	// Release is the current_release_date the provider listed for it
	// (changes.csv or ROLIE updated), normalised to RFC 3339 in UTC; ""
	// when only index.txt lists it.
	Release string `json:"release"`
	// Path is the stored file, relative to Options.Dir, with forward
	// slashes ("" when never stored; a refused or failed new release
	// keeps the path of the earlier verified one, still in place).
	Path string `json:"path,omitempty"`
	// Refused is why it was refused ("" when stored): it is tried again
	// only when its release changes.
	Refused string `json:"refused,omitempty"`
	// Failed is why it could not be fetched (network, HTTP status): it is
	// tried again at the next sync.
	Failed string `json:"failed,omitempty"`
	// Hash is the checked digest of the stored file, "sha512:<hex>" or
	// "sha256:<hex>".
	Hash string `json:"hash,omitempty"`
	// Signer is the fingerprint of the key whose signature was checked
	// ("" when no signature was checked).
	Signer string `json:"signer,omitempty"`
	// From is the URL of the ROLIE feed, changes.csv or index.txt that
	// listed it.
	From string `json:"from,omitempty"`
}

// Refusal is a document not stored, and why.
type Refusal struct {
	URL     string
	Release string
	Reason  string
	// Transient is true when the document (or the feed at URL) could not
	// be fetched at all (network, HTTP error): it is tried again at the
	// next sync, whatever its release. A refusal by a check (hash,
	// signature, TLP) is not transient: it is tried again only when the
	// release changes.
	Transient bool
}

// Result is what one sync did. Publisher and the Reasons hold text
// written by the provider: pass them through internal/textsafe before a
// terminal.
type Result struct {
	// MetadataURL, Role and Publisher describe the provider.
	MetadataURL, Role, Publisher string
	// Fetched counts documents downloaded and stored, Unchanged those
	// whose release did not change since the last sync.
	Fetched, Unchanged int
	// Resumed counts documents found already in place and verified (an
	// interrupted sync stored them), so not downloaded again.
	Resumed int
	// Refused lists the documents not stored (hash, signature, TLP), and
	// those (and the feeds) that could not be fetched (Transient), in
	// the order the provider lists them.
	Refused []Refusal
	// KeptRefused lists the documents refused by an earlier sync and not
	// tried again because their release did not change.
	KeptRefused []Refusal
	// Verification says in words what was checked, e.g. "SHA-512 and
	// OpenPGP signature (key 1A2B...)" or "SHA-512 only: provider is not
	// trusted".
	Verification string
	// Warnings lists what was passed over in the provider's listings
	// (a malformed changes.csv line, a ROLIE entry without a URL).
	Warnings []string
}

// ErrNotImplemented was returned before the sync was written; it is
// kept for callers that test for it and is never returned now.
var ErrNotImplemented = errors.New("csafsync: not implemented")

// Sync mirrors the provider into o.Dir, starting from prev (nil on the
// first sync), and returns what it did and the state to keep. An error
// means the provider could not be synced at all (metadata unreachable or
// invalid, role refused, no usable signing key for a trusted provider);
// documents refused one by one are in Result.Refused, not errors. When
// ctx ends during the downloads, Sync returns the state with the
// documents stored so far (keep it: the next sync does not fetch them
// again) together with ctx's error.
func Sync(ctx context.Context, o Options, prev *State) (*Result, *State, error) {
	if o.Now.IsZero() {
		return nil, prev, errors.New("csafsync: Options.Now is not set (signatures are checked at that time)")
	}
	s, err := open(ctx, o, prev)
	if err != nil {
		return nil, prev, err
	}
	todo := s.plan(ctx)
	if err := s.loadKeys(ctx, len(todo) > 0); err != nil {
		return nil, prev, err
	}
	s.fetchAll(ctx, todo)
	s.res.Verification = s.verification()
	if err := ctx.Err(); err != nil {
		s.next.Listings = s.prev.Listings
		return s.res, s.next, err
	}
	s.next.LastSync = o.Now
	return s.res, s.next, nil
}

// Check reports, without storing anything, the URLs of the documents a
// Sync from prev would fetch (new or changed releases; refused
// documents only when their release changed; documents that could not
// be fetched last time), in the order the provider lists them. Listings
// (feeds, changes.csv) that could not be read are named in the error,
// beside the URLs found in the others.
func Check(ctx context.Context, o Options, prev *State) ([]string, error) {
	s, err := open(ctx, o, prev)
	if err != nil {
		return nil, err
	}
	var urls []string
	for _, e := range s.plan(ctx) {
		urls = append(urls, e.URL)
	}
	var errs []error
	for _, r := range s.res.Refused { // the listings that could not be read
		errs = append(errs, fmt.Errorf("%s: %s", r.URL, r.Reason))
	}
	return urls, errors.Join(append(errs, ctx.Err())...)
}
