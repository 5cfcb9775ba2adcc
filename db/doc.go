// Package db is bomrank's compiled advisory database: one read-only file,
// built once from the feeds by [Build] and opened by any number of scans
// at once by [Open], that holds what a scan needs already indexed and
// parsed (the index of package index in its binary form, the KEV and EPSS
// data) and the provenance of every source it was built from.
//
// The file is a format of our own (see format.go for the layout): a
// header with a magic number, the schema version, the SHA-256 digest of
// everything after the header and a table of sections, each with a
// CRC-32C. SQLite (grype's choice) was measured against the target a scan
// must meet, 0.15 times the time it takes to decode every record once:
// see the README's "bomrank db" section.
//
// Safe to share: [Build] writes a new file beside the old one, flushes it
// to disk and renames it into place, holding a lock (PATH.lock, flock) so
// that a second build at once fails saying so; a full disk or an
// unwritable directory leaves the old database as it was. [Open] never
// writes and takes no lock: it reads the file whole, so a scan that
// opened the old file finishes on it while a build replaces it.
//
// Across an air gap: [Export] writes a database as one bundle (a gzip
// tar of a manifest and the file, the same bytes for the same database,
// with an optional detached OpenPGP signature), and [Import] reads one
// bounded, checks its signature, digests, the database itself and that
// it is no rollback, and installs it as [Build] writes, under the same
// lock; a refused bundle is a *[BundleError] and changes nothing.
//
// Every way a file can be wrong (missing, a directory, not a database, of
// another schema, truncated, corrupt) is an *[Error] naming the file,
// never a panic.
package db
