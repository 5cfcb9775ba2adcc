package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/db"
)

// TestWriteDBStatusOrigins: a database made by `db update` shows each
// source's URL, last fetch and verification in the JSON (new fields) and
// the table, a source under a feed path taking that path's origin; hostile
// text from a feed's URL or verification is made safe in the table.
func TestWriteDBStatusOrigins(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	st := &db.Status{Schema: 1, Built: now, Sources: []advisory.Source{
		{Kind: "csaf", Path: "/x/db.feeds/csaf/www.cisa.gov", Captured: now},
		{Kind: "kev", Path: "/x/db.feeds/kev", Captured: now},
	}, Origins: []db.Origin{
		{Path: "/x/db.feeds/csaf/www.cisa.gov", URL: "https://www.cisa.gov/pm.json", Fetched: now.Add(-24 * time.Hour), Verification: "SHA-512\x1b[2J"},
		{Path: "/x/db.feeds/kev", URL: "https://kev.example/kev.json"},
	}}
	var b bytes.Buffer
	if err := WriteDBStatus(&b, "json", st, now, false, nil); err != nil {
		t.Fatal(err)
	}
	var out struct{ Sources []map[string]any }
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	s0, s1 := out.Sources[0], out.Sources[1]
	if s0["url"] != "https://www.cisa.gov/pm.json" || s0["fetched"] != "2026-12-06T00:00:00Z" || s0["verification"] != "SHA-512\x1b[2J" {
		t.Errorf("json source 0: %v", s0)
	}
	if s1["url"] != "https://kev.example/kev.json" || s1["fetched"] != "" {
		t.Errorf("json source 1 (never fetched whole): %v", s1)
	}
	b.Reset()
	if err := WriteDBStatus(&b, "table", st, now, false, nil); err != nil {
		t.Fatal(err)
	}
	tab := b.String()
	for _, want := range []string{"https://www.cisa.gov/pm.json", "2026-12-06T00:00:00Z (1 day)", "never (kept from a partial update)", "SHA-512?[2J"} {
		if !strings.Contains(tab, want) {
			t.Errorf("table lacks %q:\n%s", want, tab)
		}
	}
	if strings.Contains(tab, "\x1b") {
		t.Error("table carries an escape")
	}
}
