package rank

import (
	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/ssvc"
)

// sharing holds what one ranking goroutine's findings share: one
// decision per set of inputs met (see memoKey), one value of each set of
// decision sources, from device to device, and the storage of the
// decisions made and their reasons.
//
// Findings whose decisions are made from the same inputs get one
// *ssvc.Decision (see match.Finding.Decision: read only), made once. A
// decision is a function of its device's terms (deviceTerms) and a few
// facts of the finding (its vector, KEV entry, EPSS score, upstream fix,
// responsibility), so the findings of a device, and of devices with the
// same context, have few distinct decisions: the 100k benchmark's 82,346
// affected findings have 1,623 (every device has the default context).
// A decision each (136 bytes and its reasons) was 17.4 MB of the scan's
// allocations, 1.6 MB now (peak RSS 147-149 -> 131-133 MB); CPU
// profiles of 6 interleaved cold `bomrank scan --db -f json` runs:
// rankDevice 53 -> 25 ms a run; match.BenchmarkRank (CPU profile of 100
// rankings): rankDevice 4.80 -> 2.08 s, decide 3.87 -> 1.33 s.
// TestSharedDecisions holds every finding's decision to deciding it
// alone.
type sharing struct {
	memo map[memoKey]*ssvc.Decision
	// devices numbers the device terms met (memoKey.device).
	devices map[deviceTerms]int32
	sources map[ssvc.Sources]*ssvc.Sources
	// lastSources is the value source returned last.
	lastSources *ssvc.Sources
	// slab and reasons are the storage of the next decisions and reasons
	// made (a block at a time, not one allocation each).
	slab    []ssvc.Decision
	reasons []string
}

// deviceTerms is what a decision takes from its device: the exposure,
// human impact and units, with their reasons and sources.
type deviceTerms struct {
	exposure    ssvc.Exposure
	exposureWhy string
	exposureSrc ssvc.Source
	human       ssvc.HumanImpact
	humanWhy    string
	// humanPts and unitsPts are the device's terms of the score.
	humanPts, unitsPts float64
}

// memoKey is every input of the decision of a finding decide may share
// (see memoizable): two findings with the same key get the same
// decision. scores is the worker's one slice of the finding's severity
// (scoreCache), the same for the same severity.
type memoKey struct {
	device   int32 // the device's terms (sharing.devices)
	hasFixed bool
	kevOther bool // the KEV entry is the finding's by an alias (kevWords names its CVE)
	scores   *Score
	kev      *advisory.KEV
	epss     *advisory.EPSS
	resp     *ssvc.Responsibility
	fixed    string // the one version fixed upstream
}

const (
	// maxMemo, maxDevices and maxSources bound a worker's shared
	// values (the map entries; the values themselves are held by the
	// findings anyway): past them new values are made unshared.
	maxMemo, maxDevices, maxSources = 1 << 14, 1 << 12, 1 << 12
	// decisionsBlock decisions of 136 bytes fill the 16 KiB size class;
	// reasonsBlock reasons of 16 bytes fill 8 KiB.
	decisionsBlock, reasonsBlock = 120, 512
)

// device returns the number of device terms t, -1 when the worker
// holds maxDevices others (findings of such a device share nothing).
func (s *sharing) device(t deviceTerms) int32 {
	n, ok := s.devices[t]
	if !ok {
		if len(s.devices) >= maxDevices {
			return -1
		}
		if s.devices == nil {
			s.devices = map[deviceTerms]int32{}
		}
		n = int32(len(s.devices))
		s.devices[t] = n
	}
	return n
}

// memoizable returns the key of the finding's decision when it is a
// function of the key: the finding has one severity that parses (scores,
// the worker's slice), no CSAF threat, no remediation, at most one
// version fixed upstream and is not past its end of support (eos). The
// decision also names the finding's ID when its exposure is capped by its
// vector, or a KEV entry not known yet on the as-of date: decide does not
// keep those (and checks the latter on each finding).
func memoizable(f *match.Finding, dd *deviceDecisions, scores []Score, resp *ssvc.Responsibility, eos bool) (memoKey, bool) {
	if dd.device < 0 || len(f.Severity) != 1 || len(scores) != 1 || len(f.Threats) > 0 || len(f.Remediations) > 0 || len(f.Fixed) > 1 || eos {
		return memoKey{}, false
	}
	k := memoKey{device: dd.device, scores: &scores[0], kev: f.KEV, epss: f.EPSS, resp: resp}
	if f.KEV != nil {
		k.kevOther = f.KEV.CVE != f.ID
	}
	if len(f.Fixed) == 1 {
		k.hasFixed, k.fixed = true, f.Fixed[0]
	}
	return k, true
}

// remember keeps d as the decision of the findings with key k, unless it
// names the finding (see memoizable: an exposure capped by the vector,
// an exploitation source naming a KEV entry not known yet) or the worker
// holds maxMemo.
func (s *sharing) remember(k memoKey, d *ssvc.Decision, dd *deviceDecisions) {
	if d.Exposure != dd.exposure || (d.Sources.Exploitation.Kind == ssvc.SourceNone && d.Sources.Exploitation.Detail != "") || len(s.memo) >= maxMemo {
		return
	}
	if s.memo == nil {
		// Sized for the first device's findings: growing from empty to
		// the 100k benchmark's ~1,600 keys a worker was a third of the
		// memo's CPU time (match.BenchmarkRank, CPU profile).
		s.memo = make(map[memoKey]*ssvc.Decision, min(maxMemo, 4*dd.affected))
	}
	s.memo[k] = d
}

// source returns the worker's one value equal to src. The value is
// allocated only when src is new: taking &src up front made every
// decision allocate one (96 bytes a finding, 7.8 MB of the 38 MB the
// ranking of the 100k benchmark allocated, match.BenchmarkRank).
//
// The last value returned is compared first: a device's findings mostly
// have the same sources, whose strings are the device's and the score
// cache's (equal by address, compared without reading them), while the
// map hashes every byte of the six strings (a vector among them).
// BenchmarkRankDB in report (the 100k scan ranked again, CPU profile of
// 40 rankings): source (then per device) 0.23 s of 4.5 s before, 0.03 s
// after.
func (s *sharing) source(src ssvc.Sources) *ssvc.Sources {
	if s.lastSources != nil && src == *s.lastSources {
		return s.lastSources
	}
	p, ok := s.sources[src]
	if !ok {
		p = new(ssvc.Sources)
		*p = src
		if s.sources == nil {
			s.sources = map[ssvc.Sources]*ssvc.Sources{}
		}
		if len(s.sources) < maxSources {
			s.sources[src] = p
		}
	}
	s.lastSources = p
	return p
}

// keepDecision copies d into the worker's storage, its reasons too.
func (s *sharing) keepDecision(d *ssvc.Decision) *ssvc.Decision {
	if len(s.slab) == 0 {
		s.slab = make([]ssvc.Decision, decisionsBlock)
	}
	p := &s.slab[0]
	s.slab = s.slab[1:]
	*p = *d
	p.Reasons = s.keep(d.Reasons)
	return p
}

// keep copies reasons rs into the worker's storage, taking exactly as
// many slots as there are reasons (the result has no room to append in
// place), nil for nil.
func (s *sharing) keep(rs []string) []string {
	if len(rs) == 0 {
		if rs == nil {
			return nil
		}
		return []string{}
	}
	if len(rs) > cap(s.reasons)-len(s.reasons) {
		s.reasons = make([]string, 0, max(len(rs), reasonsBlock))
	}
	start := len(s.reasons)
	s.reasons = append(s.reasons, rs...)
	return s.reasons[start:len(s.reasons):len(s.reasons)]
}
