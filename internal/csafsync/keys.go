package csafsync

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/bomrank/bomrank/internal/fetch"
	"github.com/bomrank/bomrank/internal/pgp"
)

// loadKeys fetches the provider's public_openpgp_keys when documents are
// to be fetched (need): each key file from its URL, kept only for the
// fingerprint the metadata gives beside it (all its keys when it gives
// none), and only the pinned key when Provider.Fingerprint is set. A
// trusted provider (or a pinned key) without a usable key is an error:
// every document would be refused. For other providers a key that cannot
// be read means signatures are not checked (the Verification says so).
func (s *syncer) loadKeys(ctx context.Context, need bool) error {
	if !need {
		s.next.Keys = s.prev.Keys
		return nil
	}
	found, errs := s.fetchKeys(ctx)
	if pin := s.o.Provider.Fingerprint; pin != "" {
		found = pinned(found, pin)
		if len(found) == 0 {
			errs = append(errs, fmt.Errorf("the pinned key %s is not among the keys the metadata lists", pgp.NormalizeFingerprint(pin)))
		}
	}
	if len(found) == 0 {
		if !s.sigNeed {
			for _, err := range errs {
				s.res.Warnings = append(s.res.Warnings, "signatures not checked: "+err.Error())
			}
			return nil
		}
		return fmt.Errorf("%s: no usable OpenPGP key to check the signatures of a %s: %w",
			s.metaURL.Redacted(), s.meta.Role, errors.Join(append(errs, errors.New("public_openpgp_keys gives none"))...))
	}
	s.keys = found
	s.next.Keys = nil
	for _, k := range found {
		s.next.Keys = append(s.next.Keys, k.Fingerprints()...)
	}
	slices.Sort(s.next.Keys)
	s.next.Keys = slices.Compact(s.next.Keys)
	return nil
}

// fetchKeys fetches every key the metadata lists.
func (s *syncer) fetchKeys(ctx context.Context) (found []*pgp.Keys, errs []error) {
	for _, ref := range s.meta.PublicOpenPGPKeys {
		k, err := s.loadKey(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		found = append(found, k)
	}
	return found, errs
}

// loadKey fetches one key file and keeps the key the metadata names.
func (s *syncer) loadKey(ctx context.Context, ref keyRef) (*pgp.Keys, error) {
	u, err := s.resolve(s.metaURL, ref.URL)
	if err != nil {
		return nil, fmt.Errorf("OpenPGP key: %w", err)
	}
	resp, err := s.c.Get(ctx, fetch.Request{URL: u.String(), MaxBytes: pgp.MaxKeyBytes})
	if err != nil {
		return nil, fmt.Errorf("OpenPGP key: %w", err)
	}
	k, err := pgp.ReadKeys(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", resp.URL, err)
	}
	if ref.Fingerprint == "" {
		return k, nil
	}
	only := k.Only(ref.Fingerprint)
	if only == nil {
		return nil, fmt.Errorf("%s: holds no key with the fingerprint %s the metadata gives (it holds %v)",
			resp.URL, pgp.NormalizeFingerprint(ref.Fingerprint), k.Fingerprints())
	}
	return only, nil
}

// pinned keeps the key with fingerprint pin.
func pinned(list []*pgp.Keys, pin string) []*pgp.Keys {
	for _, k := range list {
		if only := k.Only(pin); only != nil {
			return []*pgp.Keys{only}
		}
	}
	return nil
}
