package advisory

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

// TestSharedCSAFConformance loads every file of shared/csaf (the OASIS 2.0
// and 2.1 examples, the complete 2.0 validator test set and a 2.1 subset,
// and the real CISA advisories) and requires that every CSAF document
// loads, the invalid validator cases included: they break rules of the
// standard (duplicate or missing product ids, contradicting statuses, bad
// purls, ...) that a lenient reader tolerates, the JSON being well formed.
// The only files not read are the JSON schemas and the validator's
// testcases.json lists, which are not CSAF documents and are passed over
// (Ignored), not errors.
func TestSharedCSAFConformance(t *testing.T) {
	dir := sharedtest.Path(t, "csaf")
	res := Load(context.Background(), dir)
	for _, e := range res.Errors {
		t.Errorf("load error: %v", e)
	}
	var ignored []string
	for _, e := range res.Ignored {
		rel, _ := filepath.Rel(dir, e.Path)
		ignored = append(ignored, filepath.ToSlash(rel))
	}
	wantIgnored := []string{
		"README.md",
		"oasis-tcs-csaf/csaf_2.0/json_schema/csaf_json_schema.json",
		"oasis-tcs-csaf/csaf_2.0/referenced_schema/first/cvss-v2.0.json",
		"oasis-tcs-csaf/csaf_2.0/referenced_schema/first/cvss-v3.0.json",
		"oasis-tcs-csaf/csaf_2.0/referenced_schema/first/cvss-v3.1.json",
		"oasis-tcs-csaf/csaf_2.0/test/validator/data/testcases.json",
		"oasis-tcs-csaf/csaf_2.1/json_schema/csaf.json",
		"oasis-tcs-csaf/csaf_2.1/json_schema/meta.json",
		"oasis-tcs-csaf/csaf_2.1/test/validator/data/testcases.json",
	}
	if !slices.Equal(ignored, wantIgnored) {
		t.Errorf("ignored:\n%s\nwant:\n%s", strings.Join(ignored, "\n"), strings.Join(wantIgnored, "\n"))
	}
	// Every .json file that is not ignored gave a document.
	docs := map[string]bool{}
	for _, a := range res.Advisories {
		if a.Format != FormatCSAF {
			t.Errorf("%s: format %q", a.Source, a.Format)
		}
		docs[a.Source] = true
	}
	var files, cisa int
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if slices.Contains(wantIgnored, filepath.ToSlash(rel)) {
			return nil
		}
		files++
		if strings.HasPrefix(rel, "cisa") {
			cisa++
		}
		data, _ := os.ReadFile(p)
		if strings.Contains(string(data), `"vulnerabilities"`) && !docs[p] {
			// Documents without vulnerabilities (csaf_base) make no
			// record; the others must.
			t.Errorf("%s: no advisory read", rel)
		}
		return nil
	})
	if cisa != 172 {
		t.Errorf("%d CISA files, want 172 (144 ICSMA, 9 ICSA, 19 cisagov)", cisa)
	}
	t.Logf("%d CSAF files, %d with vulnerabilities, %d advisories", files, len(docs), len(res.Advisories))
	// Each vulnerability is one record: ids are unique within a load
	// (the same document under two names is two sources).
	seen := map[[2]string]bool{}
	for _, a := range res.Advisories {
		k := [2]string{a.ID, a.Source}
		if seen[k] {
			t.Errorf("duplicate record %s in %s", a.ID, a.Source)
		}
		seen[k] = true
	}
}

func loadCSAF(t *testing.T, elem ...string) []*Advisory {
	t.Helper()
	p := sharedtest.Path(t, append([]string{"csaf"}, elem...)...)
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	advs, err := Parse(f, p)
	if err != nil {
		t.Fatal(err)
	}
	return advs
}

func findStatus(a *Advisory, id string) []ProductStatus {
	var out []ProductStatus
	for _, ps := range a.Products {
		if ps.Product.ID == id {
			out = append(out, ps)
		}
	}
	return out
}

// TestSharedCSAFDetails checks what is read from real CISA files.
func TestSharedCSAFDetails(t *testing.T) {
	t.Run("siemens model numbers, vers range, vendor_fix", func(t *testing.T) {
		advs := loadCSAF(t, "cisagov-CSAF/csaf_files/OT/white/2024/icsa-24-284-08.json")
		if len(advs) != 1 {
			t.Fatalf("%d advisories", len(advs))
		}
		a := advs[0]
		if a.ID != "ICSA-24-284-08/CVE-2023-52952" || !slices.Equal(a.Aliases, []string{"CVE-2023-52952"}) {
			t.Errorf("id %q aliases %q", a.ID, a.Aliases)
		}
		if a.Document == nil || a.Document.ID != "ICSA-24-284-08" || a.Document.Category != "csaf_security_advisory" {
			t.Errorf("document %+v", a.Document)
		}
		ps := findStatus(a, "CSAFPID-0001")
		if len(ps) != 1 {
			t.Fatalf("CSAFPID-0001: %+v", ps)
		}
		p := ps[0].Product
		if p.Vendor != "Siemens" || p.ProductName != "HiMed Cockpit 12 pro (J31032-K2017-H259)" ||
			p.VersionRange != "vers:all/>=V11.5.1|<V11.6.2" || !slices.Equal(p.ModelNumbers, []string{"J31032-K2017-H259"}) {
			t.Errorf("product %+v", p)
		}
		if ps[0].Status != ProductAffected || ps[0].List != "known_affected" {
			t.Errorf("status %+v", ps[0])
		}
		if len(ps[0].Remediations) == 0 || ps[0].Remediations[0].Category != "vendor_fix" {
			t.Errorf("remediations %+v", ps[0].Remediations)
		}
		if !slices.Contains(a.Severity, Severity{Type: "CVSS_V3", Score: "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:H/E:P/RL:O/RC:C"}) {
			t.Errorf("severity %v", a.Severity)
		}
	})
	t.Run("mobotix relationships, flags, hashes", func(t *testing.T) {
		advs := loadCSAF(t, "cisagov-CSAF/csaf_files/OT/white/2024/icsa-24-235-03.json")
		var a *Advisory
		for _, x := range advs {
			if x.ID == "ICSA-24-235-03/CVE-2023-34873" {
				a = x
			}
		}
		if a == nil {
			t.Fatal("CVE-2023-34873 not read")
		}
		ps := findStatus(a, "CSAFPID-0109")
		if len(ps) == 0 {
			t.Fatal("CSAFPID-0109 has no status")
		}
		r := ps[0].Product.Relationship
		if r == nil || r.Category != "installed_on" || r.Component == nil || r.Component.ID != "CSAFPID-0034" || r.Target == nil || r.Target.ID != "CSAFPID-0001" {
			t.Fatalf("relationship %+v", r)
		}
		if r.Target.Name != "Mobotix P3 D24M" || r.Target.Vendor == "" {
			t.Errorf("target %+v", r.Target)
		}
		if ps[0].Justification != "vulnerable_code_not_present" {
			t.Errorf("flag: %+v", ps[0])
		}
		// CSAFPID-0066 (firmware MX-V4.4.2.34) carries a file hash; it
		// is reached as the component of a relationship product.
		var fw *Product
		for _, st := range a.Products {
			if rel := st.Product.Relationship; rel != nil && rel.Component != nil && rel.Component.ID == "CSAFPID-0066" {
				fw = rel.Component
			}
		}
		if fw == nil || fw.Version != "MX-V4.4.2.34" || len(fw.Hashes) == 0 || fw.Hashes[0] != "md5:837fee628c1545a317aa3bbf7a2364ae" {
			t.Errorf("firmware product %+v", fw)
		}
	})
	t.Run("adminer vex: none_available and vendor_fix by product", func(t *testing.T) {
		advs := loadCSAF(t, "cisagov-CSAF/csaf_files/IT/white/2024/va-24-201-01.json")
		a := advs[0]
		if a.Document.Category != "csaf_vex" || a.ID != "VA-24-201-01/CVE-2023-45195" {
			t.Fatalf("%s %+v", a.ID, a.Document)
		}
		got := map[string]string{}
		for _, ps := range a.Products {
			var cats []string
			for _, r := range ps.Remediations {
				cats = append(cats, r.Category+" "+r.URL)
			}
			got[ps.Product.ID+" "+ps.List] = strings.Join(cats, ",")
		}
		want := map[string]string{
			"CSAFPID-0009 fixed":          "",
			"CSAFPID-0077 known_affected": "vendor_fix https://github.com/adminerevo/adminerevo/releases/tag/v4.8.4",
			"CSAFPID-0007 known_affected": "vendor_fix https://github.com/adminerevo/adminerevo/releases/tag/v4.8.4",
			"CSAFPID-0006 known_affected": "none_available ",
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %q, want %q", k, got[k], v)
			}
		}
	})
	t.Run("mojibake vendor kept as written", func(t *testing.T) {
		a := loadCSAF(t, "cisagov-CSAF/csaf_files/OT/white/2021/icsma-21-007-01.json")[0]
		p := a.Products[0].Product
		if p.Vendor != "Innokas YhtymÃ¤ Oy" || p.ProductName != "VC150" || p.VersionRange != "< 1.7.15" {
			t.Errorf("%+v", p)
		}
	})
}

func TestCSAFChecksum(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", "csaf", "acme-2026-001.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "2026", "good.json")
	bad := filepath.Join(dir, "2026", "bad.json")
	os.MkdirAll(filepath.Dir(good), 0o755)
	os.WriteFile(good, src, 0o644)
	os.WriteFile(bad, src, 0o644)
	// sha256sum format, then a bare sha512 of other bytes.
	os.WriteFile(good+".sha256", []byte(sha256hex(src)+"  good.json\n"), 0o644)
	os.WriteFile(bad+".sha512", []byte(strings.Repeat("ab", 64)+"\n"), 0o644)
	// A gzip-compressed document is checked as stored.
	gz := filepath.Join(dir, "2026", "gz.json.gz")
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(src)
	zw.Close()
	os.WriteFile(gz, zb.Bytes(), 0o644)
	os.WriteFile(gz+".sha256", []byte(sha256hex(zb.Bytes())+"\n"), 0o644)
	res := Load(context.Background(), dir)
	if len(res.Errors) != 1 || res.Errors[0].Path != bad || !errors.Is(res.Errors[0], ErrChecksum) {
		t.Fatalf("errors %v", res.Errors)
	}
	srcs := map[string]bool{}
	for _, a := range res.Advisories {
		srcs[a.Source] = true
	}
	if !srcs[good] || !srcs[gz] || srcs[bad] {
		t.Errorf("sources %v", srcs)
	}
	if len(res.Ignored) != 3 { // the three checksum files
		t.Errorf("ignored %v", res.Ignored)
	}
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// BenchmarkCSAFLoadCISA reads the 144 real CISA ICSMA advisories of
// shared/csaf (about 10 MB).
func BenchmarkCSAFLoadCISA(b *testing.B) {
	dir := sharedtest.Path(b, "csaf", "cisa-icsma")
	for b.Loop() {
		res := Load(context.Background(), dir)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors[0])
		}
		b.ReportMetric(float64(len(res.Advisories)), "advisories")
	}
}
