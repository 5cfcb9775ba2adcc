// Package names holds the rules by which bomrank compares the names that
// advisories and SBOMs write differently: vendor and manufacturer names
// (case, accents, mojibake, punctuation, legal suffixes, known
// misspellings), product-name tokens, model and serial numbers with CSAF
// wildcards, hashes and the vendor:product of CPEs. The index keys its
// lookups with them and the matcher compares with them, so both must use
// the same rules; they are internal because they are matching policy, not
// API.
package names
