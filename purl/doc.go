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
//     are applied. Names and namespaces that the registry treats case
//     insensitively are lower-cased: both for alpm, apk, bitbucket, brew,
//     composer, deb, git, github, golang, hex, luarocks, npm and
//     vscode-extension; the name only for bitnami, chrome-extension, oci,
//     otp, pub and pypi; the namespace only for qpkg, rpm and yocto.
//     Versions are lower-cased for huggingface, oci, pypi and
//     vscode-extension. pypi names follow PEP 503 ("Foo_Bar.baz" becomes
//     "foo-bar-baz") and pub names use only [a-z0-9_]. Case-sensitive types
//     (maven, nuget, cargo, gem, cocoapods, conan, swift, generic, cpan,
//     ...) are left as written; mlflow names follow packageurl-go's rule.
//
// Parse and Normalize take a purl string; PackageKey reduces a parsed purl
// to a versionless, qualifierless key suitable for indexing advisories by
// package.
//
// Three rules deliberately go further than the case_sensitive flags of the
// current purl type definitions because they make matching more robust:
// npm scopes and names are lower-cased (npm has forbidden upper case in new
// names since 2015, but the type definition marks them case sensitive);
// golang module paths are lower-cased (the golang type definition says
// "shall be lowercased" while also marking them case sensitive, and
// packageurl-go lower-cases them); and git hosts and repository paths are
// lower-cased, as the purl-spec git tests expect. A git purl keeps the
// namespace/name split that packageurl-go parses ("pkg:git/codeberg.org/
// forgejo/forgejo" has namespace "codeberg.org/forgejo" and name "forgejo"),
// because that is the only split whose String is the canonical purl.
// Package names coming from ecosystems that are not purls (OSV ecosystem
// names, for example) must be normalised with the same rules before being
// compared with a PackageKey.
package purl
