package schemacheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExploreJSON(t *testing.T) {
	for _, v := range []string{"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"} {
		files, _ := filepath.Glob("/work/shared/conformance/cyclonedx/" + v + "/*.json")
		for _, f := range files {
			b, _ := os.ReadFile(f)
			vs, err := CheckJSON("CycloneDX", v, b)
			base := filepath.Base(f)
			valid := strings.HasPrefix(base, "valid-")
			if err != nil {
				t.Logf("ERR %s: %v", base, err)
				continue
			}
			if valid && len(vs) > 0 || !valid && len(vs) == 0 || os.Getenv("ALL") != "" {
				t.Logf("%s: %d", base, len(vs))
				for i, x := range vs {
					if i > 5 { break }
					t.Logf("    %s", x)
				}
			}
		}
	}
	for _, f := range []string{"/work/shared/conformance/spdx/spec-examples-2.2/SPDXJSONExample-v2.2.spdx.json", "/work/shared/conformance/spdx/spec-examples-2.3/SPDXJSONExample-v2.3.spdx.json"} {
		b, _ := os.ReadFile(f)
		v := "SPDX-2.3"
		if strings.Contains(f, "2.2") { v = "SPDX-2.2" }
		vs, err := CheckJSON("SPDX", v, b)
		t.Logf("%s: %v %d", filepath.Base(f), err, len(vs))
		for _, x := range vs { t.Logf("    %s", x) }
	}
}
