package sbom

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/boundtest"
)

// elementBomb is a CycloneDX JSON document of n empty components: 3 bytes
// each, and gzip takes a million of them to a few kilobytes.
func elementBomb(n int) []byte {
	return []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"Bomb"}},"components":[` +
		strings.TrimSuffix(strings.Repeat("{},", n), ",") + `]}`)
}

// A document with more objects and arrays than MaxValidateNodes is read
// but not schema-checked (the checker's generic tree took 1.1 GB for a
// million empty components); a smaller one still is.
func TestValidateNodeCap(t *testing.T) {
	big, err := Parse(bytes.NewReader(elementBomb(MaxValidateNodes+1)), "big.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	if big.SchemaChecked || len(big.Components) != MaxValidateNodes+1 {
		t.Errorf("big: schema checked %v, %d components", big.SchemaChecked, len(big.Components))
	}
	small, err := Parse(bytes.NewReader(elementBomb(1000)), "small.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	if !small.SchemaChecked {
		t.Error("small document not schema-checked")
	}
}

// Issue 14, defect 7: 400,000 empty components (over MaxValidateNodes,
// within MaxKeptBytes) with the schema check on (as bomrank sbom does)
// stay well under 1.5 GiB (a million took 2.8 GB before the cap); a
// million are refused (more than MaxKeptBytes).
func TestElementBombMemory(t *testing.T) {
	if boundtest.Child() {
		if _, err := Parse(bytes.NewReader(elementBomb(400_000)), "bomb.cdx.json"); err != nil {
			t.Fatal(err)
		}
		_, err := Parse(bytes.NewReader(elementBomb(1_000_000)), "bomb.cdx.json")
		if err == nil || !strings.Contains(err.Error(), "bomb.cdx.json") || !strings.Contains(err.Error(), "MiB of components") {
			t.Fatalf("a million components: %v, want refused", err)
		}
		return
	}
	if testing.Short() {
		t.Skip("a million components, some seconds; skipped with -short")
	}
	peak := boundtest.Peak(t, "TestElementBombMemory")
	t.Logf("peak RSS %d MiB", peak>>20)
	if peak > 1536<<20 {
		t.Errorf("peak RSS %d MiB for a million empty components, want < 1.5 GiB", peak>>20)
	}
}
