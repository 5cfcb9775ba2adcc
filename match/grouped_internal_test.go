package match

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/sbom"
)

// TestPackageOrder: the package order holds every component with a purl
// once, its device and component numbers read back, the components of
// one package next to each other and, within a package, in fleet order.
func TestPackageOrder(t *testing.T) {
	var devs []*sbom.Device
	for i := range 40 {
		d := &sbom.Device{}
		for j := range 3 + i%7 {
			p := fmt.Sprintf("pkg:npm/p%d@1.%d.%d", (i*7+j*13)%11, i, j)
			if (i+j)%5 == 0 {
				p = "" // no purl: not in the order
			}
			d.Components = append(d.Components, &sbom.Component{PURL: p})
		}
		devs = append(devs, d)
	}
	order, compBits := packageOrder(devs)
	seen := map[[2]int]bool{}
	var pkgs []string
	for _, o := range order {
		i, j := unpackOrder(o, compBits)
		if seen[[2]int{i, j}] || devs[i].Components[j].PURL == "" {
			t.Fatalf("device %d component %d: twice, or without a purl", i, j)
		}
		seen[[2]int{i, j}] = true
		name, _, _ := strings.Cut(devs[i].Components[j].PURL, "@")
		if len(pkgs) == 0 || pkgs[len(pkgs)-1] != name {
			if slices.Contains(pkgs, name) {
				t.Fatalf("package %s is not in one group", name)
			}
			pkgs = append(pkgs, name)
		}
	}
	want := 0
	for _, d := range devs {
		for _, c := range d.Components {
			if c.PURL != "" {
				want++
			}
		}
	}
	if len(seen) != want {
		t.Fatalf("%d components in the order, want %d", len(seen), want)
	}
	for k := 1; k < len(order); k++ {
		if order[k]>>(64-orderHashBits) == order[k-1]>>(64-orderHashBits) && order[k] < order[k-1] {
			t.Fatalf("entries %d and %d of one package out of fleet order", k-1, k)
		}
		if order[k]>>(64-orderHashBits) < order[k-1]>>(64-orderHashBits) {
			t.Fatalf("entries %d and %d not sorted by hash", k-1, k)
		}
	}
}
