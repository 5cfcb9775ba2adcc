// Command bomrank ranks a fleet of medical devices for patching from their
// SBOMs and the advisories that concern them.
//
// It is a thin layer over the bomrank packages: it parses flags, calls the
// library and prints. Run `bomrank help` for the commands; the README
// documents the JSON outputs and exit codes, which are contracts.
package main
