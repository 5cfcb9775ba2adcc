package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// contract is the configuration issue 16 fixed as a contract, as written
// there, plus trust_vex.
const contract = `db: /var/lib/bomrank/db            # default: bomrank/db under the user cache directory
trust_vex: ["St. Example Hospital Security"]
sources:
  osv:  {enabled: true, url: https://osv-vulnerabilities.storage.googleapis.com, ecosystems: [PyPI, npm, Go, Maven, Debian]}
  nvd:  {enabled: true, url: https://nvd.nist.gov/feeds/json/cve/2.0, first_year: 2002}
  kev:  {enabled: true, url: https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json}
  epss: {enabled: false, url: https://epss.empiricalsecurity.com/epss_scores-current.csv.gz}
  csaf:
    trusted_only: false
    providers:
      - url: https://www.cisa.gov/sites/default/files/csaf/provider-metadata.json
        fingerprint: ""            # optional pin of the signing key
      - domain: example-medical.com
`

func TestParseContract(t *testing.T) {
	c, err := Parse([]byte(contract))
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "/var/lib/bomrank/db" || len(c.TrustVEX) != 1 || c.TrustVEX[0] != "St. Example Hospital Security" {
		t.Errorf("db/trust_vex: %+v", c)
	}
	s := c.Sources
	if s.OSV == nil || len(s.OSV.Ecosystems) != 5 || s.OSV.URL != "https://osv-vulnerabilities.storage.googleapis.com" || !*s.OSV.Enabled {
		t.Errorf("osv: %+v", s.OSV)
	}
	if s.NVD == nil || s.NVD.FirstYear != 2002 || s.EPSS == nil || *s.EPSS.Enabled {
		t.Errorf("nvd/epss: %+v %+v", s.NVD, s.EPSS)
	}
	if s.CSAF == nil || len(s.CSAF.Providers) != 2 || s.CSAF.Providers[1].Domain != "example-medical.com" {
		t.Errorf("csaf: %+v", s.CSAF)
	}
	if s.KEV.Enabled == nil {
		t.Error("kev: enabled written but nil")
	}
}

func TestParseRefuses(t *testing.T) {
	for name, text := range map[string]string{
		"misspelt key":       "trust_vexx: [Acme]\n",
		"unknown source key": "sources:\n  osv: {urll: https://x.example}\n",
		"javascript URL":     "sources:\n  kev: {url: 'javascript:alert(1)'}\n",
		"file URL":           "sources:\n  nvd: {url: 'file:///etc/passwd'}\n",
		"empty author":       "trust_vex: ['  ']\n",
		"empty mds2 path":    "mds2: [forms, '']\n",
		"mds2 not a list":    "mds2: {a: b}\n",
		"empty provider":     "sources:\n  csaf: {providers: [{fingerprint: AB}]}\n",
		"not a mapping":      "- a\n- b\n",
		"wrong type":         "trust_vex: {a: b}\n",
	} {
		if _, err := Parse([]byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The mds2 key lists forms and folders, as written (the command makes
// relative paths relative to the file).
func TestParseMDS2(t *testing.T) {
	c, err := Parse([]byte("mds2: [forms/, /srv/mds2/pump.xlsx]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.MDS2) != 2 || c.MDS2[0] != "forms/" || c.MDS2[1] != "/srv/mds2/pump.xlsx" {
		t.Errorf("mds2 %q", c.MDS2)
	}
}

func TestParseEmptyAndBOM(t *testing.T) {
	for _, text := range []string{"", "# nothing\n", "\xef\xbb\xbfdb: /x\n"} {
		if _, err := Parse([]byte(text)); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
}

// TestParseAliasBomb: a billion-laughs YAML under a known key is refused
// quickly (no field takes nested lists, so it is never expanded).
func TestParseAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("trust_vex:\n- &a00 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString("- &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	start := time.Now()
	_, err := Parse([]byte(b.String()))
	if err == nil {
		t.Error("alias bomb accepted")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("alias bomb took %v", d)
	}
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestLocate(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	cfgDir := func() (string, error) { return dir, nil }
	if p := Locate("", getenv, cfgDir); p != "" {
		t.Errorf("nothing: %q", p)
	}
	def := filepath.Join(dir, "bomrank", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(def), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(def, []byte("db: /d\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p := Locate("", getenv, cfgDir); p != def {
		t.Errorf("user dir: %q", p)
	}
	env[EnvVar] = "/env.yaml"
	if p := Locate("", getenv, cfgDir); p != "/env.yaml" {
		t.Errorf("env: %q", p)
	}
	if p := Locate("/flag.yaml", getenv, cfgDir); p != "/flag.yaml" {
		t.Errorf("flag: %q", p)
	}
	noDir := func() (string, error) { return "", errors.New("no home") }
	delete(env, EnvVar)
	if p := Locate("", getenv, noDir); p != "" {
		t.Errorf("no config dir: %q", p)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte(contract), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p)
	if err != nil || c.Path != p || c.DB != "/var/lib/bomrank/db" {
		t.Fatalf("%+v %v", c, err)
	}
	for name, path := range map[string]string{"missing": filepath.Join(dir, "nope.yaml"), "directory": dir} {
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v (want an error naming %s)", name, err, path)
		}
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("trust_vex: [a]\nbogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml") || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown key: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("db: "+strings.Repeat("x", MaxBytes)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil {
		t.Error("oversized config accepted")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(contract))
	f.Add([]byte("trust_vex: [a, b]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err == nil && c == nil {
			t.Fatal("nil config without error")
		}
	})
}
