// Package sharedtest locates the shared real-data folder (../shared beside
// the project root) for tests.
//
// Tests read the public conformance suites, SBOMs and advisories there in
// place; they never copy them into the project. Where the folder is absent
// a test skips with a message saying so, unless BOMRANK_REQUIRE_SHARED is
// set (as CI does), in which case it fails.
package sharedtest
