// Package ssvc is the vocabulary of bomrank's ranking: the decision points
// of the CERT/CC SSVC deployer tree (Stakeholder-Specific Vulnerability
// Categorization, "deployer patch application priority",
// https://certcc.github.io/SSVC/), the two tables that join them, what a
// hospital knows of a device ([Context]) and the decision for one affected
// finding ([Decision]).
//
// Each decision point is a string type whose values are the strings
// written in every output format ([Exploitation], [Exposure], [Safety],
// [Mission], [HumanImpact], [Outcome]); its order, from the least to the
// most, is written once here and read through Level and Compare. A
// device's [Priority] is the most urgent [Outcome] of its affected
// findings, or [PriorityNone] when nothing is affected; [Action] says what
// to do about a finding. Parse functions read a value written by a person
// (case, spaces, underscores and dashes do not matter).
//
// [HumanImpactOf] and [OutcomeOf] are the two tables of the deployer tree.
// The package only names and orders; package rank decides.
package ssvc
