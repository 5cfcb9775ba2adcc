// Package csafsync mirrors the TLP:WHITE / TLP:CLEAR documents of one
// CSAF 2.0 provider into a local folder, as CSAF 2.0 section 7.3 says an
// aggregator or a user fetches them: the provider's metadata found
// through /.well-known/csaf/provider-metadata.json, the CSAF field of
// security.txt or the DNS name csaf.data.security.<domain>; ROLIE feeds
// preferred, else the directory distribution with changes.csv and
// index.txt; every document checked against its .sha512 (else .sha256)
// and, for a trusted provider, its .asc OpenPGP signature against the
// provider's public_openpgp_keys (or a pinned fingerprint). A document
// that fails a check is not stored; it is named in the Result and
// remembered with its release date so that it is tried again only when
// the provider changes it.
//
// A document is stored under Options.Dir at its URL's path (leading dots
// of a segment dropped, so .well-known/csaf/white/2024/x.json becomes
// well-known/csaf/white/2024/x.json; the host first when it is not the
// metadata's), through internal/fetch's Download: written to a .part
// file, checked, renamed. Its digest is written beside it in sha512sum
// format, so that the advisory reader checks it again on every load.
// Listings are fetched conditionally and documents only when their
// release changed, so a sync of an unchanged provider downloads the
// metadata and one 304 per listing. Everything read from the provider is
// capped (see MaxMetadataBytes and the other limits).
package csafsync
