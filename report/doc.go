// Package report writes the results of a scan for people and pipelines.
//
// Every output format is one file and one function over the same Scan,
// behind one small interface (Formatter): Table and TableWith (a
// terminal, optionally coloured), JSON (the contract scripts rely on; its
// JSON Schema is ScanSchema, and fields are added, never renamed or
// removed), CSV, SARIF, Markdown, HTML (self-contained, offline),
// CycloneDX (1.6 VDR/VEX), OpenVEX and CSAF (a CSAF 2.0 VEX document for
// one device). Write and Lookup pick a format by name (FormatNames);
// Options carries what some formats need (details, colour, the document
// date, the device, the issuer). The listing of `bomrank sbom` is written
// by SBOMJSON and SBOMTable.
//
// Priorities lists the device priorities most urgent first, in package
// ssvc's order (the SSVC outcomes, then none); ParseScore (package rank's)
// computes CVSS 2.0, 3.0, 3.1 and 4.0 scores from vectors with
// github.com/pandatix/go-cvss; and Threshold decides which devices reach a
// CI gate (`--fail-on`).
//
// The human formats (the table with Options.Details, Markdown, HTML,
// CSV) say who acts and how: FindingAction is an affected finding's action
// in plain words ("install manufacturer update 4.3.0 (CSAF ...)", "no fix:
// ask <manufacturer> (fixed upstream in requests 2.20.0)", "mitigate:
// ...", "isolate or replace: ..."), NextStep a device's next step (its
// best manufacturer fix first), Exploitation a finding's KEV and EPSS as
// known on the as-of date, ContextLine a device's inventory context; they
// list findings in UrgencyOrder. Options.Width fits the table to a
// terminal. Scan.Limit lists only the most urgent devices (--top,
// --min-priority) while the summaries still count them all.
//
// The manufacturer's disclosure of a device (match.Disclosure: its MDS2
// form, its hardening guide) and who can install each fix
// (ssvc.Decision.Responsibility) are shown as a responsibility view in
// the table with Options.Details, Markdown and HTML: what the hospital
// can do now (patch, mitigate, segment), what to ask the manufacturer
// for, each with the MDS2 answers behind it, the manufacturer's
// commitments (Markdown, HTML), the guide and its review. FindingAction
// ends an update with who installs it; FindingActor is the "actor" of the
// JSON, of the CSV's last column and of SARIF's result properties; the
// JSON also carries the device's "mds2", "hardening_guide" and
// "disclosure_warnings" (schema 1.4).
//
// A finding accepted in the ignore file (match.Finding.Ignored) stays in
// every format, muted, with Accepted's "accepted by <by>: <reason> until
// <date>" (the JSON's "ignored", SARIF's suppressions, the CSV's accepted
// column); Threshold does not count it, and Scan.StaleIgnores lists the
// entries that matched nothing (the JSON's "stale_ignores").
//
// Text from the inputs reaches the human-readable formats (Table,
// SBOMTable, Markdown, CSV, HTML) only through internal/textsafe: no
// control or bidi character raw, HTML text isolated in <bdi>, CSV cells
// quoted and guarded against formulas on every part a spreadsheet could
// split off; every format copies only http and https URLs.
//
// Output is deterministic: the same scan and options give the same bytes.
// The package never reads the clock: dates come from Options.AsOf.
package report
