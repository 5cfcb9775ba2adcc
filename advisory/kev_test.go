package advisory

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func feedPath(elem ...string) string {
	return filepath.Join(append([]string{"..", "testdata", "feeds"}, elem...)...)
}

func TestLoadKEVAndEPSSFixtures(t *testing.T) {
	res := Load(context.Background(), feedPath("kev"), feedPath("epss"))
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if len(res.Advisories) != 0 {
		t.Errorf("%d advisories from KEV/EPSS files, want 0", len(res.Advisories))
	}
	if len(res.KEV) != 3 {
		t.Fatalf("%d KEV entries, want 3", len(res.KEV))
	}
	var log4j *KEV
	for i := range res.KEV {
		if res.KEV[i].CVE == "CVE-2021-44228" {
			log4j = &res.KEV[i]
		}
	}
	if log4j == nil {
		t.Fatal("no KEV entry for CVE-2021-44228")
	}
	if log4j.DateAdded != "2021-12-10" || log4j.DueDate != "2021-12-24" || !log4j.Ransomware ||
		log4j.VendorProject != "Apache" || log4j.Product != "Log4j2" || log4j.Catalog != "2025.02.25" ||
		log4j.Released != "2025-02-25T20:33:53.3676Z" || !strings.HasSuffix(log4j.Source, "known_exploited_vulnerabilities.json") {
		t.Errorf("log4j entry = %+v", *log4j)
	}
	if h := res.KEV[0]; h.CVE != "CVE-2023-44487" || h.Product != "HTTP/2" || h.Ransomware {
		t.Errorf("first entry = %+v", h)
	}
	if len(res.EPSS) != 24 {
		t.Fatalf("%d EPSS scores, want 24", len(res.EPSS))
	}
	for _, e := range res.EPSS {
		if e.Model != "v2025.03.14" || e.Date != "2025-03-17T12:55:00Z" {
			t.Fatalf("EPSS %+v: model/date not from the comment line", e)
		}
		if e.CVE == "CVE-2021-44228" && (e.Score != 0.94358 || e.Percentile != 0.99957) {
			t.Errorf("log4j EPSS = %+v", e)
		}
	}
}

func TestDecodeKEV(t *testing.T) {
	tests := []struct {
		name, doc string
		n         int
		err       string
	}{
		{"empty list", `{"catalogVersion":"1","vulnerabilities":[]}`, 0, ""},
		{"one", `{"catalogVersion":"1","vulnerabilities":[{"cveID":"cve-2020-0001","knownRansomwareCampaignUse":"Unknown"}]}`, 1, ""},
		{"no list", `{"catalogVersion":"1"}`, 0, "no \"vulnerabilities\""},
		{"bad id", `{"vulnerabilities":[{"cveID":"GHSA-x"}]}`, 0, "vulnerabilities[0]: cveID \"GHSA-x\""},
		{"truncated", `{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-1`, 0, "KEV catalog"},
		{"wrong type", `{"catalogVersion":"1","vulnerabilities":{"cveID":"CVE-1"}}`, 0, "KEV catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !looksLikeKEV([]byte(tt.doc)) {
				t.Fatal("not sniffed as KEV")
			}
			f, err := ParseFeed(strings.NewReader(tt.doc), "kev.json")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "kev.json") {
					t.Fatalf("err = %v, want %q naming the file", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.KEV) != tt.n {
				t.Fatalf("%d entries, want %d", len(f.KEV), tt.n)
			}
			if tt.n == 1 && (f.KEV[0].CVE != "CVE-2020-0001" || f.KEV[0].Ransomware) {
				t.Errorf("entry = %+v", f.KEV[0])
			}
		})
	}
}

func TestDecodeEPSS(t *testing.T) {
	tests := []struct {
		name, doc string
		n         int
		err       string
	}{
		{"real layout", "#model_version:v2023.03.01,score_date:2023-03-06T00:00:00+0000\ncve,epss,percentile\nCVE-1999-0001,0.01042,0.82288\n", 1, ""},
		{"no comment", "cve,epss,percentile\nCVE-1999-0001,0.5,0.9\nCVE-1999-0002,0,0\n", 2, ""},
		{"no epss column", "cve,score\nCVE-1999-0001,0.1\n", 0, "EPSS file: line 1: header"},
		{"no epss column after comment", "#model_version:v1\ncve,score\n", 0, "EPSS file: line 2: header"},
		{"header only", "#model_version:v1,score_date:d\ncve,epss,percentile\n", 0, ""},
		{"out of range", "cve,epss,percentile\nCVE-1999-0001,1.5,0.9\n", 0, "line 2: epss: \"1.5\" is not between 0 and 1"},
		{"not a number", "#model_version:v1,score_date:d\ncve,epss,percentile\nCVE-1,0.1,0.2\nCVE-2,x,0.2\n", 0, "line 4: epss: \"x\" is not a number"},
		{"short row", "cve,epss,percentile\nCVE-1999-0001,0.1\n", 0, "line 2: 2 field(s), want 3"},
		{"bad cve", "cve,epss,percentile\nGHSA-1,0.1,0.1\n", 0, "is not a CVE id"},
		{"no header", "#model_version:v1,score_date:d\n", 0, "no header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := decodeEPSS([]byte(tt.doc), "e.csv")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.EPSS) != tt.n {
				t.Fatalf("%d scores, want %d", len(f.EPSS), tt.n)
			}
			if tt.name == "real layout" {
				e := f.EPSS[0]
				if e.Model != "v2023.03.01" || e.Date != "2023-03-06T00:00:00+0000" || e.Score != 0.01042 || e.Percentile != 0.82288 {
					t.Errorf("score = %+v", e)
				}
			}
		})
	}
	// Columns in another order are found by name.
	f, err := decodeEPSS([]byte("percentile,cve,epss\n0.3,cve-2000-0001,0.2\n"), "e.csv")
	if err != nil || len(f.EPSS) != 1 || f.EPSS[0].CVE != "CVE-2000-0001" || f.EPSS[0].Score != 0.2 || f.EPSS[0].Percentile != 0.3 {
		t.Errorf("reordered: %+v, %v", f, err)
	}
}

// A bad KEV file is one named error; the other files of the load are still
// read.
func TestLoadBadKEVKeepsOthers(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a-kev.json"), `{"catalogVersion":"x","vulnerabilities":[{"cveID":"nope"}]}`)
	writeFile(t, filepath.Join(dir, "b-epss.csv"), "cve,epss,percentile\nCVE-2021-44228,0.9,0.99\n")
	res := Load(context.Background(), dir)
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "a-kev.json") || len(res.EPSS) != 1 {
		t.Fatalf("errors %v, EPSS %v", res.Errors, res.EPSS)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkDecodeEPSS(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("#model_version:v2025.03.14,score_date:2025-03-17T12:55:00Z\ncve,epss,percentile\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "CVE-2020-%05d,0.%05d,0.%05d\n", i, i, i)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decodeEPSS(data, "e.csv"); err != nil {
			b.Fatal(err)
		}
	}
}
