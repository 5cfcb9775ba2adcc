// Package purl parses and normalises package URLs (purls) so that the
// components of a device SBOM and the packages named by vulnerability
// advisories (OSV, CSAF, ...) can be compared byte for byte.
//
// Parsing is done by github.com/package-url/packageurl-go; this package
// adds a thin normalisation layer on top of it so that both sides of a match
// are reduced to the same canonical form:
//
//   - the type and qualifier keys are lower case, qualifiers are sorted by
//     key and qualifiers with an empty value are dropped;
//   - the subpath loses empty, "." and ".." segments and leading or trailing
//     slashes;
//   - per-type rules from the purl specification and its type definitions
//     are applied: names and namespaces that the registry treats case
//     insensitively are lower-cased (alpm, apk, bitbucket, bitnami, brew,
//     chrome-extension, composer, deb, github, golang, hex, luarocks, npm,
//     oci, otp, pub, qpkg, rpm namespace, vscode-extension, yocto
//     namespace), pypi names follow PEP 503 ("Foo_Bar.baz" becomes
//     "foo-bar-baz"), pub names use only [a-z0-9_], and case-sensitive
//     types (maven, nuget, cargo, gem, cocoapods, conan, swift, generic, ...)
//     are left as written.
//
// Parse and Normalize accept any purl string; PackageKey reduces a parsed
// purl to a versionless, qualifierless key suitable for indexing advisories
// by package.
//
// Two rules deliberately go further than the current purl type definitions
// because they make matching more robust: npm scopes and names are
// lower-cased (npm has forbidden upper case in new names since 2015, but the
// type definition marks them case sensitive) and golang module paths are
// lower-cased (the golang type definition says "shall be lowercased" while
// also marking them case sensitive; packageurl-go lower-cases them too).
// Values coming from ecosystems that are not purls must be normalised with
// the same rules before being compared with a PackageKey.
package purl
