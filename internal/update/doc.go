// Package update fetches the public advisory feeds into a staging area
// beside the database and builds the database from it: what `bomrank db
// update` and `bomrank db check` do.
//
// The staging area is the folder <db>.feeds: one folder per source
// (osv/<Ecosystem>/all.zip, nvd/, kev/, epss/, csaf/<provider host>/) and
// state.json, which remembers per source its URL, its last successful
// fetch, each file's validators (ETag, Last-Modified, the CRC32C of
// x-goog-hash, the SHA-256 of NVD's .meta), what verification found, the
// refusals and each CSAF provider's csafsync.State. A file is renamed into
// its folder only once it is complete and verified, and the state is
// written (temporary file, then rename) after each file, so an
// interrupted update resumes without fetching again what it verified.
// The database is then built from the folders with db.Build, atomically;
// a source that failed keeps its previous files, which the build uses.
//
// Sources, and what verifies them:
//   - OSV: <base>/ecosystems.txt, then <base>/<Ecosystem>/all.zip,
//     conditional (ETag, If-Modified-Since) and checked against the
//     CRC32C the bucket's x-goog-hash header gives, then opened as a zip.
//   - NVD: <base>/nvdcve-2.0-YYYY.json.gz and -modified, each checked
//     against the SHA-256 and size of the uncompressed JSON that its .meta
//     file gives; a file whose .meta did not change is not fetched. With an
//     API key, changes since the last full fetch come from the CVE API 2.0
//     instead (lastMod windows of at most 120 days, 2,000 results a page).
//   - KEV and EPSS: conditional; no checksum is published, so they are
//     only parsed (the summary says so).
//   - CSAF: each provider through csafsync.Sync.
//
// The library never reads the clock: Options.Now is the time recorded.
package update
