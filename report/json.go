package report

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/bomrank/bomrank/internal/pool"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// scanJSON is the JSON of `bomrank scan`, a contract (see the README):
// fields may be added, never renamed or removed. JSON streams it in parts
// (the devices one by one); TestScanJSONIsTheContract holds JSON's output
// to this type, and report/schema/scan.schema.json (ScanSchema) publishes
// it.
type scanJSON struct {
	// Schema is SchemaVersion (written first by JSON).
	Schema  string       `json:"schema"`
	Devices []deviceJSON `json:"devices"`
	Errors  []errorJSON  `json:"errors"`
	Summary summaryJSON  `json:"summary"`
	Feeds   feedsJSON    `json:"feeds"`
	// Warnings says what the reader must know about the scan as a whole
	// (no vulnerability data was loaded); absent when there is nothing.
	Warnings []string `json:"warnings,omitempty"`
	// StaleIgnores lists the ignore file's entries that matched no
	// finding; absent when there is none.
	StaleIgnores []staleIgnoreJSON `json:"stale_ignores,omitempty"`
}

// feedsJSON names the versions of the exploitation feeds the ranking used.
type feedsJSON struct {
	KEVCatalog  string `json:"kev_catalog_version"`
	KEVReleased string `json:"kev_date_released"`
	KEVEntries  int    `json:"kev_entries"`
	EPSSModel   string `json:"epss_model_version"`
	EPSSDate    string `json:"epss_score_date"`
	EPSSScores  int    `json:"epss_scores"`
	Advisories  int    `json:"advisories"`
	AsOf        string `json:"as_of"`
	// Documents lists the advisory documents read, by id and version.
	Documents []documentJSON `json:"documents"`
	// Sources lists the advisory data behind the scan, per feed path and
	// kind, with its age (Scan.Sources).
	Sources []feedSourceJSON `json:"sources"`
	// DB names the compiled database the scan read, when it read one.
	DB *dbJSON `json:"db,omitempty"`
}

// feedSourceJSON is one advisory.Source. Its digest is left out: a scan
// from the feed files does not compute it, and a scan from a database
// must give the same bytes (feeds.db names the database's digest).
type feedSourceJSON struct {
	Kind           string `json:"kind"`
	Path           string `json:"path"`
	Records        int    `json:"records"`
	NewestModified string `json:"newest_modified,omitempty"`
	Captured       string `json:"captured,omitempty"`
	// AgeDays is the age at as_of in whole days (SourceDate, AgeDays):
	// absent without as_of or a date.
	AgeDays *int `json:"age_days,omitempty"`
}

// dbJSON is a Scan.DB.
type dbJSON struct {
	Path   string `json:"path"`
	Schema int    `json:"schema"`
	Built  string `json:"built"`
	Digest string `json:"digest"`
}

type documentJSON struct {
	ID        string `json:"id"`
	Version   string `json:"version"`
	Publisher string `json:"publisher,omitempty"`
	Updated   string `json:"updated,omitempty"`
}

// contextJSON is the device's context (from the inventory or defaults).
type contextJSON struct {
	AssetID   string   `json:"asset_id"`
	Location  string   `json:"location"`
	Exposure  string   `json:"exposure"`
	Safety    string   `json:"safety_impact"`
	Mission   string   `json:"mission_impact"`
	Units     int      `json:"units"`
	Defaulted []string `json:"defaulted"`
	// Sources says where the device's exposure, safety and mission impact
	// came from (since schema 1.3).
	Sources contextSourcesJSON `json:"sources"`
}

// contextSourcesJSON is ssvc.Context.Source of each context decision
// point.
type contextSourcesJSON struct {
	Exposure sourceOfJSON `json:"exposure"`
	Safety   sourceOfJSON `json:"safety_impact"`
	Mission  sourceOfJSON `json:"mission_impact"`
}

// ssvcJSON is the SSVC deployer decision of an affected finding.
type ssvcJSON struct {
	Exploitation string   `json:"exploitation"`
	Automatable  bool     `json:"automatable"`
	Exposure     string   `json:"exposure"`
	HumanImpact  string   `json:"human_impact"`
	Outcome      string   `json:"outcome"`
	Action       string   `json:"action"`
	Score        float64  `json:"score"`
	Reasons      []string `json:"reasons"`
	// Sources says where each decision point came from (since schema
	// 1.3).
	Sources decisionSourcesJSON `json:"sources"`
}

// decisionSourcesJSON is ssvc.Sources: where the finding's own decision
// points came from (the device's safety and mission impact sources are
// its context's).
type decisionSourcesJSON struct {
	Exploitation sourceOfJSON `json:"exploitation"`
	Automatable  sourceOfJSON `json:"automatable"`
	Exposure     sourceOfJSON `json:"exposure"`
	// from is the value these were made from (shared by findings), by
	// which the indenter keeps their JSON; nil for none.
	from *ssvc.Sources
}

// sourceOfJSON is one ssvc.Source.
type sourceOfJSON struct {
	Source string `json:"source"`
	Detail string `json:"detail,omitempty"`
}

func toSourceOfJSON(s ssvc.Source) sourceOfJSON {
	return sourceOfJSON{Source: s.Kind, Detail: s.Detail}
}

type kevJSON struct {
	DateAdded      string `json:"date_added"`
	DueDate        string `json:"due_date"`
	Ransomware     bool   `json:"known_ransomware_use"`
	RequiredAction string `json:"required_action"`
}

type epssJSON struct {
	Score      float64 `json:"epss"`
	Percentile float64 `json:"percentile"`
	Date       string  `json:"score_date"`
}

type summaryJSON struct {
	Devices    int `json:"devices"`
	Affected   int `json:"affected_devices"`
	Findings   int `json:"findings"`
	Unknown    int `json:"unknown_findings"`
	Advisories int `json:"advisories"`
	Skipped    int `json:"skipped_inputs"`
}

type deviceJSON struct {
	ID           string        `json:"id"`
	SBOM         string        `json:"sbom"`
	Name         string        `json:"name"`
	Manufacturer string        `json:"manufacturer"`
	Version      string        `json:"version"`
	Rank         int           `json:"rank"`
	Priority     string        `json:"priority"`
	Score        float64       `json:"score"`
	Reasons      []string      `json:"reasons"`
	Findings     []findingJSON `json:"findings"`
	Context      *contextJSON  `json:"context,omitempty"`
	// MDS2 is the device's MDS2 form (since schema 1.4); absent when no
	// form is attached.
	MDS2 *mds2JSON `json:"mds2,omitempty"`
	// HardeningGuide is the device's hardening guide (since schema 1.4);
	// absent when the inventory names none.
	HardeningGuide *guideJSON `json:"hardening_guide,omitempty"`
	// DisclosureWarnings is match.Disclosure.Warnings (since schema
	// 1.4): a form for another version, a form contradicting the
	// inventory's exposure; absent when there is none.
	DisclosureWarnings []string `json:"disclosure_warnings,omitempty"`
}

type findingJSON struct {
	ID            string        `json:"id"`
	Aliases       []string      `json:"aliases"`
	Status        string        `json:"status"`
	Reason        string        `json:"reason,omitempty"`
	Component     componentJSON `json:"component"`
	Fixed         []string      `json:"fixed"`
	Severity      severityJSON  `json:"severity"`
	Summary       string        `json:"summary,omitempty"`
	Informational string        `json:"informational,omitempty"`
	Sources       []sourceJSON  `json:"sources"`
	// Justification and Impact come from a VEX statement.
	Justification string            `json:"justification,omitempty"`
	Impact        string            `json:"impact,omitempty"`
	Remediations  []remediationJSON `json:"remediations"`
	// Outcome and Action repeat SSVC's outcome and action, for affected
	// findings.
	Outcome string    `json:"outcome,omitempty"`
	Action  string    `json:"action,omitempty"`
	SSVC    *ssvcJSON `json:"ssvc,omitempty"`
	KEV     *kevJSON  `json:"kev,omitempty"`
	EPSS    *epssJSON `json:"epss,omitempty"`
	// Ignored is the finding's acceptance in the ignore file: it keeps
	// its status but counts neither for the ranking nor for --fail-on.
	Ignored *ignoredJSON `json:"ignored,omitempty"`
	// Actor and ActorAction say who can install the fix of a finding
	// that counts (FindingActor; since schema 1.4): hospital,
	// manufacturer, both or unknown, and the MDS2 answer behind it in
	// words (ssvc.Responsibility.Action, absent when unknown).
	Actor       string `json:"actor,omitempty"`
	ActorAction string `json:"actor_action,omitempty"`
}

type remediationJSON struct {
	Category string `json:"category"`
	Details  string `json:"details,omitempty"`
	URL      string `json:"url,omitempty"`
	Date     string `json:"date,omitempty"`
}

type componentJSON struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	PURL    string   `json:"purl"`
	CPEs    []string `json:"cpes"`
	Ref     string   `json:"ref,omitempty"`
	// from is the component this was made from (shared by findings),
	// by which the indenter keeps its JSON; nil for none.
	from *sbom.Component
}

type severityJSON struct {
	// Vectors lists the scores as the sources wrote them.
	Vectors []vectorJSON `json:"vectors"`
	// Rating and RatingSource are rank.FindingRating: the rating of
	// every finding and where it came from (since schema 1.3).
	Rating       string `json:"rating"`
	RatingSource string `json:"rating_source"`
}

type vectorJSON struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type sourceJSON struct {
	ID     string `json:"id"`
	Format string `json:"format"`
	Path   string `json:"path"`
	Match  string `json:"match"`
	// Confidence is "high", "medium" or "low".
	Confidence string `json:"confidence"`
	// Product is the advisory's product or CPE criterion that matched.
	Product string `json:"product,omitempty"`
}

type errorJSON struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// newErrorJSON names the input in its own field and keeps it out of the
// message.
func newErrorJSON(path string, err error) errorJSON {
	return errorJSON{Path: path, Error: strings.TrimPrefix(err.Error(), path+": ")}
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// JSON writes the scan as indented JSON. Devices are encoded concurrently
// and streamed in order, so a fleet's report (tens of megabytes) is never
// held whole in memory; the bytes do not depend on the scheduling. A
// device that cannot be encoded (a NaN score, or a panic) stops the
// output with an error naming the device.
func JSON(w io.Writer, s *Scan) error {
	var sum summaryJSON
	for _, r := range s.all() {
		sum.Findings += len(r.Findings)
		sum.Unknown += r.Count(match.Unknown)
		if r.Affected() > 0 {
			sum.Affected++
		}
	}
	errs := []errorJSON{}
	for _, e := range s.SBOMErrors {
		errs = append(errs, newErrorJSON(e.Path, e))
	}
	for _, e := range s.AdvisoryErrors {
		errs = append(errs, newErrorJSON(e.Path, e))
	}
	for _, e := range s.InventoryErrors {
		errs = append(errs, errorJSON{Path: e.File(), Error: e.Detail()})
	}
	for _, e := range s.MDS2Errors {
		if ie, ok := e.(InventoryError); ok { // *mds2.Error, *inventory.RowError
			errs = append(errs, errorJSON{Path: ie.File(), Error: ie.Detail()})
		} else {
			errs = append(errs, errorJSON{Error: e.Error()})
		}
	}
	for _, e := range s.MatchErrors {
		errs = append(errs, errorJSON{Path: e.Path, Error: fmt.Sprintf("matching device %q failed: %v", e.Device, e.Err)})
	}
	sum.Devices = len(s.all())
	sum.Advisories = s.Advisories
	sum.Skipped = len(errs)

	ew := &errWriter{w: w}
	ew.str("{\n  \"schema\": ")
	ew.json(SchemaVersion)
	ew.str(",\n  \"devices\": [")
	writeDevices(ew, s.Results)
	if len(s.Results) > 0 {
		ew.str("\n  ")
	}
	ew.str("],\n  \"errors\": ")
	ew.json(errs)
	ew.str(",\n  \"summary\": ")
	ew.json(sum)
	ew.str(",\n  \"feeds\": ")
	f := s.Feeds
	fj := feedsJSON{KEVCatalog: f.KEVCatalog, KEVReleased: f.KEVReleased, KEVEntries: f.KEVEntries,
		EPSSModel: f.EPSSModel, EPSSDate: f.EPSSDate, EPSSScores: f.EPSSScores, Advisories: s.Advisories,
		Documents: []documentJSON{}}
	for _, d := range s.Documents {
		fj.Documents = append(fj.Documents, documentJSON{ID: d.ID, Version: d.Version, Publisher: d.Publisher, Updated: d.Updated})
	}
	if !s.AsOf.IsZero() {
		fj.AsOf = s.AsOf.UTC().Format("2006-01-02")
	}
	fj.Sources, fj.DB = sourcesJSON(s), toDBJSON(s.DB)
	ew.json(fj)
	if len(s.Warnings) > 0 {
		ew.str(",\n  \"warnings\": ")
		ew.json(s.Warnings)
	}
	if len(s.StaleIgnores) > 0 {
		ew.str(",\n  \"stale_ignores\": ")
		ew.json(staleIgnoresJSON(s.StaleIgnores))
	}
	ew.str("\n}\n")
	return ew.err
}

// toDeviceJSON is device r as JSON writes it (JSON itself streams the
// findings through deviceEncoder, from the same conversions).
func toDeviceJSON(r *match.DeviceResult) deviceJSON {
	dj := deviceHead(r)
	dj.Findings = make([]findingJSON, 0, len(r.Findings))
	for _, f := range r.Findings {
		var c findingConv // fresh slices for each finding kept
		dj.Findings = append(dj.Findings, *c.set(f))
	}
	return dj
}

// deviceHead is device r without its findings (Findings nil).
func deviceHead(r *match.DeviceResult) deviceJSON {
	d := r.Device
	dj := deviceJSON{
		ID: r.ID, SBOM: d.Path, Name: d.Name, Manufacturer: d.Manufacturer, Version: d.Version,
		Rank: r.Rank, Priority: string(r.Priority), Score: r.Score, Reasons: strs(r.Reasons),
	}
	if c := r.Context; c != nil {
		dj.Context = &contextJSON{AssetID: c.AssetID, Location: c.Location, Exposure: string(c.Exposure), Safety: string(c.Safety),
			Mission: string(c.Mission), Units: c.Units, Defaulted: strs(c.Defaulted)}
		dj.Context.Sources = contextSourcesJSON{Exposure: toSourceOfJSON(c.Source("exposure")),
			Safety: toSourceOfJSON(c.Source("safety impact")), Mission: toSourceOfJSON(c.Source("mission impact"))}
	}
	if dc := r.Disclosure; dc != nil {
		dj.MDS2, dj.DisclosureWarnings = toMDS2JSON(dc), dc.Warnings
		if g := dc.Guide; g != nil {
			dj.HardeningGuide = &guideJSON{Ref: g.Ref, Version: g.Version, Review: g.Review}
		}
	}
	return dj
}

// findingConv converts findings into one findingJSON, reusing its slices
// and the structs its pointers point to: the result of set is valid until
// the next call.
type findingConv struct {
	// rater parses each distinct vector once.
	rater        rank.Rater
	fj           findingJSON
	vectors      []vectorJSON
	sources      []sourceJSON
	remediations []remediationJSON
	ssvc         ssvcJSON
	kev          kevJSON
	epss         epssJSON
	ignored      ignoredJSON
}

// set converts f.
func (c *findingConv) set(f *match.Finding) *findingJSON {
	if c.vectors == nil {
		// Non-nil even when empty: encoded [] rather than null.
		c.vectors, c.sources, c.remediations = make([]vectorJSON, 0, 2), make([]sourceJSON, 0, 2), make([]remediationJSON, 0, 1)
	}
	c.fj = findingJSON{
		ID: f.ID, Aliases: strs(f.Aliases), Status: string(f.Status), Reason: f.Reason,
		Component: componentJSON{Name: f.Component.Name, Version: f.Component.Version, PURL: f.Component.PURL, CPEs: strs(f.Component.CPEs), Ref: f.Component.Ref,
			from: f.Component},
		Fixed: strs(f.Fixed), Summary: f.Summary, Informational: f.Informational,
		Severity: severityJSON{Vectors: c.vectors[:0]}, Sources: c.sources[:0],
		Justification: f.Justification, Impact: f.Impact, Remediations: c.remediations[:0],
	}
	fj := &c.fj
	for _, r := range f.Remediations {
		fj.Remediations = append(fj.Remediations, remediationJSON{Category: r.Category, Details: r.Details, URL: textsafe.URL(r.URL), Date: r.Date})
	}
	for _, v := range f.Severity {
		fj.Severity.Vectors = append(fj.Severity.Vectors, vectorJSON{Type: v.Type, Score: v.Score})
	}
	rating := c.rater.Rating(f)
	fj.Severity.Rating, fj.Severity.RatingSource = rating.Rating, rating.Source
	for _, src := range f.Sources {
		conf := src.Confidence
		if conf == "" {
			conf = "high"
		}
		fj.Sources = append(fj.Sources, sourceJSON{ID: src.ID, Format: src.Format, Path: src.Path, Match: src.Match, Confidence: conf, Product: src.Product})
	}
	c.vectors, c.sources, c.remediations = fj.Severity.Vectors, fj.Sources, fj.Remediations
	if d := f.Decision; d != nil {
		fj.Outcome, fj.Action = string(d.Outcome), string(d.Action)
		c.ssvc = ssvcJSON{Exploitation: string(d.Exploitation), Automatable: d.Automatable, Exposure: string(d.Exposure),
			HumanImpact: string(d.HumanImpact), Outcome: string(d.Outcome), Action: string(d.Action), Score: d.Score, Reasons: strs(d.Reasons),
			Sources: decisionSources(d)}
		fj.SSVC = &c.ssvc
	}
	if k := f.KEV; k != nil {
		c.kev = kevJSON{DateAdded: k.DateAdded, DueDate: k.DueDate, Ransomware: k.Ransomware, RequiredAction: k.RequiredAction}
		fj.KEV = &c.kev
	}
	if e := f.EPSS; e != nil {
		c.epss = epssJSON{Score: e.Score, Percentile: e.Percentile, Date: e.Date}
		fj.EPSS = &c.epss
	}
	if a := f.Ignored; a != nil {
		c.ignored = toIgnoredJSON(a)
		fj.Ignored = &c.ignored
	}
	fj.Actor = string(FindingActor(f))
	if resp := responsibilityOf(f); resp != nil && fj.Actor != "" {
		fj.ActorAction = resp.Action
	}
	return fj
}

// decisionSources is d's sources.
func decisionSources(d *ssvc.Decision) decisionSourcesJSON {
	if d.Sources == nil {
		return decisionSourcesJSON{}
	}
	return decisionSourcesJSON{Exploitation: toSourceOfJSON(d.Sources.Exploitation), Automatable: toSourceOfJSON(d.Sources.Automatable),
		Exposure: toSourceOfJSON(d.Sources.Exposure), from: d.Sources}
}

// writeDevices writes the devices' JSON, each indented as an element of
// the "devices" array, in order, one write per device. Devices are
// encoded by internal/pool into a ring of slots, device i into slot i mod
// len(slots) once device i - len(slots) is written, while the devices
// before it are written: memory stays bounded by the ring, not the fleet.
// The first device that fails to encode stops the writing, with an error
// naming it.
//
// The ring holds two slots more than there are workers: a worker goes on
// with the next device while one is written, and one device twice as
// long as the others leaves no worker idle. It replaced two windows of
// two slots per worker, each encoded whole before it was written (the
// slots' buffers are a fleet's fresh memory, a page fault per 4 KiB
// touched first): BenchmarkJSONFleet (the 100k workload's report, 200
// devices) allocated 11.1 MB per encode with the windows, and about half
// as much with the ring, in the same time.
func writeDevices(ew *errWriter, results []*match.DeviceResult) {
	n := len(results)
	if n == 0 {
		return
	}
	slots := make([]deviceSlot, min(n, pool.Limit(n, 0)+2))
	k := len(slots)
	var (
		mu      sync.Mutex
		changed = sync.NewCond(&mu)
		written int  // devices written
		stopped bool // the writing stopped: encode no more
		done    = make([]bool, n)
		errs    = make([]error, n)
		wg      sync.WaitGroup
	)
	wg.Go(func() {
		pool.Each(context.Background(), n, 0, nil, func(_ struct{}, i int) error {
			mu.Lock()
			for written <= i-k && !stopped {
				changed.Wait()
			}
			stop := stopped
			mu.Unlock()
			var err error
			if !stop {
				err = slots[i%k].encode(results[i], i == 0)
			}
			mu.Lock()
			done[i], errs[i] = true, err
			changed.Broadcast()
			mu.Unlock()
			return nil
		})
	})
	for i, r := range results {
		mu.Lock()
		for !done[i] {
			changed.Wait()
		}
		err := errs[i]
		mu.Unlock()
		if err != nil {
			ew.fail(fmt.Errorf("json: device %s: %w", r.ID, err))
		} else {
			ew.bytes(slots[i%k].out)
		}
		mu.Lock()
		written, stopped = i+1, ew.err != nil
		changed.Broadcast()
		mu.Unlock()
		if stopped {
			break
		}
	}
	wg.Wait()
}

// deviceSlot holds one device of the ring being encoded: its indented
// bytes, and the encoder whose buffers are reused from device to device.
type deviceSlot struct {
	enc deviceEncoder
	out []byte
}

// encode sets s.out to device r encoded as JSON writes it inside the
// "devices" array, after the comma and line break before it (first says
// it is the first device: no comma). A panic is returned as a
// *pool.PanicError.
func (s *deviceSlot) encode(r *match.DeviceResult, first bool) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &pool.PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	sep := ",\n    "
	if first {
		sep = sep[1:]
	}
	b, err := s.enc.appendDevice(append(s.out[:0], sep...), r)
	if err != nil {
		return err
	}
	s.out = b
	return nil
}

// errWriter keeps the first error of a sequence of writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *errWriter) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *errWriter) str(s string) { e.bytes([]byte(s)) }

func (e *errWriter) json(v any) {
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		e.fail(err)
		return
	}
	e.bytes(b)
}
