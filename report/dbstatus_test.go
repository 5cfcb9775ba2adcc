package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/db"
)

// TestWriteDBStatus: the JSON keeps the contract's keys with each source's
// age at now; the table escapes a hostile path and says a failed
// verification loudly; an unknown format is an error.
func TestWriteDBStatus(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	st := &db.Status{Path: "feeds\x1b[2J.db", Schema: 1, Built: now.Add(-48 * time.Hour), Digest: "sha256:ab",
		Sources: []advisory.Source{{Kind: "osv", Path: "osv/", Records: 3, Captured: now.Add(-8 * 24 * time.Hour)}}}
	var b bytes.Buffer
	if err := WriteDBStatus(&b, "json", st, now, true, nil); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema", "built", "bomrank_version", "digest", "sources", "verified"} {
		if _, ok := out[k]; !ok {
			t.Errorf("json: no %q in %s", k, b.String())
		}
	}
	src := out["sources"].([]any)[0].(map[string]any)
	if src["age_days"] != 8.0 || out["verified"] != true {
		t.Errorf("json: age %v verified %v", src["age_days"], out["verified"])
	}
	b.Reset()
	if err := WriteDBStatus(&b, "table", st, now, true, errors.New("section index: checksum mismatch")); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, "\x1b") || !strings.Contains(s, "NO: section index: checksum mismatch") || !strings.Contains(s, "8 days") {
		t.Errorf("table:\n%s", s)
	}
	if err := WriteDBStatus(&b, "xml", st, now, false, nil); err == nil {
		t.Error("format xml accepted")
	}
}
