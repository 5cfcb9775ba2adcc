package advcodec

import (
	"reflect"
	"testing"

	"github.com/bomrank/bomrank/advisory"
)

// checkAffected checks that DecodeAffected, and DecodeAffectedInto into
// one scratch used for every package, give each affected package of each
// record as DecodeAdvisory does, and that a package past the last is an
// error.
func checkAffected(t *testing.T, advs []*advisory.Advisory) {
	t.Helper()
	e := NewEncoder()
	var s AffectedScratch
	for i, a := range advs {
		rec := string(e.AppendAdvisory(nil, a))
		for j := range a.Affected {
			got, err := DecodeAffected(rec, j)
			if err != nil {
				t.Fatalf("record %d (%s) affected %d: %v", i, a.ID, j, err)
			}
			if !reflect.DeepEqual(*got, a.Affected[j]) {
				t.Fatalf("record %d (%s) affected %d:\n got %+v\nwant %+v", i, a.ID, j, *got, a.Affected[j])
			}
			into, err := DecodeAffectedInto(rec, j, &s)
			if err != nil || !reflect.DeepEqual(*into, a.Affected[j]) {
				t.Fatalf("record %d (%s) affected %d into a scratch: %v\n got %+v\nwant %+v", i, a.ID, j, err, into, a.Affected[j])
			}
		}
		if _, err := DecodeAffected(rec, len(a.Affected)); err == nil {
			t.Fatalf("record %d (%s): affected %d of %d decoded", i, a.ID, len(a.Affected), len(a.Affected))
		}
		for n := range len(rec) {
			DecodeAffected(rec[:n], 0) // an error or not, never a panic
			DecodeAffectedInto(rec[:n], 0, &s)
		}
	}
}

func TestDecodeAffected(t *testing.T) {
	var a advisory.Advisory
	fill(reflect.ValueOf(&a).Elem(), 0)
	checkAffected(t, []*advisory.Advisory{&a, {ID: "none"}, {ID: "empty", Affected: []advisory.Affected{{}}}})
	checkAffected(t, loadAll(t, false).Advisories)
}
