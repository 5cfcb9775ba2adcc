package csafsync

import (
	"context"
	"errors"
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
	// the clock); also the time at which signatures are checked.
	Now time.Time
	// Progress, when set, is told how many documents are done of those
	// to fetch.
	Progress func(done, total int)
}

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
}

// Document is one document's state.
type Document struct {
	// Release is the current_release_date the provider listed for it
	// (changes.csv or ROLIE updated).
	Release string `json:"release"`
	// Path is the stored file, relative to Options.Dir ("" when refused).
	Path string `json:"path,omitempty"`
	// Refused is why it was refused ("" when stored).
	Refused string `json:"refused,omitempty"`
}

// Refusal is a document not stored, and why.
type Refusal struct {
	URL     string
	Release string
	Reason  string
}

// Result is what one sync did.
type Result struct {
	// MetadataURL, Role and Publisher describe the provider.
	MetadataURL, Role, Publisher string
	// Fetched counts documents downloaded and stored, Unchanged those
	// whose release did not change since the last sync.
	Fetched, Unchanged int
	// Refused lists the documents not stored (hash, signature, TLP).
	Refused []Refusal
	// Verification says in words what was checked, e.g. "SHA-512 and
	// OpenPGP signature (key 1A2B...)" or "SHA-512 only: provider is not
	// trusted".
	Verification string
}

// ErrNotImplemented is returned until the sync is written.
var ErrNotImplemented = errors.New("csafsync: not implemented")

// Sync mirrors the provider into o.Dir, starting from prev (nil on the
// first sync), and returns what it did and the state to keep. An error
// means the provider could not be synced at all (metadata unreachable or
// invalid, role refused); documents refused one by one are in
// Result.Refused, not errors.
func Sync(ctx context.Context, o Options, prev *State) (*Result, *State, error) {
	return nil, prev, ErrNotImplemented
}

// Check reports, without storing anything, the URLs of the documents a
// Sync from prev would fetch (new or changed releases; refused
// documents only when their release changed).
func Check(ctx context.Context, o Options, prev *State) ([]string, error) {
	return nil, ErrNotImplemented
}
