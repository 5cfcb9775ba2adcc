package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/bomrank/bomrank/internal/walk"
	"go.yaml.in/yaml/v2"
)

// MaxBytes caps the size of a configuration file.
const MaxBytes = 1 << 20

// EnvVar is the environment variable that names the configuration file
// when --config does not.
const EnvVar = "BOMRANK_CONFIG"

// Config is the configuration file's content.
type Config struct {
	// Path is the file it was read from ("" for the defaults).
	Path string `yaml:"-"`
	// DB is the advisory database's path ("" for the default).
	DB string `yaml:"db"`
	// TrustVEX lists VEX authors trusted for every device besides its
	// manufacturer and supplier, as --trust-vex does.
	TrustVEX []string `yaml:"trust_vex"`
	// MDS2 lists MDS2 form files and directories attached to the devices
	// of every scan, as --mds2 does (the flags add to them); relative
	// paths are relative to the configuration file's directory.
	MDS2 []string `yaml:"mds2"`
	// Sources configures the public feeds `bomrank db update` fetches.
	Sources Sources `yaml:"sources"`
	// Import configures `bomrank db import`.
	Import Import `yaml:"import"`
}

// Import configures `bomrank db import`: Trust lists OpenPGP public key
// files (relative paths are relative to the configuration file's
// directory) of which a bundle's signature must be made by one, as
// --trust does (the flags add to them).
type Import struct {
	Trust []string `yaml:"trust"`
}

// Sources configures each public feed; a nil entry has its defaults.
type Sources struct {
	OSV  *OSVSource  `yaml:"osv"`
	NVD  *NVDSource  `yaml:"nvd"`
	KEV  *URLSource  `yaml:"kev"`
	EPSS *URLSource  `yaml:"epss"`
	CSAF *CSAFSource `yaml:"csaf"`
}

// URLSource is a feed fetched from one URL. Enabled is nil when not
// written (enabled by default).
type URLSource struct {
	Enabled *bool  `yaml:"enabled"`
	URL     string `yaml:"url"`
}

// OSVSource is the OSV bucket and the ecosystems fetched from it (empty:
// every ecosystem it lists).
type OSVSource struct {
	URLSource  `yaml:",inline"`
	Ecosystems []string `yaml:"ecosystems"`
}

// NVDSource is the NVD feed base URL and the first year fetched.
type NVDSource struct {
	URLSource `yaml:",inline"`
	FirstYear int `yaml:"first_year"`
}

// CSAFSource lists the CSAF providers. TrustedOnly refuses providers
// whose role is not csaf_trusted_provider.
type CSAFSource struct {
	TrustedOnly bool       `yaml:"trusted_only"`
	Providers   []Provider `yaml:"providers"`
}

// Provider is one CSAF provider: by the URL of its
// provider-metadata.json or by its domain, with an optional pin of its
// OpenPGP signing key's fingerprint.
type Provider struct {
	URL         string `yaml:"url"`
	Domain      string `yaml:"domain"`
	Fingerprint string `yaml:"fingerprint"`
}

// Locate returns the configuration file to read: flag when set, else
// $BOMRANK_CONFIG (from getenv), else bomrank/config.yaml under
// userConfigDir() when that file exists; "" when there is none. A path
// asked for by flag or environment is returned whether it exists or not:
// Load then says it is missing.
func Locate(flag string, getenv func(string) string, userConfigDir func() (string, error)) string {
	if flag != "" {
		return flag
	}
	if p := getenv(EnvVar); p != "" {
		return p
	}
	dir, err := userConfigDir()
	if err != nil || dir == "" {
		return ""
	}
	p := filepath.Join(dir, "bomrank", "config.yaml")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// Load reads the configuration file at path: a regular file of at most
// MaxBytes, strict YAML of the shape above. Errors name the file.
func Load(path string) (*Config, error) {
	data, err := walk.ReadFile(path, MaxBytes)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config %s: no such file", path)
		}
		return nil, fmt.Errorf("config %s: %w", path, walk.UnwrapPath(err))
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path = path
	return c, nil
}

// Parse reads a configuration from YAML text and checks it.
func Parse(data []byte) (*Config, error) {
	c := &Config{}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := yaml.UnmarshalStrict(data, c); err != nil {
		return nil, err
	}
	return c, c.check()
}

// check refuses what the YAML types let through: empty trust_vex
// authors, URLs that are not http or https, providers naming neither a
// URL nor a domain.
func (c *Config) check() error {
	for i, a := range c.TrustVEX {
		if strings.TrimSpace(a) == "" {
			return fmt.Errorf("trust_vex[%d]: empty author", i)
		}
	}
	for i, p := range c.MDS2 {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("mds2[%d]: empty path", i)
		}
	}
	for i, k := range c.Import.Trust {
		if strings.TrimSpace(k) == "" {
			return fmt.Errorf("import.trust[%d]: empty path", i)
		}
	}
	s := c.Sources
	var urls []struct{ name, u string }
	add := func(name string, u *URLSource) {
		if u != nil && u.URL != "" {
			urls = append(urls, struct{ name, u string }{name, u.URL})
		}
	}
	if s.OSV != nil {
		add("sources.osv.url", &s.OSV.URLSource)
	}
	if s.NVD != nil {
		add("sources.nvd.url", &s.NVD.URLSource)
	}
	add("sources.kev.url", s.KEV)
	add("sources.epss.url", s.EPSS)
	if s.CSAF != nil {
		for i, p := range s.CSAF.Providers {
			if p.URL == "" && p.Domain == "" {
				return fmt.Errorf("sources.csaf.providers[%d]: neither url nor domain", i)
			}
			add(fmt.Sprintf("sources.csaf.providers[%d].url", i), &URLSource{URL: p.URL})
		}
	}
	for _, u := range urls {
		if err := checkURL(u.u); err != nil {
			return fmt.Errorf("%s: %w", u.name, err)
		}
	}
	return nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("%q is not an http or https URL", s)
	}
	return nil
}
