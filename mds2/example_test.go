package mds2_test

import (
	"fmt"
	"log"

	"github.com/bomrank/bomrank/mds2"
)

// Read a filled MDS2 workbook and ask who installs operating-system
// patches.
func Example() {
	form, err := mds2.ParseFile("../testdata/mds2/acme-vitaflow-3000.xlsx")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(form.Manufacturer, form.Model, form.Version, form.Date)
	if form.Is("CSUP-2.2", mds2.Yes) {
		fmt.Println("CSUP-2.2: operating-system patches need manufacturer service:", form.Answer("CSUP-2.2").Note)
	}
	fmt.Println("CONN-6 (internet required):", form.Answer("conn 6").Value)
	fmt.Println("warnings:", len(form.Warnings))
	// Output:
	// Acme Medical Inc. VitaFlow 3000 4.2.1 2026-03-14
	// CSUP-2.2: operating-system patches need manufacturer service: Operating-system updates are installed by Acme field service only.
	// CONN-6 (internet required): no
	// warnings: 0
}
