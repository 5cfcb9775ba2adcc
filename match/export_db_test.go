package match

// NVDWorkload lets the external benchmark of a compiled database
// (nvd_db_bench_test.go) use the synthetic NVD of BenchmarkCPEFleet.
var NVDWorkload = nvdWorkload
