package update

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/internal/config"
	"github.com/bomrank/bomrank/internal/csafsync"
)

// plan lists the enabled sources with their URLs and folders, and checks
// Options.Only.
func (o *Options) plan() ([]source, error) {
	for _, k := range o.Only {
		if !slices.Contains(Kinds, k) {
			return nil, fmt.Errorf("unknown source %q (one of %s)", k, strings.Join(Kinds, ", "))
		}
	}
	c := o.Config
	if c == nil {
		c = &config.Config{}
	}
	s := c.Sources
	var out []source
	if s.OSV == nil || enabled(&s.OSV.URLSource) {
		src := source{kind: "osv", name: "osv", dir: "osv", url: DefaultOSV}
		if s.OSV != nil {
			src.url, src.ecosystems = orURL(s.OSV.URL, DefaultOSV), s.OSV.Ecosystems
		}
		out = append(out, src)
	}
	if s.NVD == nil || enabled(&s.NVD.URLSource) {
		src := source{kind: "nvd", name: "nvd", dir: "nvd", url: DefaultNVD, firstYear: DefaultFirstYear}
		if s.NVD != nil {
			src.url = orURL(s.NVD.URL, DefaultNVD)
			if s.NVD.FirstYear != 0 {
				src.firstYear = s.NVD.FirstYear
			}
		}
		out = append(out, src)
	}
	if enabled(s.KEV) {
		out = append(out, source{kind: "kev", name: "kev", dir: "kev", url: orURL(urlOf(s.KEV), DefaultKEV)})
	}
	if enabled(s.EPSS) {
		out = append(out, source{kind: "epss", name: "epss", dir: "epss", url: orURL(urlOf(s.EPSS), DefaultEPSS)})
	}
	csaf, err := csafSources(s.CSAF)
	return append(out, csaf...), err
}

// csafSources lists the CSAF providers (default: CISA's), one folder
// csaf/<host> each (csaf/<host>~2 for a second provider on one host).
func csafSources(c *config.CSAFSource) ([]source, error) {
	providers := []config.Provider{{URL: DefaultCSAF}}
	if c != nil && len(c.Providers) > 0 {
		providers = c.Providers
	}
	var out []source
	seen := map[string]int{}
	for i, p := range providers {
		pr := csafsync.Provider{URL: p.URL, Domain: p.Domain, Fingerprint: p.Fingerprint}
		host, err := hostOf(pr)
		if err != nil {
			return nil, fmt.Errorf("sources.csaf.providers[%d]: %w", i, err)
		}
		seen[host]++
		name := host
		if n := seen[host]; n > 1 {
			name = fmt.Sprintf("%s~%d", host, n)
		}
		u := p.URL
		if u == "" {
			u = "https://" + p.Domain
		}
		out = append(out, source{kind: "csaf", name: "csaf/" + name, dir: path.Join("csaf", name), url: u, provider: pr})
	}
	return out, nil
}

func enabled(u *config.URLSource) bool { return u == nil || u.Enabled == nil || *u.Enabled }

func urlOf(u *config.URLSource) string {
	if u == nil {
		return ""
	}
	return u.URL
}

func orURL(u, def string) string {
	if u == "" {
		return def
	}
	return strings.TrimSuffix(u, "/")
}

// trustedOnly is the configuration's csaf.trusted_only.
func (o *Options) trustedOnly() bool {
	return o.Config != nil && o.Config.Sources.CSAF != nil && o.Config.Sources.CSAF.TrustedOnly
}
