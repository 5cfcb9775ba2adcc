// Package fetch is bomrank's one HTTP client for the public feeds that
// `bomrank db update` downloads: it honours HTTPS_PROXY, retries with
// backoff on network errors, 429 (with Retry-After) and 5xx, caps every
// body, follows at most a few redirects, makes conditional requests
// (ETag, Last-Modified) and writes downloads to a temporary file that is
// renamed into place only once the body is complete and its caller's
// check passed, so that an interrupted or refused download never
// replaces what was there. Scanning never uses it.
package fetch
