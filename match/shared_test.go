package match_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// TestSharedOSVAnswers scans the software SBOMs of shared against the real
// OSV slice and checks the hand-checked answers of shared/DATA.md section
// 6, the counts of expected/osv-matches.json (less the withdrawn record),
// and that every serialisation of one product gives the same findings.
func TestSharedOSVAnswers(t *testing.T) {
	shared := sharedtest.Dir(t)
	ctx := context.Background()
	ares := advisory.Load(ctx, filepath.Join(shared, "osv", "slice"))
	if len(ares.Errors) > 0 {
		t.Fatalf("advisory errors: %v", ares.Errors)
	}
	sres := sbom.Load(ctx, filepath.Join(shared, "sboms", "software"))
	if len(sres.Errors) > 0 {
		t.Fatalf("sbom errors: %v", sres.Errors)
	}
	m := &match.Matcher{Index: index.New(ares.Advisories)}
	results := scanned(m, ctx, sres.Devices)
	byFile := map[string]*match.DeviceResult{}
	for _, r := range results {
		rel, _ := filepath.Rel(filepath.Join(shared, "sboms", "software"), r.Device.Path)
		byFile[rel] = r
	}
	// Affected counts: expected/osv-matches.json, less GO-2026-4923
	// (withdrawn) for proton-bridge. traefik's 160 include 56 matches of
	// its own main module at version "(devel)", which has no order: those
	// are status unknown here, never dropped, except the 11 whose range
	// holds every version of traefik/v2 (introduced "0" alone): those are
	// affected whatever the version.
	counts := map[string][2]int{ // affected, unknown
		"proton-bridge-v1.6.3/bom.json":                  {58, 0},
		"proton-bridge-v1.6.3/bom.xml":                   {58, 0},
		"gin-plugfest2024-syft/cyclonedx-json.json":      {40, 0},
		"gin-plugfest2024-syft/cyclonedx-xml.xml":        {40, 0},
		"gin-plugfest2024-syft/spdx-json.json":           {40, 0},
		"gin-plugfest2024-syft/spdx-tag-value.tag-value": {40, 0},
		"hexyl-plugfest2024-syft/cyclonedx-json.json":    {2, 0},
		"hexyl-plugfest2024-syft/spdx-json.json":         {2, 0},
		"spdx-example11-rust/sbom.spdx.json":             {7, 0},
		"spdx-example11-rust/sbom.spdx3.json":            {7, 0},
		"traefik-rkvst-syft/traefik-cdx.xml":             {115, 46},
	}
	for file, want := range counts {
		r := byFile[file]
		if r == nil {
			t.Errorf("%s: not scanned", file)
			continue
		}
		unknown := 0
		for _, f := range r.Findings {
			if f.Status == match.Unknown {
				unknown++
			}
		}
		if got := [2]int{r.Affected(), unknown}; got != want {
			t.Errorf("%s: %d affected, %d unknown; want %d, %d", file, got[0], got[1], want[0], want[1])
		}
	}

	find := func(file, id, pkg string) *match.Finding {
		t.Helper()
		r := byFile[file]
		if r == nil {
			t.Fatalf("%s not scanned", file)
		}
		for _, f := range r.Findings {
			if (f.ID == id || slices.Contains(f.Aliases, id)) && f.Component.Name == pkg {
				return f
			}
		}
		return nil
	}
	hand := []struct {
		file, id, pkg, fixed string
	}{
		{"proton-bridge-v1.6.3/bom.json", "GO-2020-0001", "github.com/gin-gonic/gin", "1.6.0"},
		{"proton-bridge-v1.6.3/bom.json", "GO-2021-0052", "github.com/gin-gonic/gin", "1.7.7"},
		{"proton-bridge-v1.6.3/bom.json", "GO-2023-1737", "github.com/gin-gonic/gin", "1.9.1"},
		{"proton-bridge-v1.6.3/bom.json", "GO-2021-0113", "golang.org/x/text", "0.3.7"},
		{"proton-bridge-v1.6.3/bom.json", "GO-2022-0603", "gopkg.in/yaml.v3", "3.0.0-20220521103104-8f96da9f5d5e"},
		{"proton-bridge-v1.6.3/bom.json", "GO-2020-0017", "github.com/dgrijalva/jwt-go", ""},
		{"gin-plugfest2024-syft/cyclonedx-json.json", "GO-2024-3321", "golang.org/x/crypto", "0.31.0"},
		{"gin-plugfest2024-syft/spdx-tag-value.tag-value", "GO-2024-3333", "golang.org/x/net", "0.33.0"},
		{"gin-plugfest2024-syft/cyclonedx-xml.xml", "GO-2024-3302", "github.com/quic-go/quic-go", "0.48.2"},
		{"spdx-example11-rust/sbom.spdx.json", "RUSTSEC-2023-0001", "tokio", "1.20.3"},
		{"hexyl-plugfest2024-syft/cyclonedx-json.json", "RUSTSEC-2024-0404", "anstream", "0.6.8"},
	}
	for _, h := range hand {
		f := find(h.file, h.id, h.pkg)
		if f == nil || f.Status != match.Affected {
			t.Errorf("%s: %s in %s not found affected: %+v", h.file, h.id, h.pkg, f)
			continue
		}
		fixed := ""
		if len(f.Fixed) > 0 {
			fixed = f.Fixed[0]
		}
		if fixed != h.fixed {
			t.Errorf("%s: %s fixed %q, want %q", h.file, h.id, fixed, h.fixed)
		}
	}
	// Aliases join: GO-2020-0001 is CVE-2020-36567 and GHSA-6vm3-jj99-7229.
	if f := find("proton-bridge-v1.6.3/bom.json", "GO-2020-0001", "github.com/gin-gonic/gin"); f != nil {
		all := append([]string{f.ID}, f.Aliases...)
		for _, id := range []string{"GO-2020-0001", "CVE-2020-36567", "GHSA-6vm3-jj99-7229"} {
			if !slices.Contains(all, id) {
				t.Errorf("GO-2020-0001 finding lacks id %s: %v", id, all)
			}
		}
	}
	// Must not match: the withdrawn record, and GO-2023-2102 for x/net
	// v0.27.0 (fixed in 0.17.0).
	if f := find("proton-bridge-v1.6.3/bom.json", "GO-2026-4923", "go.etcd.io/bbolt"); f != nil {
		t.Errorf("withdrawn GO-2026-4923 reported: %+v", f)
	}
	if f := find("gin-plugfest2024-syft/cyclonedx-json.json", "GO-2023-2102", "golang.org/x/net"); f != nil {
		t.Errorf("GO-2023-2102 reported for x/net v0.27.0: %+v", f)
	}
	// RustSec informational flag carried.
	if f := find("hexyl-plugfest2024-syft/cyclonedx-json.json", "RUSTSEC-2024-0404", "anstream"); f != nil && f.Informational != "unsound" {
		t.Errorf("RUSTSEC-2024-0404 informational %q, want unsound", f.Informational)
	}
	// The four serialisations of gin agree finding for finding.
	ref := byFile["gin-plugfest2024-syft/cyclonedx-json.json"]
	for _, other := range []string{"gin-plugfest2024-syft/cyclonedx-xml.xml", "gin-plugfest2024-syft/spdx-json.json", "gin-plugfest2024-syft/spdx-tag-value.tag-value"} {
		o := byFile[other]
		if o == nil || len(o.Findings) != len(ref.Findings) {
			t.Errorf("%s: findings differ in number", other)
			continue
		}
		for i := range ref.Findings {
			a, b := ref.Findings[i], o.Findings[i]
			if a.ID != b.ID || a.Component.Name != b.Component.Name || a.Status != b.Status || !slices.Equal(a.Fixed, b.Fixed) {
				t.Errorf("%s finding %d: %s %s vs %s %s", other, i, a.ID, a.Component.Name, b.ID, b.Component.Name)
			}
		}
	}
}
