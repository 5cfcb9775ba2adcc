package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
)

func day(d, h int) time.Time { return time.Date(2026, 1, d, h, 0, 0, 0, time.UTC) }

// TestDataAge: the oldest source is the one captured first (a source
// without a capture time counts from its newest record), ages are whole
// days at AsOf, never negative, and there is no age without AsOf or a
// dated source.
func TestDataAge(t *testing.T) {
	osv := advisory.Source{Kind: "osv", Path: "osv", Captured: day(10, 6), NewestModified: "2020-01-01T00:00:00Z"}
	kev := advisory.Source{Kind: "kev", Path: "kev.json", NewestModified: "2026-01-08T23:00:00+01:00"}
	undated := advisory.Source{Kind: "epss", Path: "epss.csv"}
	late := advisory.Source{Kind: "nvd", Path: "nvd", Captured: day(20, 0)}
	for _, tc := range []struct {
		name    string
		sources []advisory.Source
		asOf    time.Time
		kind    string
		days    int
		ok      bool
		line    string
	}{
		{"captured wins over newest_modified", []advisory.Source{osv, undated}, day(12, 5), "osv", 1, true, "advisory data as of 2026-01-10 (oldest source: osv, 1 day)"},
		{"newest_modified when not captured", []advisory.Source{osv, kev}, day(12, 0), "kev", 3, true, "advisory data as of 2026-01-08 (oldest source: kev, 3 days)"},
		{"after as_of is 0 days", []advisory.Source{late}, day(12, 0), "nvd", 0, true, "advisory data as of 2026-01-20 (oldest source: nvd, 0 days)"},
		{"first among equals", []advisory.Source{{Kind: "vex", Captured: day(3, 0)}, {Kind: "csaf", Captured: day(3, 0)}}, day(4, 0), "vex", 1, true, "advisory data as of 2026-01-03 (oldest source: vex, 1 day)"},
		{"no as_of", []advisory.Source{osv}, time.Time{}, "osv", 0, false, "advisory data as of 2026-01-10 (oldest source: osv)"},
		{"no dated source", []advisory.Source{undated}, day(12, 0), "", 0, false, ""},
		{"no source", nil, day(12, 0), "", 0, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Scan{Sources: tc.sources, AsOf: tc.asOf}
			src, days, ok := DataAge(s)
			if ok != tc.ok || days != tc.days || (tc.ok && src.Kind != tc.kind) {
				t.Errorf("DataAge = %s, %d, %v; want %s, %d, %v", src.Kind, days, ok, tc.kind, tc.days, tc.ok)
			}
			var buf bytes.Buffer
			if err := Table(&buf, s, false); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(buf.String(), "advisory data"); got != (tc.line != "") || !strings.Contains(buf.String(), tc.line) {
				t.Errorf("table:\n%s\nwant the line %q", buf.String(), tc.line)
			}
		})
	}
}

// TestFeedsSourcesJSON: feeds.sources is an empty array without sources,
// feeds.db is absent without a database, the digest of a source is never
// written, and ages follow AsOf.
func TestFeedsSourcesJSON(t *testing.T) {
	type out struct {
		Feeds struct {
			Sources []map[string]any `json:"sources"`
			DB      map[string]any   `json:"db"`
		} `json:"feeds"`
	}
	decode := func(s *Scan) (out, string) {
		var buf bytes.Buffer
		if err := JSON(&buf, s); err != nil {
			t.Fatal(err)
		}
		var o out
		if err := json.Unmarshal(buf.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		return o, buf.String()
	}
	o, raw := decode(&Scan{})
	if o.Feeds.Sources == nil || len(o.Feeds.Sources) != 0 || o.Feeds.DB != nil || strings.Contains(raw, `"db"`) {
		t.Errorf("empty scan: sources %v, db %v", o.Feeds.Sources, o.Feeds.DB)
	}
	s := &Scan{Sources: []advisory.Source{{Kind: "osv", Path: "feeds", Records: 3, Captured: day(1, 12).In(time.FixedZone("CET", 3600)), SHA256: "abc"}},
		DB: &DBInfo{Path: "db", Schema: 2, Built: day(2, 0), Digest: "sha256:ff"}, AsOf: day(9, 0)}
	o, raw = decode(s)
	want := map[string]any{"kind": "osv", "path": "feeds", "records": 3.0, "captured": "2026-01-01T12:00:00Z", "age_days": 7.0}
	if len(o.Feeds.Sources) != 1 || len(o.Feeds.Sources[0]) != len(want) {
		t.Fatalf("sources %v, want %v", o.Feeds.Sources, want)
	}
	for k, v := range want {
		if o.Feeds.Sources[0][k] != v {
			t.Errorf("sources[0].%s = %v, want %v", k, o.Feeds.Sources[0][k], v)
		}
	}
	if strings.Contains(raw, "abc") {
		t.Error("the source's digest is written")
	}
	if o.Feeds.DB["built"] != "2026-01-02T00:00:00Z" || o.Feeds.DB["schema"] != 2.0 || o.Feeds.DB["digest"] != "sha256:ff" || o.Feeds.DB["path"] != "db" {
		t.Errorf("db %v", o.Feeds.DB)
	}
	s.AsOf = time.Time{}
	if o, _ = decode(s); o.Feeds.Sources[0]["age_days"] != nil {
		t.Errorf("age_days %v without as_of", o.Feeds.Sources[0]["age_days"])
	}
}
