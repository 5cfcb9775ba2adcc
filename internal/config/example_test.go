package config_test

import (
	"fmt"

	"github.com/bomrank/bomrank/internal/config"
)

func ExampleParse() {
	c, err := config.Parse([]byte("db: /var/lib/bomrank/db\ntrust_vex: [St. Example Hospital Security]\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.DB, c.TrustVEX)
	_, err = config.Parse([]byte("trust_vexx: [Acme]\n"))
	fmt.Println(err != nil)
	// Output:
	// /var/lib/bomrank/db [St. Example Hospital Security]
	// true
}
