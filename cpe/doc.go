// Package cpe reads Common Platform Enumeration names, CPE 2.3 formatted
// strings ("cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*") and CPE 2.2
// URIs ("cpe:/a:openssl:openssl:1.0.2k"), into well-formed names (WFNs) as
// NIST IR 7695 (CPE Naming 2.3) defines them, binds them back, and compares
// them attribute by attribute as NIST IR 7696 (CPE Name Matching 2.3) does.
//
// Why a package of our own: the Go ports of NIST's reference code that
// exist (github.com/knqyf263/go-cpe, last changed 2023) panic on malformed
// input (a slice out of range on "cpe:/a%:000000000", found by fuzzing in
// seconds), and github.com/facebookincubator/nvdtools is archived and
// brings a large dependency tree for its CPE part. bomrank reads CPEs from
// untrusted SBOMs and feeds, so the parser must refuse bad names with an
// error, never a panic; FuzzCPE holds it to that.
//
// A WFN attribute value is held as a string in the WFN's own form: the
// logical value ANY is "*", NA is "-", and any other value is a string
// whose characters other than letters, digits and "_" are quoted with a
// backslash ("1\.0\.2k"), with an unquoted "*" or "?" at either end as a
// wildcard. Values are lower case: IR 7696 compares names
// case-insensitively, and every CPE dictionary name is lower case.
package cpe
