package report

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/internal/textsafe"
)

// WriteDBStatus writes what `bomrank db status` prints about a compiled
// advisory database: format "json" (a contract: fields are added, never
// renamed) or "table". Ages are taken at now; verify says whether the
// database was verified, and verr what the verification found (nil when
// it passed).
func WriteDBStatus(w io.Writer, format string, st *db.Status, now time.Time, verify bool, verr error) error {
	switch format {
	case "json":
		return writeDBStatusJSON(w, st, now, verify && verr == nil)
	case "table":
		return writeDBStatusTable(w, st, now, verify, verr)
	}
	return fmt.Errorf("db status: format %q is not table or json", format)
}

// DaysString is a duration in whole days, never negative ("1 day", "8
// days").
func DaysString(d time.Duration) string {
	return plural(max(0, int(d/(24*time.Hour))), "day")
}

// SizeString is a size in megabytes ("31.3 MB").
func SizeString(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// dbStatusJSON is the JSON of `db status` (a contract: fields are added,
// never renamed).
type dbStatusJSON struct {
	Path       string         `json:"path"`
	Schema     int            `json:"schema"`
	Built      string         `json:"built"`
	Version    string         `json:"bomrank_version"`
	Digest     string         `json:"digest"`
	Size       int64          `json:"size"`
	Advisories int            `json:"advisories"`
	Records    int            `json:"records"`
	KEV        int            `json:"kev_entries"`
	EPSS       int            `json:"epss_scores"`
	Sources    []dbSourceJSON `json:"sources"`
	Errors     []string       `json:"errors"`
	Verified   bool           `json:"verified"`
}

type dbSourceJSON struct {
	Kind           string `json:"kind"`
	Path           string `json:"path"`
	Records        int    `json:"records"`
	NewestModified string `json:"newest_modified"`
	SHA256         string `json:"sha256"`
	Captured       string `json:"captured"`
	AgeDays        int    `json:"age_days"`
	// URL, Fetched and Verification say where `bomrank db update`
	// fetched the source from, when it last succeeded (RFC 3339, "" when
	// never or not fetched) and what was checked ("" for a database made
	// by `db build` from local files).
	URL          string `json:"url"`
	Fetched      string `json:"fetched"`
	Verification string `json:"verification"`
}

// originOf is the fetch provenance of a source: URL, fetch time and
// verification, empty when the database records none.
func originOf(st *db.Status, path string) (url, fetched, verification string) {
	o, ok := st.Origin(path)
	if !ok {
		return "", "", ""
	}
	if !o.Fetched.IsZero() {
		fetched = o.Fetched.UTC().Format(time.RFC3339)
	}
	return o.URL, fetched, o.Verification
}

func writeDBStatusJSON(w io.Writer, st *db.Status, now time.Time, verified bool) error {
	out := dbStatusJSON{
		Path: st.Path, Schema: st.Schema, Built: st.Built.UTC().Format(time.RFC3339), Version: st.Version,
		Digest: st.Digest, Size: st.Size, Advisories: st.Advisories, Records: st.Records, KEV: st.KEV, EPSS: st.EPSS,
		Sources: []dbSourceJSON{}, Errors: []string{}, Verified: verified,
	}
	for _, s := range st.Sources {
		u, fetched, verification := originOf(st, s.Path)
		out.Sources = append(out.Sources, dbSourceJSON{
			Kind: s.Kind, Path: s.Path, Records: s.Records, NewestModified: s.NewestModified, SHA256: s.SHA256,
			Captured: s.Captured.UTC().Format(time.RFC3339), AgeDays: AgeDays(s.Captured, now),
			URL: u, Fetched: fetched, Verification: verification,
		})
	}
	for _, e := range st.Errors {
		out.Errors = append(out.Errors, e.Path+": "+e.Error)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func writeDBStatusTable(w io.Writer, st *db.Status, now time.Time, verify bool, verr error) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	verified := "not checked (--verify)"
	switch {
	case verify && verr == nil:
		verified = "yes: digest, every record and every compiled entry checked"
	case verify:
		verified = "NO: " + verr.Error()
	}
	fmt.Fprintf(tw, "database\t%s\n", textsafe.Line(st.Path))
	fmt.Fprintf(tw, "schema\t%d\n", st.Schema)
	fmt.Fprintf(tw, "built\t%s (%s)\n", st.Built.UTC().Format(time.RFC3339), DaysString(now.Sub(st.Built)))
	fmt.Fprintf(tw, "bomrank\t%s\n", textsafe.Line(st.Version))
	fmt.Fprintf(tw, "digest\t%s\n", st.Digest)
	fmt.Fprintf(tw, "size\t%s\n", SizeString(st.Size))
	fmt.Fprintf(tw, "contents\t%d records indexed (%d read), %d KEV entries, %d EPSS scores\n", st.Records, st.Advisories, st.KEV, st.EPSS)
	fmt.Fprintf(tw, "verified\t%s\n", textsafe.Line(verified))
	if len(st.Errors) > 0 {
		fmt.Fprintf(tw, "skipped\t%d feed input(s) could not be read at build time\n", len(st.Errors))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "KIND\tRECORDS\tNEWEST MODIFIED\tCAPTURED\tAGE\tPATH")
	for _, s := range st.Sources {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", textsafe.Line(s.Kind), s.Records, textsafe.Line(s.NewestModified),
			s.Captured.UTC().Format(time.RFC3339), DaysString(now.Sub(s.Captured)), textsafe.Line(s.Path))
	}
	writeOrigins(tw, st, now)
	return tw.Flush()
}

// writeOrigins lists, for a database made by `bomrank db update`, where
// each source was fetched from, when, and what checked it.
func writeOrigins(tw io.Writer, st *db.Status, now time.Time) {
	if len(st.Origins) == 0 {
		return
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "FEED PATH\tFETCHED\tFROM\tVERIFICATION")
	for _, o := range st.Origins {
		fetched := "never (kept from a partial update)"
		if !o.Fetched.IsZero() {
			fetched = fmt.Sprintf("%s (%s)", o.Fetched.UTC().Format(time.RFC3339), DaysString(now.Sub(o.Fetched)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", textsafe.Line(o.Path), fetched, textsafe.Line(o.URL), textsafe.Line(o.Verification))
	}
}
