package report

import (
	"strings"
	"testing"
)

// A scan-wide warning (defect 4 of issue 13: no vulnerability data was
// loaded) appears in every format, as a reader of that format sees it,
// with the text escaped as the format requires; without warnings the
// output is the golden one (TestFormatsGolden).
func TestWarningsInEveryFormat(t *testing.T) {
	const msg = "no vulnerability records were loaded (no --advisories given): nothing was checked"
	for _, name := range FormatNames() {
		t.Run(name, func(t *testing.T) {
			s := statusScan()
			s.NoData = true
			s.Warnings = []string{msg}
			got := string(render(t, name, s, optionsFor(name)))
			if !strings.Contains(got, msg) {
				t.Errorf("%s output does not carry the warning:\n%s", name, got[:min(len(got), 600)])
			}
		})
	}
}
