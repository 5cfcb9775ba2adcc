package csafsync

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

// TestParseChangesReal reads CISA's real changes.csv (2,379 OT lines,
// unquoted, paths from the repository root) and resolves every path
// under the directory it would be served from.
func TestParseChangesReal(t *testing.T) {
	dist := sharedtest.Path(t, "csaf-distribution", "cisagov-CSAF", "csaf_files")
	for _, sub := range []string{"OT", "IT"} {
		data, err := os.ReadFile(filepath.Join(dist, sub, "white", "changes.csv"))
		if err != nil {
			t.Fatal(err)
		}
		changes, problems := ParseChanges(data)
		lines := strings.Count(string(data), "\n")
		if len(problems) != 0 || len(changes) != lines {
			t.Fatalf("%s: %d changes of %d lines, problems %v", sub, len(changes), lines, problems)
		}
		dir, _ := url.Parse("https://www.cisa.gov/sites/default/files/csaf/csaf_files/" + sub + "/white/")
		for _, c := range changes {
			u, err := resolveInDir(dir, c.Path)
			if err != nil || !strings.HasPrefix(u.String(), dir.String()+"20") || strings.Count(u.Path, "csaf_files") != 1 {
				t.Fatalf("%s: %v %v", c.Path, u, err)
			}
		}
		if sub == "OT" && (lines != 2379 || changes[0].Release != "2024-09-10T06:00:00Z") {
			t.Errorf("OT: %d lines, first release %s", lines, changes[0].Release)
		}
	}
}

func TestParseChanges(t *testing.T) {
	in := "\"2024/a.json\",\"2024-01-02T03:04:05.000Z\"\r\n" +
		"2023/b.json,2023-01-02T03:04:05+02:00\n" +
		"\n" +
		"no-comma\n" +
		"2023/c.json,yesterday\n" +
		"\"2023/\"d.json\",2023-01-02T03:04:05Z\n" +
		strings.Repeat("x", MaxLineBytes) + ",2023-01-02T03:04:05Z\n"
	changes, problems := ParseChanges([]byte(in))
	want := []Change{{"2024/a.json", "2024-01-02T03:04:05Z"}, {"2023/b.json", "2023-01-02T01:04:05Z"}}
	if !slices.Equal(changes, want) || len(problems) != 4 || !strings.HasPrefix(problems[0], "line 4:") {
		t.Errorf("got %v\nproblems %q", changes, problems)
	}
}

func TestResolveInDir(t *testing.T) {
	dir, _ := url.Parse("https://example.com/.well-known/csaf/white/")
	for p, want := range map[string]string{
		"2024/x.json":            "https://example.com/.well-known/csaf/white/2024/x.json",
		"white/2024/x.json":      "https://example.com/.well-known/csaf/white/2024/x.json",
		"csaf/white/2024/x.json": "https://example.com/.well-known/csaf/white/2024/x.json",
		"../red/2024/x.json":     "",
		"2024/../../x.json":      "",
		"/2024/x.json":           "",
		"https://evil/x.json":    "",
		"//evil/x.json":          "",
	} {
		u, err := resolveInDir(dir, p)
		got := ""
		if err == nil {
			got = u.String()
		}
		if got != want {
			t.Errorf("%s: %s (%v), want %q", p, got, err, want)
		}
	}
}

func TestSecurityTxtCSAF(t *testing.T) {
	got := SecurityTxtCSAF([]byte(securityTxt))
	want := []string{"https://csaf.example-medical.com/gone/provider-metadata.json", "https://csaf.example-medical.com/meta/provider-metadata.json"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
	if got := SecurityTxtCSAF([]byte("CSAF: http://plain.example/provider-metadata.json\nCSAF:ftp://x\nCSAF: https://a b\n")); len(got) != 0 {
		t.Errorf("not https: %q", got)
	}
}

func TestLocalPath(t *testing.T) {
	meta, _ := url.Parse("https://example.com/provider-metadata.json")
	s := &syncer{metaURL: meta}
	for raw, want := range map[string]string{
		"https://example.com/.well-known/csaf/white/2024/x.json": "well-known/csaf/white/2024/x.json",
		"https://cdn.example.com:8443/a/x.json":                  "cdn.example.com_8443/a/x.json",
		"https://example.com/a/%2e%2e/x.json":                    "",
		"https://example.com/a//x.json":                          "",
		"https://example.com/a/x.txt":                            "",
		"https://example.com/a b/x.json":                         "",
		"https://example.com/..":                                 "",
	} {
		got, err := s.localPath(raw)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("%s: %q %v, want %q", raw, got, err, want)
		}
	}
}

func TestParseHashFile(t *testing.T) {
	h512, h256 := strings.Repeat("A1", 64), strings.Repeat("b2", 32)
	for _, tc := range []struct{ data, name, algo string }{
		{h512 + "  x.json\n", "x.json.sha512", "sha512"},
		{"\ufeff" + h256, "x.json.sha256", "sha256"},
		{h256, "x.json.sha512", "bad"},
		{h512, "hash", "sha512"},
		{"zz" + h512[2:], "x.json.sha512", "bad"},
		{"", "x.json.sha512", "bad"},
	} {
		if algo, _ := parseHashFile([]byte(tc.data), tc.name); algo != tc.algo {
			t.Errorf("%q %s: %s, want %s", tc.data, tc.name, algo, tc.algo)
		}
	}
}

func TestCheckDocument(t *testing.T) {
	doc := func(dist string) []byte {
		return []byte(`{"document": {"csaf_version": "2.0"` + dist + `}}`)
	}
	white := &job{entry: entry{From: "https://x.example/csaf/white/changes.csv"}}
	green := &job{entry: entry{From: "https://x.example/csaf/green/changes.csv"}}
	feed := &job{entry: entry{From: "https://x.example/csaf/feed-white.json"}}
	for _, tc := range []struct {
		data   []byte
		j      *job
		refuse string
	}{
		{doc(`, "distribution": {"tlp": {"label": "WHITE"}}`), green, ""},
		{doc(`, "distribution": {"tlp": {"label": "CLEAR"}}`), green, ""},
		{doc(`, "distribution": {"tlp": {"label": "AMBER"}}`), white, "TLP:AMBER"},
		{doc(`, "distribution": {"tlp": {"label": "white"}}`), white, "TLP:white"},
		{doc(``), white, ""},
		{doc(`, "distribution": {"text": "no label"}`), feed, ""},
		{doc(``), green, "no TLP label"},
		{[]byte(`{"document": {}}`), white, "not a CSAF document"},
		{[]byte(`[1, 2]`), white, "not a CSAF document"},
	} {
		err := checkDocument(tc.data, tc.j)
		if (err == nil) != (tc.refuse == "") || (err != nil && !strings.Contains(err.Error(), tc.refuse)) {
			t.Errorf("%s from %s: %v, want %q", tc.data, tc.j.From, err, tc.refuse)
		}
	}
}
