package db

import (
	"errors"
	"os"
	"reflect"
	"syscall"
	"testing"
)

// openMapped opens path with OpenMapped and skips the test where the
// file could not be mapped (no leases on this system or file system).
func openMapped(t *testing.T, path string) *DB {
	t.Helper()
	d, err := OpenMapped(path)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Mapped() {
		t.Skip("the database was read, not mapped: no read lease here (not Linux, or a file system without leases)")
	}
	return d
}

// A mapped database answers as a read one: the same metadata, KEV, EPSS,
// records and lookups, and it verifies.
func TestOpenMappedAnswersAsOpen(t *testing.T) {
	path := sample(t)
	m := openMapped(t, path)
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Mapped() {
		t.Error("Open mapped the file")
	}
	if !reflect.DeepEqual(m.Meta(), r.Meta()) || !reflect.DeepEqual(m.KEV(), r.KEV()) || !reflect.DeepEqual(m.EPSS(), r.EPSS()) {
		t.Error("metadata, KEV or EPSS differ")
	}
	if got, want := m.Inputs(), r.Inputs(); len(got) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("%d records mapped, %d read, or they differ", len(got), len(want))
	}
	if got := m.Packages("Maven", "org.apache.logging.log4j:log4j-core"); len(got) == 0 || !reflect.DeepEqual(got, r.Packages("Maven", "org.apache.logging.log4j:log4j-core")) {
		t.Error("log4j-core lookups differ")
	}
	if err := m.Verify(); err != nil {
		t.Error(err)
	}
}

// A file overwritten in place while it is mapped (what `cp new.db db`
// does: truncate, then write) does not change the open database, nor
// stop this process with SIGBUS: the writer waits until the mapping is
// copied aside, and the database still verifies against the bytes it was
// opened with. Here the writer is this process, on another thread.
func TestOpenMappedSurvivesOverwrite(t *testing.T) {
	path := sample(t)
	d := openMapped(t, path)
	want := d.Inputs()
	if err := os.WriteFile(path, []byte("not a database any more"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err != nil {
		t.Errorf("after the file was overwritten: %v", err)
	}
	if got := d.Inputs(); !reflect.DeepEqual(got, want) {
		t.Error("the records changed with the file")
	}
	if _, err := OpenMapped(path); !errors.Is(err, ErrNotDB) {
		t.Errorf("the new file opens: %v", err)
	}
}

// Every bad file OpenMapped is given is the error Open gives, and a
// failed open keeps no lease: the file can be rewritten at once.
func TestOpenMappedBadFiles(t *testing.T) {
	good, err := os.ReadFile(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	p := t.TempDir() + "/bad"
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)-100] ^= 0x40
	for _, bad := range [][]byte{good[:len(good)/2], flipped, []byte("{}")} {
		if err := os.WriteFile(p, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		_, werr := Open(p)
		if _, err := OpenMapped(p); err == nil || werr == nil || err.Error() != werr.Error() {
			t.Errorf("OpenMapped: %v; Open: %v", err, werr)
		}
		// An open for writing that may not wait would fail under a lease.
		w, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatalf("a failed OpenMapped kept its lease: %v", err)
		}
		w.Close()
	}
}

// Where no lease can be had (here: the file is open for writing), the
// database is read as Open reads it, and answers the same.
func TestOpenMappedFallsBackToRead(t *testing.T) {
	path := sample(t)
	w, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	d, err := OpenMapped(path)
	if err != nil {
		t.Fatal(err)
	}
	if d.Mapped() {
		t.Fatal("mapped a file open for writing")
	}
	if err := d.Verify(); err != nil {
		t.Error(err)
	}
	if len(d.Packages("Maven", "org.apache.logging.log4j:log4j-core")) == 0 {
		t.Error("log4j-core not found")
	}
}
