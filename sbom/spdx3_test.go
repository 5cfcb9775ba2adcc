package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// spdx3SharedDir locates the shared real-data folder (BOMRANK_SHARED, else
// ../../shared from this package) or skips the test.
func spdx3SharedDir(t testing.TB) string { return sharedRoot(t) }

// spdx3SharedFiles lists every .json file under shared that names the SPDX 3
// namespace, like `grep -l 'spdx.org/rdf/3' -r shared --include=*.json`.
func spdx3SharedFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("spdx.org/rdf/3")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// spdx3RawPackages lists the spdxIds of the software_Package elements (and
// of its subclasses ai_AIPackage and dataset_DatasetPackage) of a compact
// SPDX 3 document, read independently of the parser.
func spdx3RawPackages(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph []struct {
			Type   string `json:"type"`
			SpdxID string `json:"spdxId"`
		} `json:"@graph"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var ids []string
	for _, e := range doc.Graph {
		switch e.Type {
		case "software_Package", "ai_AIPackage", "dataset_DatasetPackage":
			ids = append(ids, e.SpdxID)
		}
	}
	return ids
}

// TestSPDX3SharedFiles parses every SPDX 3 file in shared and checks what
// holds for all of them: no error, the format and version, and one
// component per package other than the device.
func TestSPDX3SharedFiles(t *testing.T) {
	root := spdx3SharedDir(t)
	files := spdx3SharedFiles(t, root)
	if len(files) < 30 {
		t.Fatalf("found %d SPDX 3 files under %s, want the 32 of the corpus", len(files), root)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		t.Run(rel, func(t *testing.T) {
			d, err := ParseFile(f)
			if err != nil {
				t.Fatalf("ParseFile: %v", err)
			}
			if d.Format != SPDX3JSONLD {
				t.Errorf("Format = %q, want %q", d.Format, SPDX3JSONLD)
			}
			if !strings.HasPrefix(d.SpecVersion, "3.0.") {
				t.Errorf("SpecVersion = %q, want 3.0.x", d.SpecVersion)
			}
			if len(d.Identifiers) == 0 || d.Identifiers[0].Type != "spdx3-id" || d.Identifiers[0].Value == "" {
				t.Errorf("Identifiers = %v, want the SpdxDocument spdxId first", d.Identifiers)
			}
			pkgs := spdx3RawPackages(t, f)
			want := len(pkgs)
			if d.Ref != "" {
				found := false
				for _, id := range pkgs {
					found = found || id == d.Ref
				}
				if !found {
					t.Errorf("device Ref %q is not a package of the file", d.Ref)
				}
				want--
			}
			if len(d.Components) != want {
				t.Errorf("%d components, want %d (%d packages, device %q)", len(d.Components), want, len(pkgs), d.Ref)
			}
			seen := map[string]bool{d.Ref: true}
			for _, c := range d.Components {
				if c.Ref == "" || seen[c.Ref] {
					t.Errorf("component %q has an empty or repeated Ref %q", c.Name, c.Ref)
				}
				seen[c.Ref] = true
			}
			for _, w := range d.Warnings {
				if w.Rule != "device" {
					t.Errorf("unexpected warning: %s", w)
				}
			}
		})
	}
}

// TestSPDX3SharedFacts checks facts read by hand from the files.
func TestSPDX3SharedFacts(t *testing.T) {
	root := spdx3SharedDir(t)
	const ex11 = "https://spdx.org/spdxdocs/k8s-releng-bom-7c6a33ab-bd76-4b06-b291-a850e0815b07-specv3/"
	const acme = "urn:product-acme-application-1.3-4fe40e24-20e3-11ee-be56-0242ac120002"
	const alpine = "urn:container-alpine-latest-sha256:69665d02cb32192e52e07644d76bc6f25abeb5410edc1c7a81a10ba3f0efb90a-4fe40e24-20e3-11ee-be56-0242ac120002"
	const appbom = "http://www.sourceauditor.com/spdxdocs/appbomination-src/e3b71037-57de-44c9-8b7f-4e8a62f45311-specv3/"
	const golib = "https://swinslow.net/spdx-examples/example6/go-lib-v2-specv3/"
	example13 := func(t *testing.T, d *Device) {
		if d.Type != "application" || d.Supplier != "Acme Company" || d.Manufacturer != "Acme Company" {
			t.Errorf("device type/supplier/manufacturer = %q/%q/%q", d.Type, d.Supplier, d.Manufacturer)
		}
		parents := map[string]string{}
		for _, c := range d.Components {
			parents[c.Name] = c.Parent
		}
		want := map[string]string{"npm-elliptic": acme, "alpine:latest": "", "openssl": alpine}
		if !reflect.DeepEqual(parents, want) {
			t.Errorf("parents = %v, want %v", parents, want)
		}
		if wantDeps := []Dependency{{Ref: acme, DependsOn: []string{alpine}}}; !reflect.DeepEqual(d.Dependencies, wantDeps) {
			t.Errorf("Dependencies = %v, want %v", d.Dependencies, wantDeps)
		}
		if c := spdx3Find(d, "npm-elliptic"); c == nil || c.Version != "6.5.2" || c.Supplier != "Fedor Indutny" || c.Type != "library" {
			t.Errorf("npm-elliptic = %+v", c)
		}
	}
	example11 := func(t *testing.T, d *Device) {
		want := []Dependency{{Ref: ex11 + "SPDXRef-gnrtd5", DependsOn: []string{ex11 + "SPDXRef-gnrtd7", ex11 + "SPDXRef-gnrtd13", ex11 + "SPDXRef-gnrtd17"}}}
		if !reflect.DeepEqual(d.Dependencies, want) {
			t.Errorf("Dependencies = %v, want %v", d.Dependencies, want)
		}
		if c := spdx3Find(d, "hyper"); c == nil || c.Version != "0.14" || c.PURL != "pkg:cargo/hyper@0.14" || c.Ref != ex11+"SPDXRef-gnrtd7" {
			t.Errorf("hyper = %+v", c)
		}
		if c := spdx3Find(d, "tokio"); c == nil || c.PURL != "pkg:cargo/tokio@1.19.2" {
			t.Errorf("tokio = %+v", c)
		}
	}
	dataset := func(t *testing.T, d *Device) {
		want := []Hash{
			{Algorithm: "SHA-1", Value: "32657f0d033fc07a7420be36a6af9083c6a63489"},
			{Algorithm: "SHA-256", Value: "434d75c84cf86456c16193dbc53beef31eb63f3387425882ddb2ef6acb9d472c"},
		}
		if !reflect.DeepEqual(d.Hashes, want) {
			t.Errorf("Hashes = %v, want %v", d.Hashes, want)
		}
		if d.Type != "data" || d.Supplier != "Our World in Data" {
			t.Errorf("type/supplier = %q/%q", d.Type, d.Supplier)
		}
	}
	cases := []struct {
		path                     string
		spec, docName, docID     string
		name, version, purl, ref string
		components               int
		noDevice                 bool
		check                    func(*testing.T, *Device)
	}{
		{
			path: "sboms/software/spdx-example11-rust/sbom.spdx3.json",
			spec: "3.0.1", docName: "SBOM-SPDX-2d85f548-12fa-46d5-87ce-5e78e5e111f4", docID: ex11 + "document0",
			// The document's roots are a File and this Package.
			name: "hello-server-src", version: "0.1.0", purl: "pkg:deb/debian/libselinux1-dev@3.1-3?arch=s390x", ref: ex11 + "SPDXRef-gnrtd5",
			components: 3, check: example11,
		},
		{
			path: "conformance/spdx/spdx-examples/software/example11/spdx3.0/sbom.spdx3.json",
			spec: "3.0.1", docName: "SBOM-SPDX-2d85f548-12fa-46d5-87ce-5e78e5e111f4", docID: ex11 + "document0",
			name: "hello-server-src", version: "0.1.0", purl: "pkg:deb/debian/libselinux1-dev@3.1-3?arch=s390x", ref: ex11 + "SPDXRef-gnrtd5",
			components: 3, check: example11,
		},
		{
			// SpdxDocument -> software_Sbom -> Package; the File is not a component.
			path: "conformance/spdx/spec-examples-3.0/package_sbom.json",
			spec: "3.0.1", docID: "http://spdx.example.com/Document1",
			name: "my-package", version: "1.0", ref: "http://spdx.example.com/Package1",
			check: func(t *testing.T, d *Device) {
				// Only an originator: it becomes supplier and manufacturer.
				if d.Supplier != "Joshua Watt" || d.Manufacturer != "Joshua Watt" {
					t.Errorf("supplier/manufacturer = %q/%q", d.Supplier, d.Manufacturer)
				}
			},
		},
		{
			path: "conformance/spdx/spdx-examples/software/example13/spdx3.0/example13.spdx3.json",
			spec: "3.0.1", docID: "http://spdx.example.com/Document1",
			name: "Acme Application", version: "1.3", ref: acme, components: 3, check: example13,
		},
		{
			path: "conformance/spdx/ntia-minimum-elements/spdx3/has_sbom.json",
			spec: "3.0.0", docID: "http://spdx.example.com/Document1",
			name: "Acme Application", version: "1.3", ref: acme, components: 3, check: example13,
		},
		{
			path: "conformance/spdx/spdx-examples/software/example9/spdx3.0/appbomination.spdx3.json",
			spec: "3.0.1", docName: "SpdxDoc for App-BOM-ination", docID: appbom + "document0",
			name: "App-BOM-ination", version: "1.0", ref: appbom + "SPDXRef-gnrtd3", components: 6,
			check: func(t *testing.T, d *Device) {
				// Three dependsOn relationships from the root, the last
				// one after another package's: grouped by "from".
				want := []Dependency{
					{Ref: appbom + "SPDXRef-gnrtd76", DependsOn: []string{appbom + "SPDXRef-gnrtd74"}},
					{Ref: appbom + "SPDXRef-gnrtd3", DependsOn: []string{appbom + "SPDXRef-gnrtd88", appbom + "SPDXRef-gnrtd94", appbom + "SPDXRef-gnrtd76"}},
				}
				if !reflect.DeepEqual(d.Dependencies, want) {
					t.Errorf("Dependencies = %v, want %v", d.Dependencies, want)
				}
				if c := spdx3Find(d, "junit"); c == nil || c.Version != "4.12" || c.PURL != "pkg:maven/junit/junit@4.12" {
					t.Errorf("junit = %+v", c)
				}
				if d.Supplier != "ACT Project" {
					t.Errorf("Supplier = %q", d.Supplier)
				}
			},
		},
		{
			path: "conformance/spdx/spdx-examples/software/example6/spdx3.0/example6-lib.json",
			spec: "3.0.1", docName: "go-lib", docID: golib + "document0",
			name: "go-1.15", version: "1.15.4", ref: golib + "SPDXRef-gnrtd2", components: 4,
			check: func(t *testing.T, d *Device) {
				if d.Supplier != "Canonical Ltd." {
					t.Errorf("Supplier = %q", d.Supplier)
				}
				for _, c := range d.Components {
					if c.Parent != golib+"SPDXRef-gnrtd2" {
						t.Errorf("%s: Parent = %q, want the device", c.Name, c.Parent)
					}
				}
			},
		},
		{
			path: "conformance/spdx/spdx-examples/software/example7/spdx3.0/example7-golang.spdx3.json",
			spec: "3.0.1", docName: "example7-golang.spdx", docID: "urn:uuid:93867a66-8945-45c2-ac11-4277d3af38fa",
			name: "go1.16.4.linux-amd64.tar.gz", version: "1.16.4", ref: "urn:uuid:a9f18ff3-17fa-419d-8966-abe4b992312b",
			check: func(t *testing.T, d *Device) {
				want := []Hash{{Algorithm: "SHA-256", Value: "7154e88f5a8047aad4b80ebace58a059e36e7e2e4eb3b383127a28c711b4ff59"}}
				if !reflect.DeepEqual(d.Hashes, want) {
					t.Errorf("Hashes = %v, want %v", d.Hashes, want)
				}
				if d.Type != "install" || d.Manufacturer != "golang.org" {
					t.Errorf("type/manufacturer = %q/%q", d.Type, d.Manufacturer)
				}
			},
		},
		{
			// The only root is a software_File.
			path: "conformance/spdx/spdx-examples/software/example7/spdx3.0/example7-bin.spdx3.json",
			spec: "3.0.1", docName: "example7-bin.spdx", docID: "urn:uuid:6a1ea0da-1801-495b-9d35-2735e79eee1b",
			name: "example7-bin.spdx", noDevice: true,
		},
		{
			// Two library roots: the first is the device.
			path: "conformance/spdx/spdx-examples/software/example7/spdx3.0/example7-third-party-modules.spdx3.json",
			spec: "3.0.1", docName: "example7-third-party-modules.spdx", docID: "urn:uuid:28789527-d15c-4c77-93b3-d6f25df6c1ef",
			name: "golang.org/x/text", ref: "urn:uuid:4918b993-36f8-4e75-bf94-2f017575eae5", components: 1,
		},
		{
			// The root is a dataset_DatasetPackage, a subclass of Package.
			path: "conformance/spdx/spdx-examples/dataset/example01/spdx3.0/example01.spdx3.json",
			spec: "3.0.1", docID: "https://spdx.org/spdxdocs/Document1-a7a6f7a8-68d5-4052-b3f7-a005d6af28f1",
			name: "Our World in Data CO2 and Greenhouse Gas Emissions dataset", version: "2024-04-15",
			ref: "https://spdx.org/spdxdocs/DatasetPackage1-035470d9-3ede-4952-91c8-c2abb943c90b", check: dataset,
		},
		{
			path: "conformance/spdx/ntia-minimum-elements/spdx3/missing_version.json",
			spec: "3.0.1", docName: "SBOM for CO2 Emissions dataset", docID: "https://spdx.org/spdxdocs/Document1-a7a6f7a8-68d5-4052-b3f7-a005d6af28f1",
			name: "CO2 Emissions dataset", version: "", ref: "https://spdx.org/spdxdocs/DatasetPackage1-035470d9-3ede-4952-91c8-c2abb943c90b",
		},
		{
			// 10 software_Package, 2 ai_AIPackage, 1 dataset_DatasetPackage.
			path: "conformance/spdx/spdx-examples/ai/example01/spdx3.0/simplehtr-example.json",
			spec: "3.0.1", docID: "https://my-first-aibom.com/document1",
			name: "SimpleHTR", ref: "https://my-first-aibom.com/SimpleHTR", components: 12,
			check: func(t *testing.T, d *Device) {
				if len(d.Dependencies) != 1 || d.Dependencies[0].Ref != "https://my-first-aibom.com/SimpleHTR" || len(d.Dependencies[0].DependsOn) != 7 {
					t.Errorf("Dependencies = %v, want SimpleHTR -> 7 packages", d.Dependencies)
				}
				if c := spdx3Find(d, "tensorflow"); c == nil || c.Version != "2.4.0" || c.Type != "library" {
					t.Errorf("tensorflow = %+v", c)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			d, err := ParseFile(filepath.Join(root, filepath.FromSlash(tc.path)))
			if err != nil {
				t.Fatal(err)
			}
			if d.SpecVersion != tc.spec || d.DocumentName != tc.docName {
				t.Errorf("spec/document name = %q/%q, want %q/%q", d.SpecVersion, d.DocumentName, tc.spec, tc.docName)
			}
			if want := []Identifier{{Type: "spdx3-id", Value: tc.docID}}; !reflect.DeepEqual(d.Identifiers, want) {
				t.Errorf("Identifiers = %v, want %v", d.Identifiers, want)
			}
			if d.Name != tc.name || d.Version != tc.version || d.PURL != tc.purl || d.Ref != tc.ref {
				t.Errorf("device = %q %q purl %q ref %q, want %q %q purl %q ref %q", d.Name, d.Version, d.PURL, d.Ref, tc.name, tc.version, tc.purl, tc.ref)
			}
			if len(d.Components) != tc.components {
				t.Errorf("%d components, want %d", len(d.Components), tc.components)
			}
			if got := d.DeviceSource == "document name"; got != tc.noDevice {
				t.Errorf("no device element = %v, want %v (device source %q)", got, tc.noDevice, d.DeviceSource)
			}
			if tc.check != nil {
				tc.check(t, d)
			}
		})
	}
}

func spdx3Find(d *Device, name string) *Component {
	for _, c := range d.Components {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func spdx3HasWarning(d *Device, rule string) bool {
	for _, w := range d.Warnings {
		if w.Rule == rule {
			return true
		}
	}
	return false
}

func spdx3Parse(t *testing.T, doc string) *Device {
	t.Helper()
	d, err := Parse(strings.NewReader(doc), "inline.spdx3.json")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// spdx3Device is a small device SBOM that uses most of what the reader
// handles.
const spdx3Device = `{
 "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
 "@graph": [
  {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2024-01-01T00:00:00Z", "createdBy": ["urn:org:acme"]},
  {"type": "Organization", "spdxId": "urn:org:acme", "creationInfo": "_:ci", "name": "Acme Medical"},
  {"type": "Person", "spdxId": "urn:person:jo", "creationInfo": "_:ci", "name": "Jo Dev"},
  {"type": "SpdxDocument", "spdxId": "urn:doc:1", "creationInfo": "_:ci", "name": "Infusion pump 2.1 SBOM", "rootElement": ["urn:sbom:1"]},
  {"type": "software_Sbom", "spdxId": "urn:sbom:1", "creationInfo": "_:ci", "rootElement": ["urn:pkg:app", "urn:pkg:fw"]},
  {"type": "software_Package", "spdxId": "urn:pkg:app", "creationInfo": "_:ci", "name": "pump-ui", "software_packageVersion": "2.1", "software_primaryPurpose": "application"},
  {"type": "software_Package", "spdxId": "urn:pkg:fw", "creationInfo": "_:ci", "name": "Pump Firmware", "software_packageVersion": "2.1.0",
   "software_primaryPurpose": "firmware", "suppliedBy": "urn:org:acme", "software_packageUrl": "pkg:generic/acme/pump-fw@2.1.0",
   "externalIdentifier": [
    {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23", "identifier": "cpe:2.3:o:acme:pump_firmware:2.1.0:*:*:*:*:*:*:*"},
    {"type": "ExternalIdentifier", "externalIdentifierType": "email", "identifier": "psirt@acme.example"},
    {"type": "ExternalIdentifier", "externalIdentifierType": "cpe22", "identifier": "cpe:/o:acme:pump_firmware:2.1.0"}],
   "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"}]},
  {"type": "software_Package", "spdxId": "urn:pkg:os", "creationInfo": "_:ci", "name": "linux", "software_packageVersion": "5.10.1",
   "software_primaryPurpose": "operatingSystem", "originatedBy": ["urn:person:jo"], "supportLevel": ["endOfSupport"],
   "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": "pkg:generic/linux@5.10.1"}]},
  {"type": "software_Package", "spdxId": "urn:pkg:ssl", "creationInfo": "_:ci", "name": "openssl", "software_packageVersion": "1.1.1k",
   "supportLevel": "limitedSupport", "validUntilTime": "2025-12-31T00:00:00Z",
   "verifiedUsing": [
    {"type": "Hash", "algorithm": "sha1", "hashValue": "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {"type": "PackageVerificationCode", "algorithm": "sha1", "hashValue": "1111111111111111111111111111111111111111"},
    {"type": "Hash", "algorithm": "md5", "hashValue": "d41d8cd98f00b204e9800998ecf8427e"},
    {"type": "Hash", "algorithm": "sha3_512", "hashValue": "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"}]},
  {"type": "software_File", "spdxId": "urn:file:1", "creationInfo": "_:ci", "name": "pump.bin"},
  {"type": "software_Snippet", "spdxId": "urn:snip:1", "creationInfo": "_:ci", "name": "a snippet", "software_snippetFromFile": "urn:file:1"},
  {"type": "Relationship", "spdxId": "urn:rel:1", "creationInfo": "_:ci", "from": "urn:pkg:fw", "relationshipType": "contains", "to": ["urn:pkg:os", "urn:file:1"]},
  {"type": "Relationship", "spdxId": "urn:rel:2", "creationInfo": "_:ci", "from": "urn:pkg:os", "relationshipType": "contains", "to": ["urn:pkg:ssl"]},
  {"type": "Relationship", "spdxId": "urn:rel:3", "creationInfo": "_:ci", "from": "urn:pkg:fw", "relationshipType": "dependsOn", "to": ["urn:pkg:os"]},
  {"type": "LifecycleScopedRelationship", "spdxId": "urn:rel:4", "creationInfo": "_:ci", "from": "urn:pkg:os", "relationshipType": "dependsOn", "to": ["urn:pkg:ssl"], "scope": "runtime"},
  {"type": "Relationship", "spdxId": "urn:rel:5", "creationInfo": "_:ci", "from": "urn:pkg:fw", "relationshipType": "dependsOn", "to": ["urn:pkg:ssl", "urn:pkg:os"]},
  {"type": "Relationship", "spdxId": "urn:rel:6", "creationInfo": "_:ci", "from": "urn:pkg:ssl", "relationshipType": "dependsOn", "to": ["https://spdx.org/rdf/3.0.1/terms/Core/NoneElement"]},
  {"type": "Relationship", "spdxId": "urn:rel:7", "creationInfo": "_:ci", "from": "urn:pkg:fw", "relationshipType": "hasDeclaredLicense", "to": ["urn:lic:1"]}
 ]
}`

func TestSPDX3Device(t *testing.T) {
	d := spdx3Parse(t, spdx3Device)
	if len(d.Warnings) > 0 {
		t.Errorf("warnings: %v", d.Warnings)
	}
	if d.SpecVersion != "3.0.1" || d.DocumentName != "Infusion pump 2.1 SBOM" {
		t.Errorf("spec/name = %q/%q", d.SpecVersion, d.DocumentName)
	}
	if want := []Identifier{{Type: "spdx3-id", Value: "urn:doc:1"}}; !reflect.DeepEqual(d.Identifiers, want) {
		t.Errorf("Identifiers = %v", d.Identifiers)
	}
	// The firmware root wins over the application root listed first.
	want := Component{
		Ref: "urn:pkg:fw", Type: "firmware", Name: "Pump Firmware", Version: "2.1.0",
		PURL:     "pkg:generic/acme/pump-fw@2.1.0",
		CPEs:     []string{"cpe:2.3:o:acme:pump_firmware:2.1.0:*:*:*:*:*:*:*", "cpe:/o:acme:pump_firmware:2.1.0"},
		Hashes:   []Hash{{Algorithm: "SHA-256", Value: "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"}},
		Supplier: "Acme Medical",
	}
	if !reflect.DeepEqual(d.Component, want) {
		t.Errorf("device =\n %+v\nwant\n %+v", d.Component, want)
	}
	if d.Manufacturer != "Acme Medical" {
		t.Errorf("Manufacturer = %q", d.Manufacturer)
	}
	wantComps := []*Component{
		{Ref: "urn:pkg:app", Type: "application", Name: "pump-ui", Version: "2.1"},
		{Ref: "urn:pkg:os", Type: "operating-system", Name: "linux", Version: "5.10.1", PURL: "pkg:generic/linux@5.10.1",
			Supplier: "Jo Dev", Parent: "urn:pkg:fw", SupportLevel: "endOfSupport"},
		{Ref: "urn:pkg:ssl", Name: "openssl", Version: "1.1.1k", Parent: "urn:pkg:os",
			Hashes: []Hash{
				{Algorithm: "SHA-1", Value: "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
				{Algorithm: "MD5", Value: "d41d8cd98f00b204e9800998ecf8427e"},
				{Algorithm: "SHA3-512", Value: "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"},
			},
			EndOfSupport: "2025-12-31T00:00:00Z", SupportLevel: "limitedSupport"},
	}
	for _, c := range d.Components {
		if len(c.CPEs) == 0 {
			c.CPEs = nil
		}
	}
	if !reflect.DeepEqual(d.Components, wantComps) {
		for _, c := range d.Components {
			t.Logf("got %+v", *c)
		}
		t.Errorf("components differ")
	}
	wantDeps := []Dependency{
		{Ref: "urn:pkg:fw", DependsOn: []string{"urn:pkg:os", "urn:pkg:ssl"}},
		{Ref: "urn:pkg:os", DependsOn: []string{"urn:pkg:ssl"}},
		{Ref: "urn:pkg:ssl"}, // dependsOn NoneElement: known to have none
	}
	if !reflect.DeepEqual(d.Dependencies, wantDeps) {
		t.Errorf("Dependencies = %v, want %v", d.Dependencies, wantDeps)
	}
}

// TestSPDX3Expanded reads full-IRI and "spdx:" prefixed names, @type/@id,
// JSON-LD value objects and single values where arrays are usual.
func TestSPDX3Expanded(t *testing.T) {
	const doc = `{"@context": ["https://spdx.org/rdf/3.0.1/spdx-context.jsonld"], "@graph": [
	 {"@type": "https://spdx.org/rdf/3.0.1/terms/Core/CreationInfo", "@id": "_:ci", "https://spdx.org/rdf/3.0.1/terms/Core/specVersion": "3.0.1"},
	 {"@type": "spdx:Core/SpdxDocument", "@id": "urn:doc", "spdx:Core/name": "prefixed", "spdx:Core/rootElement": [{"@id": "urn:dev"}]},
	 {"@type": "https://spdx.org/rdf/3.0.1/terms/Software/Package", "@id": "urn:dev",
	  "https://spdx.org/rdf/3.0.1/terms/Core/name": "Monitor",
	  "https://spdx.org/rdf/3.0.1/terms/Software/packageVersion": {"@value": "7.2"},
	  "https://spdx.org/rdf/3.0.1/terms/Software/primaryPurpose": {"@id": "https://spdx.org/rdf/3.0.1/terms/Software/SoftwarePurpose/device"},
	  "spdx:Core/suppliedBy": {"@id": "urn:org"},
	  "spdx:Core/verifiedUsing": [{"@type": "spdx:Core/Hash", "spdx:Core/algorithm": "https://spdx.org/rdf/3.0.1/terms/Core/HashAlgorithm/sha3_256", "spdx:Core/hashValue": "00FF"}],
	  "spdx:Core/externalIdentifier": {"spdx:Core/externalIdentifierType": "spdx:Core/ExternalIdentifierType/cpe23", "spdx:Core/identifier": "cpe:2.3:h:acme:monitor:7.2:*:*:*:*:*:*:*"}},
	 {"@type": "spdx:Core/Organization", "@id": "urn:org", "spdx:Core/name": "Acme"},
	 {"@type": "spdx:Software/Package", "@id": "urn:lib", "spdx:Core/name": "zlib", "spdx:Software/packageVersion": "1.3"},
	 {"@type": "spdx:Core/Relationship", "@id": "urn:r", "spdx:Core/from": "urn:dev", "spdx:Core/relationshipType": "spdx:Core/RelationshipType/dependsOn", "spdx:Core/to": "urn:lib"}
	]}`
	d := spdx3Parse(t, doc)
	if len(d.Warnings) > 0 {
		t.Errorf("warnings: %v", d.Warnings)
	}
	if d.Name != "Monitor" || d.Version != "7.2" || d.Type != "device" || d.Manufacturer != "Acme" || d.DocumentName != "prefixed" {
		t.Errorf("device = %+v", d)
	}
	if want := []Hash{{Algorithm: "SHA3-256", Value: "00ff"}}; !reflect.DeepEqual(d.Hashes, want) {
		t.Errorf("Hashes = %v", d.Hashes)
	}
	if want := []string{"cpe:2.3:h:acme:monitor:7.2:*:*:*:*:*:*:*"}; !reflect.DeepEqual(d.CPEs, want) {
		t.Errorf("CPEs = %v", d.CPEs)
	}
	if len(d.Components) != 1 || d.Components[0].Name != "zlib" {
		t.Errorf("components = %v", d.Components)
	}
	if want := []Dependency{{Ref: "urn:dev", DependsOn: []string{"urn:lib"}}}; !reflect.DeepEqual(d.Dependencies, want) {
		t.Errorf("Dependencies = %v", d.Dependencies)
	}
}

// TestSPDX3SingleElement reads a document that is one element object, with
// an embedded CreationInfo and an inline supplier.
func TestSPDX3SingleElement(t *testing.T) {
	const doc = `{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
	 "type": "software_Package", "spdxId": "urn:only", "name": "solo", "software_packageVersion": "1",
	 "creationInfo": {"type": "CreationInfo", "specVersion": "3.0.1", "created": "2024-01-01T00:00:00Z", "createdBy": ["urn:x"]},
	 "suppliedBy": {"type": "Organization", "name": "Inline Supplier"}}`
	d := spdx3Parse(t, doc)
	if d.SpecVersion != "3.0.1" || d.Name != "solo" || d.Version != "1" || d.Ref != "urn:only" || d.Supplier != "Inline Supplier" {
		t.Errorf("device = %+v", d)
	}
	if len(d.Components) != 0 {
		t.Errorf("components = %v", d.Components)
	}
	if !spdx3HasWarning(d, "schema:SpdxDocument") {
		t.Errorf("no warning about the missing SpdxDocument: %v", d.Warnings)
	}
}

// TestSPDX3DescribesAndVersionFallback: the device comes from a describes
// relationship, and the version from the @context when CreationInfo lacks it.
func TestSPDX3DescribesAndVersionFallback(t *testing.T) {
	const doc = `{"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld", "@graph": [
	 {"type": "SpdxDocument", "spdxId": "urn:doc", "name": "d"},
	 {"type": "Relationship", "spdxId": "urn:r", "from": "urn:doc", "relationshipType": "describes", "to": ["urn:p"]},
	 {"type": "software_Package", "spdxId": "urn:p", "name": "pump", "software_primaryPurpose": "device"}]}`
	d := spdx3Parse(t, doc)
	if d.Name != "pump" || d.Type != "device" || d.SpecVersion != "3.0.0" {
		t.Errorf("device %q type %q spec %q", d.Name, d.Type, d.SpecVersion)
	}
	if !spdx3HasWarning(d, "spec-version") {
		t.Errorf("no spec-version warning: %v", d.Warnings)
	}
}

// TestSPDX3BadInput: every bad document gives an error or a warning, never
// a panic (Parse turns a panic into an "internal error" ParseError).
func TestSPDX3BadInput(t *testing.T) {
	const ctx = `"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"`
	const ci = `{"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1"}`
	cases := []struct {
		name, doc string
		wantErr   error  // nil: any error when wantWarn is ""
		wantWarn  string // the rule of a warning, when the parse succeeds
	}{
		{name: "graph is a string", doc: `{` + ctx + `, "@graph": "oops"}`},
		{name: "graph is a number", doc: `{` + ctx + `, "@graph": 42}`},
		{name: "graph is an object", doc: `{` + ctx + `, "@graph": ` + ci + `}`, wantWarn: "schema:@graph"},
		{name: "graph is null", doc: `{` + ctx + `, "@graph": null}`, wantWarn: "schema:@graph"},
		{name: "graph item not an object", doc: `{` + ctx + `, "@graph": [` + ci + `, 7, "x"]}`, wantWarn: "schema:@graph"},
		{name: "relationship without from", doc: `{` + ctx + `, "@graph": [` + ci + `, {"type": "Relationship", "spdxId": "urn:r", "relationshipType": "dependsOn", "to": ["urn:a"]}]}`, wantWarn: "schema:relationship"},
		{name: "relationship without to", doc: `{` + ctx + `, "@graph": [` + ci + `, {"type": "Relationship", "spdxId": "urn:r", "from": "urn:a", "relationshipType": "contains", "to": []}]}`, wantWarn: "schema:relationship"},
		{name: "relationship without type", doc: `{` + ctx + `, "@graph": [` + ci + `, {"type": "Relationship", "from": "urn:a", "to": "urn:b"}]}`, wantWarn: "schema:relationship"},
		{name: "relationship with wrong shapes", doc: `{` + ctx + `, "@graph": [` + ci + `, {"type": "Relationship", "from": 5, "to": {"x": 1}, "relationshipType": ["dependsOn"]}]}`, wantWarn: "schema:relationship"},
		{name: "element without type", doc: `{` + ctx + `, "@graph": [` + ci + `, {"spdxId": "urn:x", "name": "x"}]}`, wantWarn: "schema:type"},
		{name: "hash without value", doc: `{` + ctx + `, "@graph": [` + ci + `, {"type": "software_Package", "spdxId": "urn:p", "verifiedUsing": [{"type": "Hash", "algorithm": "sha256"}]}]}`, wantWarn: "schema:verifiedUsing"},
		{name: "no specVersion", doc: `{` + ctx + `, "@graph": [{"type": "CreationInfo", "@id": "_:ci"}]}`, wantWarn: "spec-version"},
		{name: "specVersion 4.0", doc: `{` + ctx + `, "@graph": [{"type": "CreationInfo", "@id": "_:ci", "specVersion": "4.0"}]}`, wantErr: ErrUnsupportedVersion},
		{name: "specVersion 2.3", doc: `{` + ctx + `, "@graph": [{"type": "software_Package", "spdxId": "urn:p", "creationInfo": {"type": "CreationInfo", "specVersion": "SPDX-2.3"}}]}`, wantErr: ErrUnsupportedVersion},
		{name: "truncated", doc: `{` + ctx + `, "@graph": [` + ci + `, {"type": "software_Package", "spdxId": "urn:p", "na`},
		{name: "truncated after graph", doc: `{` + ctx + `, "@graph": [` + ci + `]`},
		{name: "syntax error", doc: `{` + ctx + `, "@graph": [` + ci + `,, ]}`},
		{name: "trailing data", doc: `{` + ctx + `, "@graph": [` + ci + `]} {"more": 1}`},
		{name: "deep nesting", doc: `{` + ctx + `, "@graph": [` + ci + `, {"type": "software_Package", "spdxId": "urn:p", "name": ` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}]}`, wantWarn: "schema:SpdxDocument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(strings.NewReader(tc.doc), "bad.json")
			if err != nil && strings.Contains(err.Error(), "internal error") {
				t.Fatalf("panic: %v", err)
			}
			if tc.wantWarn != "" {
				if err != nil {
					t.Fatalf("error %v, want warning %q", err, tc.wantWarn)
				}
				if !spdx3HasWarning(d, tc.wantWarn) {
					t.Errorf("warnings %v, want one with rule %q", d.Warnings, tc.wantWarn)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; device %+v", d)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Format != SPDX3JSONLD {
				t.Errorf("error %v is not a ParseError for %s", err, SPDX3JSONLD)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestSPDX3Strict: a relationship warning fails a strict parse.
func TestSPDX3Strict(t *testing.T) {
	doc := strings.Replace(spdx3Device, `"from": "urn:pkg:fw", "relationshipType": "hasDeclaredLicense", `, `"relationshipType": "hasDeclaredLicense", `, 1)
	if doc == spdx3Device {
		t.Fatal("test document not changed")
	}
	if _, err := (Options{Strict: true}).Parse(strings.NewReader(doc), "strict.json"); !errors.Is(err, ErrStrict) {
		t.Errorf("err = %v, want ErrStrict", err)
	}
}

// TestSPDX3NoPanicDirect calls the reader directly, outside Parse's
// recover, on the bad inputs and on cut-offs of a good document.
func TestSPDX3NoPanicDirect(t *testing.T) {
	for i := 0; i <= len(spdx3Device); i += 7 {
		p := &parser{dev: &Device{}}
		_ = p.spdx3(bufio.NewReader(strings.NewReader(spdx3Device[:i])))
	}
}

func TestSPDX3Helpers(t *testing.T) {
	for in, want := range map[string]string{
		"operatingSystem": "operating-system", "firmware": "firmware", "deviceDriver": "device-driver",
		"OPERATING_SYSTEM": "operating-system", "": "",
	} {
		if got := spdx3Dash(in); got != want {
			t.Errorf("spdx3Dash(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"sha256": "SHA-256", "sha1": "SHA-1", "md5": "MD5", "sha512": "SHA-512", "sha3_384": "SHA3-384",
		"blake2b256": "BLAKE2b-256", "SHA-256": "SHA-256", "spdx:Core/HashAlgorithm/sha224": "SHA-224", "blake3": "BLAKE3",
	} {
		if got := spdx3HashAlg(in); got != want {
			t.Errorf("spdx3HashAlg(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"https://spdx.org/rdf/3.0.1/terms/Software/Package": "software_Package",
		"spdx:Core/name": "name",
		"https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/dependsOn": "dependsOn",
		"software_Package":     "software_Package",
		"http://example.com/x": "http://example.com/x",
	} {
		if got := spdx3Term(in); got != want {
			t.Errorf("spdx3Term(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSPDX3(f *testing.F) {
	f.Add([]byte(`{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
	 {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1"},
	 {"type": "SpdxDocument", "spdxId": "urn:d", "name": "d", "rootElement": ["urn:p"]},
	 {"type": "software_Package", "spdxId": "urn:p", "name": "p", "software_packageVersion": "1",
	  "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "cpe23", "identifier": "cpe:2.3:a:x:p:1:*:*:*:*:*:*:*"}],
	  "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "00"}], "suppliedBy": {"type": "Organization", "name": "o"}},
	 {"type": "software_Package", "spdxId": "urn:q", "name": "q"},
	 {"type": "Relationship", "spdxId": "urn:r", "from": "urn:p", "relationshipType": "dependsOn", "to": ["urn:q"]},
	 {"type": "Relationship", "spdxId": "urn:s", "from": "urn:p", "relationshipType": "contains", "to": "urn:q"}]}`))
	f.Add([]byte(`{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "type": "software_Package", "name": "x", "creationInfo": {"specVersion": "3"}}`))
	f.Add([]byte(`{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": {"@type": "spdx:Software/Package", "spdx:Core/name": {"@value": "v"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(bytes.NewReader(b), "fuzz.json")
		if err != nil {
			if strings.Contains(err.Error(), "internal error while parsing") {
				t.Fatalf("panic: %v", err)
			}
			return
		}
		if d == nil {
			t.Fatal("nil error and nil device")
		}
	})
}
