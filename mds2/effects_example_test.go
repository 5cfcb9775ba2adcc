package mds2_test

import (
	"fmt"
	"log"

	"github.com/bomrank/bomrank/mds2"
)

// Ask a filled form who installs the fix of a finding in a component, how
// exposed the device is by design and what it already has in place.
func ExampleForm_Patching() {
	form, err := mds2.ParseFile("../testdata/mds2/acme-vitaflow-3000.xlsx")
	if err != nil {
		log.Fatal(err)
	}
	class := form.ClassOfComponent("operating-system", "linux", "")
	r := form.Patching(class)
	fmt.Println(class, class.Section(), r.Actor, "-", r.Action)
	for _, e := range r.Evidence {
		fmt.Println(" ", e)
	}
	fmt.Println(form.ClassOfComponent("application", "VitaFlow pump application", "Acme Medical Inc.").Section())
	if x, because, ok := form.Exposure(); ok {
		fmt.Println("exposure", x, "because", because)
	}
	for _, c := range form.Controls()[:2] {
		fmt.Println("control:", c)
	}
	for _, c := range form.Commitments() {
		fmt.Println("commitment:", c.Value, c)
	}
	// Output:
	// operating system CSUP-2 manufacturer - request manufacturer service (MDS2 CSUP-2.2)
	//   MDS2 CSUP-2.2: operating-system patches need manufacturer service
	//   MDS2 CSUP-2.1: owner installation of operating-system patches is not documented
	//   MDS2 CSUP-2.4: third-party security updates of the operating system need the manufacturer's approval
	// CSUP-6
	// exposure controlled because MDS2 CONN-4: communicates with systems outside the customer environment
	// control: MDS2 MLDP-3: compensating controls in place or available where anti-malware cannot be installed
	// control: MDS2 MLDP-4: application allow-listing restricts what may run
	// commitment: yes MDS2 CSUP-7: the manufacturer notifies customers when updates are approved for installation
	// commitment: yes MDS2 CSUP-11: the manufacturer has a process to assess device vulnerabilities and updates
	// commitment: yes MDS2 RDMP-3: the manufacturer publishes software support dates and updates
	// commitment: yes MDS2 RDMP-4: the manufacturer has a plan for third-party component end-of-life
}
