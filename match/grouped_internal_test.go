package match

import (
	"fmt"
	"reflect"
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

// TestOSVRefAfterIsOSVRef: references made after the last component's,
// in runs of one package at other versions and with changes in between,
// are those osvRef makes alone.
func TestOSVRefAfterIsOSVRef(t *testing.T) {
	purls := []string{
		"pkg:pypi/Django@1.11.1", "pkg:pypi/Django@2.0RC1", "pkg:pypi/django@3.0",
		"pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11",
		"pkg:deb/debian/openssl@1.1.1w-0+deb11u1?arch=amd64&distro=debian-11",
		"pkg:deb/debian/openssl@1.1.1w-0+deb11u1?arch=amd64&distro=debian-12",
		"pkg:npm/@angular/core@12.0.0", "pkg:npm/@angular/core@13.1.0", "pkg:npm/%40angular/core@14.0.0",
		"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core",
		"pkg:maven/org.apache.logging.log4j/log4j-core@2.17.0", "", "pkg:golang/github.com/gorilla/mux@v1.8.0",
		"pkg:golang/github.com/gorilla/mux@v1.8.1", "not a purl@1.0", "pkg:cargo/regex@1.5.4",
	}
	var last pkgRef
	sibling := 0
	for _, s := range purls {
		c := &sbom.Component{PURL: s, Version: "9.9"}
		before := last.purl
		got, gok := osvRefAfter(c, &last)
		want, wok := osvRef(c)
		if gok != wok || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q after %q: %+v, %v; osvRef: %+v, %v", s, before, got, gok, want, wok)
		}
		if before != "" && strings.HasPrefix(s, before[:strings.LastIndexByte(before, '@')+1]) {
			sibling++
		}
	}
	if sibling < 5 {
		t.Errorf("%d siblings in the list: the fast path is not exercised", sibling)
	}
}
