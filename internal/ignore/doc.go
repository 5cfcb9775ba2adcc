// Package ignore reads bomrank's ignore file and applies it to the
// findings of a scan: the hospital's record of the findings it accepts
// for a while, as grype's ignore rules, .trivyignore and osv-scanner's
// [[IgnoredVulns]] ignoreUntil do for those tools.
//
// The file is YAML (`.bomrank.yaml` in the working directory, or the
// file `bomrank scan --ignore FILE` names), with one top-level key:
//
//	ignore:
//	  - id: CVE-2021-44228          # the finding's id or any of its aliases (required)
//	    device: ICU-PUMP-01          # optional: device name, id or asset id
//	    component: pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1   # optional: purl (with or without version) or name
//	    reason: isolated VLAN, vendor patch scheduled   # required
//	    until: 2027-03-31            # optional: last day the acceptance holds
//	    by: j.doe (clinical engineering)                # optional
//
// Unknown keys are errors (a misspelt "until" must not accept a finding
// for ever), and so is an entry without an id or a reason. The file is
// read bounded (MaxBytes, MaxEntries); YAML aliases are expanded only
// within the YAML library's limits.
//
// An accepted finding keeps its status; Apply sets its
// match.Finding.Ignored, which makes it stop counting for the ranking
// and for --fail-on. From the day after its until date, an entry no
// longer applies: the findings count again by themselves. Apply also
// says which entries matched nothing (stale) and which expired.
package ignore
