package cpe_test

import (
	"fmt"

	"github.com/bomrank/bomrank/cpe"
)

func Example() {
	criterion, _ := cpe.Parse("cpe:2.3:a:openssl:openssl:1.0.2*:*:*:*:*:*:*:*")
	component, _ := cpe.Parse("cpe:/a:openssl:openssl:1.0.2k")
	fmt.Println(component.String())
	fmt.Println(cpe.Unquote(component.Version))
	fmt.Println(cpe.IsSuperset(criterion, component))
	// Output:
	// cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*
	// 1.0.2k
	// true
}
