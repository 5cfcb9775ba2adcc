package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

// spdx2Shared returns the shared real-data folder ($BOMRANK_SHARED, else
// ../shared beside the module root), skipping the test when it is absent.
func spdx2Shared(t *testing.T) string {
	t.Helper()
	return sharedtest.Dir(t)
}

func spdx2Find(t *testing.T, d *Device, ref string) *Component {
	t.Helper()
	for _, c := range d.Components {
		if c.Ref == ref {
			return c
		}
	}
	t.Fatalf("%s: no component %s", d.Path, ref)
	return nil
}

func spdx2DependsOn(d *Device, ref, on string) bool {
	for _, dep := range d.Dependencies {
		if dep.Ref == ref && slices.Contains(dep.DependsOn, on) {
			return true
		}
	}
	return false
}

func spdx2HasWarning(d *Device, rule, text string) bool {
	for _, w := range d.Warnings {
		if w.Rule == rule && strings.Contains(w.String(), text) {
			return true
		}
	}
	return false
}

// TestSPDX2SpecExamples checks the SPDX specification's own example
// document, which is the same in each serialisation: glibc is described
// (along with a file), Apache Commons Lang, Jena and Saxon are the other
// packages, and glibc DYNAMIC_LINKs Saxon.
func TestSPDX2SpecExamples(t *testing.T) {
	shared := spdx2Shared(t)
	tests := []struct {
		file    string
		format  Format
		version string
	}{
		{"spec-examples-2.2/SPDXJSONExample-v2.2.spdx.json", SPDXJSON, "SPDX-2.2"},
		{"spec-examples-2.2/SPDXTagExample-v2.2.spdx", SPDXTagValue, "SPDX-2.2"},
		{"spec-examples-2.3/SPDXJSONExample-v2.3.spdx.json", SPDXJSON, "SPDX-2.3"},
		{"spec-examples-2.3/SPDXTagExample-v2.3.spdx", SPDXTagValue, "SPDX-2.3"},
		{"spec-examples-2.3/SPDXYAMLExample-2.3.spdx.yaml", SPDXYAML, "SPDX-2.3"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			d, err := ParseFile(filepath.Join(shared, "conformance", "spdx", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if d.Format != tt.format || d.SpecVersion != tt.version {
				t.Errorf("format %s %q, want %s %q", d.Format, d.SpecVersion, tt.format, tt.version)
			}
			if d.DocumentName != "SPDX-Tools-v2.0" {
				t.Errorf("document name %q", d.DocumentName)
			}
			wantID := Identifier{Type: "spdx-document-namespace", Value: "http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301"}
			if !slices.Contains(d.Identifiers, wantID) {
				t.Errorf("identifiers %v lack %v", d.Identifiers, wantID)
			}

			// The device: SPDXRef-Package (glibc); SPDXRef-File is
			// also described but is not a package.
			if d.Ref != "SPDXRef-Package" || d.Name != "glibc" || d.Version != "2.11.1" {
				t.Errorf("device %s %q %q, want SPDXRef-Package glibc 2.11.1", d.Ref, d.Name, d.Version)
			}
			if want := []string{"cpe:2.3:a:pivotal_software:spring_framework:4.1.0:*:*:*:*:*:*:*"}; !slices.Equal(d.CPEs, want) {
				t.Errorf("device CPEs %v, want %v", d.CPEs, want)
			}
			for _, h := range []Hash{
				{"MD5", "624c1abb3664f4b35547e7c73864ad24"},
				{"SHA-1", "85ed0817af83a24ad8da68c2b5094de69833983c"},
				{"SHA-256", "11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd"},
			} {
				if !slices.Contains(d.Hashes, h) {
					t.Errorf("device hashes %v lack %v", d.Hashes, h)
				}
			}
			// PackageSupplier: Person: Jane Doe (jane.doe@example.com)
			// PackageOriginator: Organization: ExampleCodeInspect (contact@example.com)
			if d.Supplier != "Jane Doe" {
				t.Errorf("device supplier %q, want Jane Doe", d.Supplier)
			}
			if d.Manufacturer != "ExampleCodeInspect" {
				t.Errorf("manufacturer %q, want the originator organisation ExampleCodeInspect", d.Manufacturer)
			}
			if tt.version == "SPDX-2.3" {
				if d.Type != "source" || d.EndOfSupport != "2014-01-29T18:30:22Z" {
					t.Errorf("device type %q end of support %q, want source 2014-01-29T18:30:22Z", d.Type, d.EndOfSupport)
				}
				h := Hash{"BLAKE2b-384", "aaabd89c926ab525c242e6621f2f5fa73aa4afe3d9e24aed727faaadd6af38b620bdb623dd2b4788b1c8086984af8706"}
				if !slices.Contains(d.Hashes, h) {
					t.Errorf("device hashes %v lack %v", d.Hashes, h)
				}
			}

			// 4 packages less the device; files and the snippet
			// are not components.
			var refs []string
			for _, c := range d.Components {
				refs = append(refs, c.Ref)
				if c.Parent != "" {
					// SPDXRef-Package CONTAINS SPDXRef-JenaLib, a file.
					t.Errorf("%s has parent %q; no package contains another here", c.Ref, c.Parent)
				}
			}
			if want := []string{"SPDXRef-fromDoap-1", "SPDXRef-fromDoap-0", "SPDXRef-Saxon"}; !slices.Equal(refs, want) {
				t.Errorf("components %v, want %v", refs, want)
			}
			if c := spdx2Find(t, d, "SPDXRef-fromDoap-1"); c.Name != "Apache Commons Lang" || c.Version != "" || c.PURL != "" {
				t.Errorf("Apache Commons Lang: %+v", *c)
			}
			jena := spdx2Find(t, d, "SPDXRef-fromDoap-0")
			if jena.Name != "Jena" || jena.Version != "3.12.0" || jena.PURL != "pkg:maven/org.apache.jena/apache-jena@3.12.0" {
				t.Errorf("Jena: %+v", *jena)
			}
			saxon := spdx2Find(t, d, "SPDXRef-Saxon")
			if saxon.Version != "8.8" || !slices.Equal(saxon.Hashes, []Hash{{"SHA-1", "85ed0817af83a24ad8da68c2b5094de69833983c"}}) {
				t.Errorf("Saxon: %+v", *saxon)
			}
			// SPDXRef-Package DYNAMIC_LINK SPDXRef-Saxon.
			if want := []Dependency{{Ref: "SPDXRef-Package", DependsOn: []string{"SPDXRef-Saxon"}}}; len(d.Dependencies) != 1 || !spdx2DependsOn(d, "SPDXRef-Package", "SPDXRef-Saxon") {
				t.Errorf("dependencies %v, want %v", d.Dependencies, want)
			}
			// The tag-value example's snippet follows a package,
			// which tools-golang rejects: it is dropped silently,
			// since the document is valid.
			if len(d.Warnings) != 0 {
				t.Errorf("warnings: %v", d.Warnings)
			}
		})
	}
}

// TestSPDX2SpecExample22YAML: the SPDX 2.2 YAML example is not valid YAML
// (line 324 has unescaped quotes inside a double-quoted string, '(the
// "Software")'), so it must fail with the line.
func TestSPDX2SpecExample22YAML(t *testing.T) {
	shared := spdx2Shared(t)
	_, err := ParseFile(filepath.Join(shared, "conformance", "spdx", "spec-examples-2.2", "SPDXYAMLExample-2.2.spdx.yaml"))
	if err == nil || !strings.Contains(err.Error(), "SPDX YAML") || !strings.Contains(err.Error(), "line 323") {
		t.Fatalf("error %v, want an SPDX YAML error at line 323", err)
	}
}

// TestSPDX2RealDocuments checks facts read from the real SBOMs.
func TestSPDX2RealDocuments(t *testing.T) {
	shared := spdx2Shared(t)
	parse := func(t *testing.T, rel string) *Device {
		t.Helper()
		d, err := ParseFile(filepath.Join(shared, rel))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	t.Run("philips-keycloak", func(t *testing.T) {
		// 148 packages; DESCRIBES SPDXRef-Package-testuuproject-Keyclock,
		// which CONTAINS keycloak, which CONTAINS the Testsuite
		// Providers (and itself, which is ignored).
		d := parse(t, "sboms/vendor/philips-keycloak/keyclock_sbom.spdx.json")
		if d.SpecVersion != "SPDX-2.2" || d.Ref != "SPDXRef-Package-testuuproject-Keyclock" || d.Name != "test_project" {
			t.Errorf("device %s %s %q", d.SpecVersion, d.Ref, d.Name)
		}
		if len(d.Components) != 147 {
			t.Errorf("%d components, want 147", len(d.Components))
		}
		kc := spdx2Find(t, d, "SPDXRef-Package-keycloak-1500")
		if kc.Parent != d.Ref || kc.Version != "15.0.0" || kc.PURL != "pkg:github/keycloak/keycloak@15.0.0" {
			t.Errorf("keycloak: %+v", *kc)
		}
		tp := spdx2Find(t, d, "SPDXRef-Package-AuthServerServices-TestsuiteProviders-1502redhat-00001")
		if tp.Parent != "SPDXRef-Package-keycloak-1500" {
			t.Errorf("Testsuite Providers parent %q, want SPDXRef-Package-keycloak-1500", tp.Parent)
		}
		if c := spdx2Find(t, d, "SPDXRef-Package-Angular-1315"); c.PURL != "pkg:npm/angular@1.3.15" {
			t.Errorf("Angular purl %q", c.PURL)
		}
		purls := 0
		for _, c := range d.Components {
			if c.PURL != "" {
				purls++
			}
		}
		if purls != 147 { // every package has a PACKAGE_MANAGER purl
			t.Errorf("%d components with a purl, want 147", purls)
		}
	})

	t.Run("gin-json-and-tag-value", func(t *testing.T) {
		// syft: the described directory CONTAINS the 50 modules.
		j := parse(t, "sboms/software/gin-plugfest2024-syft/spdx-json.json")
		tv := parse(t, "sboms/software/gin-plugfest2024-syft/spdx-tag-value.tag-value")
		for _, d := range []*Device{j, tv} {
			if d.SpecVersion != "SPDX-2.3" || d.Ref != "SPDXRef-DocumentRoot-Directory--home-alan-Work-Anchore-plugfest-repos-gin-gonic-gin" || len(d.Components) != 50 {
				t.Errorf("%s: %s device %s, %d components", d.Format, d.SpecVersion, d.Ref, len(d.Components))
			}
			c := spdx2Find(t, d, "SPDXRef-Package-go-module-golang.org-x-crypto-ba5359d8f3adbe08")
			if c.Name != "golang.org/x/crypto" || c.Version != "v0.25.0" || c.PURL != "pkg:golang/golang.org/x/crypto@v0.25.0" ||
				!slices.Equal(c.CPEs, []string{`cpe:2.3:a:golang:x\/crypto:v0.25.0:*:*:*:*:*:*:*`}) || c.Parent != d.Ref || c.Supplier != "" {
				t.Errorf("%s: x/crypto %+v", d.Format, *c)
			}
		}
		// The two files list the packages in different orders; the
		// same packages must come out the same.
		byRef := map[string]*Component{}
		for _, c := range tv.Components {
			byRef[c.Ref] = c
		}
		for _, a := range j.Components {
			b := byRef[a.Ref]
			if b == nil || a.Name != b.Name || a.PURL != b.PURL || a.Version != b.Version || a.Parent != b.Parent || !slices.Equal(a.CPEs, b.CPEs) {
				t.Errorf("%s differs between JSON and tag-value:\n%+v\n%+v", a.Ref, a, b)
				break
			}
		}
	})

	t.Run("hexyl-dependency-of", func(t *testing.T) {
		// clap-lex DEPENDENCY_OF clap-builder: clap-builder depends on clap-lex.
		d := parse(t, "sboms/software/hexyl-plugfest2024-syft/spdx-json.json")
		if !spdx2DependsOn(d, "SPDXRef-Package-rust-crate-clap-builder-f5fbce68e44b064e", "SPDXRef-Package-rust-crate-clap-lex-0e2c8310f42386bc") {
			t.Errorf("clap-builder does not depend on clap-lex: %v", d.Dependencies)
		}
		if spdx2DependsOn(d, "SPDXRef-Package-rust-crate-clap-lex-0e2c8310f42386bc", "SPDXRef-Package-rust-crate-clap-builder-f5fbce68e44b064e") {
			t.Error("DEPENDENCY_OF read the wrong way round")
		}
	})

	t.Run("yocto-runtime-external", func(t *testing.T) {
		// No packages; two RUNTIME_DEPENDENCY_OF between elements of
		// other documents, kept as written.
		d := parse(t, "sboms/device/yocto-openembedded-docfest/runtime-time.spdx.json")
		if d.Name != "runtime-time" || d.Ref != "" || len(d.Components) != 0 {
			t.Errorf("device %q %q, %d components", d.Name, d.Ref, len(d.Components))
		}
		if d.DeviceSource != "document name" || len(d.Warnings) != 0 {
			t.Errorf("device source %q, warnings %v", d.DeviceSource, d.Warnings)
		}
		want := []Dependency{{Ref: "DocumentRef-package-time:SPDXRef-Package-time", DependsOn: []string{
			"DocumentRef-runtime-dependency-libc6:SPDXRef-Package-libc6",
			"DocumentRef-runtime-dependency-update-alternatives-opkg:SPDXRef-Package-update-alternatives-opkg",
		}}}
		if len(d.Dependencies) != 1 || d.Dependencies[0].Ref != want[0].Ref || !slices.Equal(d.Dependencies[0].DependsOn, want[0].DependsOn) {
			t.Errorf("dependencies %v, want %v", d.Dependencies, want)
		}
	})

	t.Run("freertos-nonstandard-creator", func(t *testing.T) {
		// "Creator: Amazon Web Services" (line 6); one package, no
		// DESCRIBES, 92 files.
		d := parse(t, "sboms/device/freertos-plus-tcp-v4.0.0/sbom.spdx")
		if d.Name != "FreeRTOS-Plus-TCP" || d.Version != "V4.0.0" || d.Ref != "SPDXRef-Package-FreeRTOS-Plus-TCP" || len(d.Components) != 0 {
			t.Errorf("device %q %q %s, %d components", d.Name, d.Version, d.Ref, len(d.Components))
		}
		if !spdx2HasWarning(d, "spdx-creator", "line 6") || d.DeviceSource != "only package" {
			t.Errorf("warnings %v", d.Warnings)
		}
		if _, err := (Options{Strict: true}).ParseFile(filepath.Join(shared, "sboms/device/freertos-plus-tcp-v4.0.0/sbom.spdx")); !errors.Is(err, ErrStrict) {
			t.Errorf("strict parse: %v, want ErrStrict", err)
		}
	})

	t.Run("cybeats-no-describes", func(t *testing.T) {
		// 20 packages, only SPDXRef-DOCUMENT CONTAINS: no device
		// package, so all 20 are components.
		d := parse(t, "sboms/device/cybeats-iot-device/iot-device.spdx.json")
		if d.Ref != "" || d.Name != d.DocumentName || d.Name == "" || len(d.Components) != 20 {
			t.Errorf("device %q (document %q) ref %q, %d components", d.Name, d.DocumentName, d.Ref, len(d.Components))
		}
		c := spdx2Find(t, d, "SPDXRef-Application-sshd")
		if c.Version != "6.7p1" || len(c.CPEs) == 0 || !strings.HasPrefix(c.CPEs[0], "cpe:/a:") {
			t.Errorf("sshd: %+v", *c)
		}
	})

	t.Run("zephyr-west-tag-order", func(t *testing.T) {
		// ExternalDocumentRef after Created (line 9).
		d := parse(t, "sboms/device/libresolar-charge-controller/west-spdx/build.spdx")
		if d.Ref != "SPDXRef-zephyr-final" || d.DocumentName != "build" {
			t.Errorf("device %s document %q", d.Ref, d.DocumentName)
		}
		if !spdx2HasWarning(d, "spdx-tag-order", "line 9") {
			t.Errorf("warnings %v", d.Warnings)
		}
	})

	t.Run("llnl-zephyr-supplier", func(t *testing.T) {
		d := parse(t, "sboms/device/zephyr-hello-world-llnl/zephyr_hello_world.sbom.spdx")
		if d.Manufacturer != "zephyrproject" || d.Supplier != "zephyrproject" {
			t.Errorf("manufacturer %q supplier %q", d.Manufacturer, d.Supplier)
		}
	})
}

// spdx2Packages lists the SPDX ids of the packages in a document, read
// independently of tools-golang.
func spdx2Packages(t *testing.T, f Format, b []byte) []string {
	t.Helper()
	var ids []string
	switch f {
	case SPDXJSON:
		var doc struct {
			Packages []struct {
				ID string `json:"SPDXID"`
			} `json:"packages"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		for _, p := range doc.Packages {
			ids = append(ids, p.ID)
		}
	case SPDXTagValue:
		inPkg := false
		for _, line := range strings.Split(string(b), "\n") {
			tag, value, _ := strings.Cut(strings.TrimSpace(line), ":")
			switch tag {
			case "PackageName":
				inPkg = true
			case "FileName", "SnippetSPDXID", "LicenseID":
				inPkg = false
			case "SPDXID":
				if inPkg {
					ids = append(ids, strings.TrimSpace(value))
					inPkg = false
				}
			}
		}
	case SPDXYAML:
		block := regexp.MustCompile(`(?ms)^packages:\n(.*?)(?:^[A-Za-z"]|\z)`).FindSubmatch(b)
		if block != nil {
			for _, m := range regexp.MustCompile(`(?m)^(?:- |  )SPDXID: "?([^"\n]+)"?$`).FindAllSubmatch(block[1], -1) {
				ids = append(ids, string(m[1]))
			}
		}
	case SPDXRDF:
		seen := map[string]bool{}
		for _, m := range regexp.MustCompile(`<spdx:Package rdf:about="[^"#]*#([^"]+)"`).FindAllSubmatch(b, -1) {
			if !seen[string(m[1])] {
				seen[string(m[1])] = true
				ids = append(ids, string(m[1]))
			}
		}
	}
	return ids
}

// TestSPDX2AllDocuments parses every SPDX 2 document in the shared data
// and the RDF fixtures: each parses, and the components are exactly the
// packages other than the device.
func TestSPDX2AllDocuments(t *testing.T) {
	shared := spdx2Shared(t)
	var files []string
	for _, dir := range []string{"conformance/spdx/spec-examples-2.2", "conformance/spdx/spec-examples-2.3", "conformance/spdx/spdx-examples", "sboms/device", "sboms/vendor", "sboms/software"} {
		err := filepath.WalkDir(filepath.Join(shared, dir), func(path string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "spdx2-*"))
	files = append(files, fixtures...)

	// Known to fail: not valid YAML (see TestSPDX2SpecExample22YAML).
	broken := "SPDXYAMLExample-2.2.spdx.yaml"
	count := map[Format]int{}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := detect(b[:min(len(b), peekSize)])
		if err != nil || f.Family() != "SPDX" || f == SPDX3JSONLD {
			continue
		}
		t.Run(strings.TrimPrefix(path, shared+string(filepath.Separator)), func(t *testing.T) {
			if f == SPDXRDF {
				skipRDFUnderRace(t)
			}
			d, err := ParseFile(path)
			if filepath.Base(path) == broken {
				if err == nil {
					t.Error("parsed a document that is not valid YAML")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			count[f]++
			if !strings.HasPrefix(d.SpecVersion, "SPDX-2.") {
				t.Errorf("spec version %q", d.SpecVersion)
			}
			pkgs := spdx2Packages(t, f, b)
			want := len(pkgs)
			if slices.Contains(pkgs, d.Ref) {
				want--
			} else if d.Ref != "" {
				t.Errorf("device ref %q is not a package of the document", d.Ref)
			}
			if len(d.Components) != want {
				t.Errorf("%d components, want %d (%d packages, device %q)", len(d.Components), want, len(pkgs), d.Ref)
			}
			seen := map[string]bool{}
			for _, c := range d.Components {
				if !slices.Contains(pkgs, c.Ref) || seen[c.Ref] || c.Ref == d.Ref {
					t.Errorf("component %q is not a package, a repeat or the device", c.Ref)
				}
				seen[c.Ref] = true
				if c.Parent != "" && c.Parent != d.Ref && !slices.Contains(pkgs, c.Parent) {
					t.Errorf("component %s has parent %q, not a package", c.Ref, c.Parent)
				}
				if c.Group != "" {
					t.Errorf("component %s has a group", c.Ref)
				}
			}
			for _, dep := range d.Dependencies {
				for _, id := range append([]string{dep.Ref}, dep.DependsOn...) {
					if !slices.Contains(pkgs, id) && !strings.HasPrefix(id, "DocumentRef-") {
						t.Errorf("dependency on %q, neither a package nor external", id)
					}
				}
			}
		})
	}
	// The serialisations the shared data and fixtures hold.
	for _, f := range []Format{SPDXJSON, SPDXTagValue, SPDXYAML, SPDXRDF} {
		if count[f] == 0 && !(f == SPDXRDF && raceDetector) {
			t.Errorf("no %s document parsed", f)
		}
	}
}

// TestSPDX2RDF reads the hand-written RDF fixtures: tools-golang reads SPDX
// 2.2 and 2.3 RDF, bomrank recovers describesPackage, the ontology's
// purpose_x values, and a stable order.
func TestSPDX2RDF(t *testing.T) {
	skipRDFUnderRace(t)
	for i := 0; i < 3; i++ { // the order must not change from run to run
		d, err := ParseFile(filepath.Join("testdata", "spdx2-infusion-pump-2.3.spdx.rdf"))
		if err != nil {
			t.Fatal(err)
		}
		if d.Format != SPDXRDF || d.SpecVersion != "SPDX-2.3" || d.DocumentName != "infusion-pump-fw-4.2.0" {
			t.Errorf("%s %s %q", d.Format, d.SpecVersion, d.DocumentName)
		}
		want := Component{
			Ref: "SPDXRef-Package-pump-fw", Type: "device", Name: "Infusion Pump Firmware", Version: "4.2.0",
			CPEs:         []string{"cpe:2.3:o:example:infusion_pump_firmware:4.2.0:*:*:*:*:*:*:*"},
			Hashes:       []Hash{{"SHA-256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}},
			Supplier:     "Example Medical Devices Inc.",
			EndOfSupport: "2031-12-31T00:00:00Z",
		}
		if !spdx2SameComponent(d.Component, want) {
			t.Errorf("device\n%+v, want\n%+v", d.Component, want)
		}
		if d.Manufacturer != "Example Medical Devices Inc." {
			t.Errorf("manufacturer %q", d.Manufacturer)
		}
		wantComps := []Component{
			{Ref: "SPDXRef-Package-freertos", Type: "operating-system", Name: "FreeRTOS-Kernel", Version: "10.4.1",
				PURL: "pkg:github/freertos/freertos-kernel@V10.4.1", Supplier: "Amazon Web Services", Parent: "SPDXRef-Package-pump-fw"},
			{Ref: "SPDXRef-Package-mbedtls", Name: "Mbed TLS", Version: "2.16.2", CPEs: []string{"cpe:/a:arm:mbed_tls:2.16.2"},
				Hashes: []Hash{{"SHA-1", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"}}, Parent: "SPDXRef-Package-pump-fw"},
		}
		if len(d.Components) != len(wantComps) {
			t.Fatalf("%d components, want %d", len(d.Components), len(wantComps))
		}
		for i, c := range d.Components {
			if !spdx2SameComponent(*c, wantComps[i]) {
				t.Errorf("component %d\n%+v, want\n%+v", i, *c, wantComps[i])
			}
		}
		if !spdx2DependsOn(d, "SPDXRef-Package-mbedtls", "DocumentRef-crypto:SPDXRef-Package-crypto") || len(d.Dependencies) != 1 {
			t.Errorf("dependencies %v", d.Dependencies)
		}
		if len(d.Warnings) != 0 {
			t.Errorf("warnings %v", d.Warnings)
		}
	}

	d, err := ParseFile(filepath.Join("testdata", "spdx2-patient-monitor-2.2.spdx.rdf"))
	if err != nil {
		t.Fatal(err)
	}
	if d.SpecVersion != "SPDX-2.2" || d.Ref != "SPDXRef-Package-monitor" || d.Manufacturer != "Ada Example" || len(d.Components) != 1 {
		t.Errorf("%s device %s manufacturer %q, %d components", d.SpecVersion, d.Ref, d.Manufacturer, len(d.Components))
	}
	if c := spdx2Find(t, d, "SPDXRef-Package-zlib"); c.PURL != "pkg:generic/zlib@1.2.11" || c.Parent != "" {
		t.Errorf("zlib %+v", *c)
	}
	if !spdx2DependsOn(d, "SPDXRef-Package-monitor", "SPDXRef-Package-zlib") {
		t.Errorf("dependencies %v", d.Dependencies)
	}
}

func spdx2SameComponent(a, b Component) bool {
	return a.Ref == b.Ref && a.Type == b.Type && a.Name == b.Name && a.Group == b.Group && a.Version == b.Version &&
		a.PURL == b.PURL && slices.Equal(a.CPEs, b.CPEs) && slices.Equal(a.Hashes, b.Hashes) && a.Supplier == b.Supplier &&
		a.Parent == b.Parent && a.EndOfSupport == b.EndOfSupport
}

// spdx2JSONDoc builds a small SPDX 2.3 JSON document.
func spdx2JSONDoc(describes []string, packages, relationships string) string {
	d, _ := json.Marshal(describes)
	return `{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"doc-x",
"documentNamespace":"https://example.org/doc-x","creationInfo":{"created":"2024-01-01T00:00:00Z","creators":["Tool: test"]},
"documentDescribes":` + string(d) + `,"packages":[` + packages + `],"relationships":[` + relationships + `]}`
}

func spdx2Pkg(id, name, extra string) string {
	s := `{"SPDXID":"` + id + `","name":"` + name + `","downloadLocation":"NOASSERTION"`
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

func spdx2Rel(a, typ, b string) string {
	return `{"spdxElementId":"` + a + `","relationshipType":"` + typ + `","relatedSpdxElement":"` + b + `"}`
}

// TestSPDX2Model checks the rules that map SPDX onto the device model.
func TestSPDX2Model(t *testing.T) {
	parse := func(t *testing.T, doc string) *Device {
		t.Helper()
		d, err := Parse(strings.NewReader(doc), "test.spdx.json")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	pkgs := strings.Join([]string{
		spdx2Pkg("SPDXRef-app", "app", `"primaryPackagePurpose":"APPLICATION"`),
		spdx2Pkg("SPDXRef-os", "linux", `"primaryPackagePurpose":"OPERATING_SYSTEM","supplier":"Organization: Kernel Org (k@example.org)","originator":"Person: Linus"`),
		spdx2Pkg("SPDXRef-fw", "pump", `"primaryPackagePurpose":"FIRMWARE","supplier":"NOASSERTION","originator":"Organization: Pumps Ltd","externalRefs":[{"referenceCategory":"PACKAGE_MANAGER","referenceType":"purl","referenceLocator":" pkg:generic/pump@1 "}]`),
		spdx2Pkg("SPDXRef-lib", "libc", `"checksums":[{"algorithm":"SHA512","checksumValue":"ABCDEF"},{"algorithm":"SHA3-256","checksumValue":"00"}]`),
	}, ",")

	t.Run("purpose-preference", func(t *testing.T) {
		// Three packages described: FIRMWARE beats OPERATING-SYSTEM
		// and APPLICATION.
		d := parse(t, spdx2JSONDoc([]string{"SPDXRef-app", "SPDXRef-os", "SPDXRef-fw"}, pkgs, ""))
		if d.Ref != "SPDXRef-fw" || d.Type != "firmware" || d.PURL != "pkg:generic/pump@1" {
			t.Errorf("device %s %q %q", d.Ref, d.Type, d.PURL)
		}
		// Supplier NOASSERTION: the originator organisation.
		if d.Manufacturer != "Pumps Ltd" || d.Supplier != "Pumps Ltd" {
			t.Errorf("manufacturer %q supplier %q", d.Manufacturer, d.Supplier)
		}
		os := spdx2Find(t, d, "SPDXRef-os")
		if os.Type != "operating-system" || os.Supplier != "Kernel Org" {
			t.Errorf("os: %+v", *os)
		}
		lib := spdx2Find(t, d, "SPDXRef-lib")
		if want := []Hash{{"SHA-512", "abcdef"}, {"SHA3-256", "00"}}; !slices.Equal(lib.Hashes, want) {
			t.Errorf("hashes %v, want %v", lib.Hashes, want)
		}
		if len(d.Components) != 3 || len(d.Warnings) != 0 {
			t.Errorf("%d components, warnings %v", len(d.Components), d.Warnings)
		}
	})

	t.Run("first-described-without-purpose", func(t *testing.T) {
		d := parse(t, spdx2JSONDoc([]string{"SPDXRef-lib", "SPDXRef-app"}, pkgs, ""))
		if d.Ref != "SPDXRef-lib" {
			t.Errorf("device %s, want the first described package", d.Ref)
		}
	})

	t.Run("described-by", func(t *testing.T) {
		d := parse(t, spdx2JSONDoc(nil, pkgs, spdx2Rel("SPDXRef-os", "DESCRIBED_BY", "SPDXRef-DOCUMENT")))
		if d.Ref != "SPDXRef-os" || d.Manufacturer != "Kernel Org" {
			t.Errorf("device %s manufacturer %q", d.Ref, d.Manufacturer)
		}
	})

	for name, describes := range map[string][]string{
		"nothing-described": nil,
		"file-described":    {"SPDXRef-file"},
		"absent-described":  {"SPDXRef-missing"},
	} {
		t.Run(name, func(t *testing.T) {
			d := parse(t, strings.Replace(spdx2JSONDoc(describes, pkgs, ""), `"relationships"`, `"files":[{"SPDXID":"SPDXRef-file","fileName":"./a.c","checksums":[{"algorithm":"SHA1","checksumValue":"85ed0817af83a24ad8da68c2b5094de69833983c"}]}],"relationships"`, 1))
			if d.Name != "doc-x" || d.Ref != "" || len(d.Components) != 4 {
				t.Errorf("device %q %q, %d components", d.Name, d.Ref, len(d.Components))
			}
			// Not a warning (the examples of the spec do this): the
			// device source is empty and the name is the document's.
			if d.DeviceSource != "document name" || spdx2HasWarning(d, "device", "") {
				t.Errorf("device source %q, warnings %v", d.DeviceSource, d.Warnings)
			}
		})
	}

	t.Run("contains-and-dependencies", func(t *testing.T) {
		rels := strings.Join([]string{
			spdx2Rel("SPDXRef-app", "CONTAINED_BY", "SPDXRef-os"),
			spdx2Rel("SPDXRef-lib", "CONTAINS", "SPDXRef-app"), // a second container: ignored
			spdx2Rel("SPDXRef-os", "CONTAINS", "SPDXRef-fw"),   // would contain the device: ignored
			spdx2Rel("SPDXRef-app", "CONTAINS", "SPDXRef-lib"),
			spdx2Rel("SPDXRef-lib", "CONTAINS", "SPDXRef-os"),  // os > app > lib > os: a cycle, ignored
			spdx2Rel("SPDXRef-fw", "CONTAINS", "SPDXRef-os"),   // the device contains os
			spdx2Rel("SPDXRef-fw", "CONTAINS", "SPDXRef-file"), // not a package
			spdx2Rel("SPDXRef-app", "DEPENDS_ON", "SPDXRef-lib"),
			spdx2Rel("SPDXRef-lib", "DEPENDENCY_OF", "SPDXRef-app"), // the same again
			spdx2Rel("SPDXRef-lib", "RUNTIME_DEPENDENCY_OF", "SPDXRef-os"),
			spdx2Rel("SPDXRef-os", "BUILD_DEPENDENCY_OF", "DocumentRef-x:SPDXRef-y"),
			spdx2Rel("SPDXRef-app", "DEPENDS_ON", "NOASSERTION"),
			spdx2Rel("SPDXRef-app", "DEPENDS_ON", "SPDXRef-nowhere"),
			spdx2Rel("SPDXRef-app", "DEPENDS_ON", "SPDXRef-app"),
			spdx2Rel("SPDXRef-fw", "DEV_DEPENDENCY_OF", "SPDXRef-app"),
		}, ",")
		d := parse(t, spdx2JSONDoc([]string{"SPDXRef-fw"}, pkgs, rels))
		parents := map[string]string{}
		for _, c := range d.Components {
			parents[c.Ref] = c.Parent
		}
		want := map[string]string{"SPDXRef-os": "SPDXRef-fw", "SPDXRef-app": "SPDXRef-os", "SPDXRef-lib": "SPDXRef-app"}
		for k, v := range want {
			if parents[k] != v {
				t.Errorf("parent of %s %q, want %q (all: %v)", k, parents[k], v, parents)
			}
		}
		if !spdx2HasWarning(d, "spdx-contains-cycle", "SPDXRef-lib") {
			t.Errorf("no cycle warning: %v", d.Warnings)
		}
		wantDeps := []Dependency{
			{Ref: "SPDXRef-app", DependsOn: []string{"SPDXRef-lib", "SPDXRef-fw"}},
			{Ref: "SPDXRef-os", DependsOn: []string{"SPDXRef-lib"}},
			{Ref: "DocumentRef-x:SPDXRef-y", DependsOn: []string{"SPDXRef-os"}},
		}
		if len(d.Dependencies) != len(wantDeps) {
			t.Fatalf("dependencies %v, want %v", d.Dependencies, wantDeps)
		}
		for i, dep := range d.Dependencies {
			if dep.Ref != wantDeps[i].Ref || !slices.Equal(dep.DependsOn, wantDeps[i].DependsOn) {
				t.Errorf("dependencies %v, want %v", d.Dependencies, wantDeps)
				break
			}
		}
	})
}

// TestSPDX2BadInput: malformed and hostile documents fail with a clear
// error (never a panic), and unknown versions wrap ErrUnsupportedVersion.
func TestSPDX2BadInput(t *testing.T) {
	tvHead := "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: x\nDocumentNamespace: https://example.org/x\nCreator: Tool: t\nCreated: 2024-01-01T00:00:00Z\n"
	rdf := func(version string) string {
		return `<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><spdx:SpdxDocument rdf:about="https://example.org/x#SPDXRef-DOCUMENT"><spdx:specVersion>` + version + `</spdx:specVersion></spdx:SpdxDocument></rdf:RDF>`
	}
	tests := []struct {
		name, doc, want string
		is              error
	}{
		{"v24.json", `{"spdxVersion":"SPDX-2.4","SPDXID":"SPDXRef-DOCUMENT"}`, `"SPDX-2.4"`, ErrUnsupportedVersion},
		{"v-number.json", `{"spdxVersion":2.3,"SPDXID":"SPDXRef-DOCUMENT"}`, "not a string", ErrUnsupportedVersion},
		{"v30.spdx", "SPDXVersion: SPDX-3.0\nDataLicense: CC0-1.0\n", `"SPDX-3.0"`, ErrUnsupportedVersion},
		{"v12.yaml", "spdxVersion: SPDX-1.2\nname: x\n", `"SPDX-1.2"`, ErrUnsupportedVersion},
		{"v21.rdf", rdf("SPDX-2.1"), "RDF", ErrUnsupportedVersion},
		{"v99.rdf", rdf("SPDX-9.9"), `"SPDX-9.9"`, ErrUnsupportedVersion},
		{"syntax.json", "{\"spdxVersion\":\"SPDX-2.3\",\n\"name\":\"x\",\n\"packages\":[{,]}", "line 3", nil},
		{"wrongtype.json", `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":{"name":"x"}}`, "SPDX JSON", nil},
		{"wrongtype-line.json", "{\"spdxVersion\":\"SPDX-2.3\",\n\"SPDXID\":\"SPDXRef-DOCUMENT\",\n\"packages\":{\"name\":\"x\"}}", "SPDX JSON line 3, column 12: ", nil},
		{"badid.json", `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":[{"SPDXID":"Package-x","name":"x"}]}`, "Package-x", nil},
		{"badchecksum.spdx", tvHead + "\nPackageName: p\nSPDXID: SPDXRef-p\nPackageChecksum: nonsense\n", "line 11", nil},
		{"nocolon.spdx", tvHead + "PackageName: p\nthis line has no colon\n", "line 9", nil},
		{"opentext.spdx", tvHead + "PackageName: p\nSPDXID: SPDXRef-p\nPackageComment: <text>never closed\n\n", "line 10", nil},
		{"noid.spdx", tvHead + "PackageName: p\n", "SPDX identifier", nil},
		{"truncated.yaml", "spdxVersion: SPDX-2.3\npackages:\n- name: \"x\n", "SPDX YAML", nil},
		{"garbage.rdf", `<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:specVersion>SPDX-2.3</spdx:specVersion><unclosed`, "SPDX RDF", nil},
		{"deep.rdf", `<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:specVersion>SPDX-2.3</spdx:specVersion>` + strings.Repeat("<a>", 5000) + strings.Repeat("</a>", 5000) + `</rdf:RDF>`, "nested", nil},
		{"deep.json", `{"spdxVersion":"SPDX-2.3","packages":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`, "depth", nil},
		{"deep.yaml", "spdxVersion: SPDX-2.3\npackages: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n", "depth", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.HasSuffix(tt.name, ".rdf") {
				skipRDFUnderRace(t)
			}
			_, err := Parse(strings.NewReader(tt.doc), tt.name)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "internal error") || strings.Contains(err.Error(), "crashed") {
				t.Errorf("panic inside the reader: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
		})
	}

	// Nulls where objects belong: tools-golang dereferences a null
	// package (an error, not a crash); other nulls are skipped.
	for _, tt := range []struct{ v, packages string }{
		{"SPDX-2.2", `null,{"SPDXID":"SPDXRef-a","name":"a"}`},
		{"SPDX-2.3", `{"SPDXID":"SPDXRef-a","name":"a","externalRefs":[null],"checksums":[]}`},
		{"SPDX-2.2", `{"SPDXID":"SPDXRef-a","name":"a","externalRefs":[null]}`},
	} {
		doc := `{"spdxVersion":"` + tt.v + `","SPDXID":"SPDXRef-DOCUMENT","name":"n","documentDescribes":["SPDXRef-a"],"packages":[` + tt.packages + `],"relationships":[null]}`
		d, err := Parse(strings.NewReader(doc), "nulls.json")
		switch {
		case strings.HasPrefix(tt.packages, "null"):
			if err == nil || !strings.Contains(err.Error(), "malformed") {
				t.Errorf("null package: %v", err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.packages, err)
		case d.Ref != "SPDXRef-a" || len(d.Components) != 0:
			t.Errorf("%s: device %q, %d components", tt.packages, d.Ref, len(d.Components))
		}
	}
}

// TestSPDX2TagValueLines checks that the line locator agrees with
// tools-golang's tokeniser on the real tag-value documents.
func TestSPDX2TagValueLines(t *testing.T) {
	b := []byte("# c\nA: 1\n\n  B: <text>x\ny</text>\nC: <text>z</text>\n")
	lines, err := spdx2TVPairLines(b)
	if err != nil || !slices.Equal(lines, []int{2, 4, 6}) {
		t.Errorf("lines %v %v, want [2 4 6]", lines, err)
	}
	if _, err := spdx2TVPairLines(bytes.Repeat([]byte("x"), spdx2TVMaxLine+1)); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("long line: %v", err)
	}
}
