// Package pool is bomrank's one worker pool: it runs a function over the
// items of a job (files, archive members, devices, report entries) on a
// bounded number of goroutines, each with its own scratch state, and turns
// a panic in one item into an error naming that item while the others go
// on. Every concurrent loop of the module goes through [Each] (or
// [Stream], when the items are found while the job runs), so that
// cancellation, panics and worker counts behave the same everywhere.
package pool
