package config

import (
	"strings"
	"testing"
)

// import.trust lists key files; an empty entry is an error.
func TestImportTrust(t *testing.T) {
	c, err := Parse([]byte("import:\n  trust: [keys/signing.pub, /etc/bomrank/other.pub]\n"))
	if err != nil || len(c.Import.Trust) != 2 || c.Import.Trust[0] != "keys/signing.pub" {
		t.Fatalf("Parse: %+v, %v", c, err)
	}
	if _, err := Parse([]byte("import: {trust: [\"\"]}\n")); err == nil || !strings.Contains(err.Error(), "import.trust[0]") {
		t.Errorf("empty trust path: %v", err)
	}
	if _, err := Parse([]byte("import: {trusted: [a]}\n")); err == nil {
		t.Error("misspelt import key accepted")
	}
}
