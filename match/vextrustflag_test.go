package match

import "testing"

// A hospital's own VEX applies when the user trusts its author
// (--trust-vex), and only where it names the device or component
// exactly.
func TestVEXTrustedAuthor(t *testing.T) {
	const hospital = "St. Example Hospital Security Team"
	exact := openVEX(hospital, log4jPURL+"@2.14.1", "not_affected")
	loose := openVEX(hospital, log4jPURL, "not_affected")
	if f := trustScan(t, nil, exact); f.Status != Affected || !refusedSource(f, "author "+hospital+" is not the manufacturer of CardioSense X2") {
		t.Errorf("untrusted hospital VEX: %s, sources %+v", f.Status, f.Sources)
	}
	for _, trust := range []string{"St. Example Hospital", hospital, "st example hospital it security"} {
		if f := trustScan(t, []string{"Someone Else", trust}, exact); f.Status != NotAffected {
			t.Errorf("--trust-vex %q: %s, sources %+v", trust, f.Status, f.Sources)
		}
	}
	if f := trustScan(t, []string{"St. Example Hospital"}, loose); f.Status != Affected || !refusedSource(f, "does not name CardioSense X2 exactly") {
		t.Errorf("trusted author, versionless purl: %s, sources %+v", f.Status, f.Sources)
	}
	if f := trustScan(t, []string{"St. Example Hospital"}, openVEX(hospital, "urn:cdx:"+cardioSerial+"/1", "not_affected")); f.Status != NotAffected {
		t.Errorf("trusted author, device BOM-Link: %s, sources %+v", f.Status, f.Sources)
	}
}
