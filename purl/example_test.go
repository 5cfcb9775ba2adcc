package purl_test

import (
	"fmt"

	"github.com/bomrank/bomrank/purl"
)

func ExampleNormalize() {
	for _, s := range []string{
		"pkg:PYPI/Django_Package@1.11.1.dev1",
		"pkg:npm/@Angular/Core@12.0.0",
		"pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=https://repo.spring.io/release",
		"pkg:deb/Debian/curl@7.50.3-1?Distro=jessie&arch=i386&foo=",
		"pkg:GOLANG/google.golang.org/genproto#/googleapis/./api/annotations/",
	} {
		n, err := purl.Normalize(s)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(n)
	}
	// Output:
	// pkg:pypi/django-package@1.11.1.dev1
	// pkg:npm/%40angular/core@12.0.0
	// pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?repository_url=https:%2F%2Frepo.spring.io%2Frelease&type=pom
	// pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie
	// pkg:golang/google.golang.org/genproto#googleapis/api/annotations
}

func ExamplePackageKey() {
	sbom, _ := purl.Parse("pkg:pypi/Zope.Interface@5.4.0?file_name=zope.interface-5.4.0.tar.gz")
	advisory, _ := purl.Parse("pkg:pypi/zope-interface")
	fmt.Println(purl.PackageKey(sbom))
	fmt.Println(purl.PackageKey(sbom) == purl.PackageKey(advisory))
	// Output:
	// pypi/zope-interface
	// true
}
