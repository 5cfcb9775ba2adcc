package pgp

import (
	"bytes"
	"testing"
)

// Join makes one set of two: a signature by either key verifies, and
// the fingerprints are both, in order; a nil set joins as the other.
func TestJoin(t *testing.T) {
	a, err := Generate("A", "a@example.test", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate("B", "b@example.test", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	var none *Keys
	if none.Join(a) != a {
		t.Error("nil.Join(a) is not a")
	}
	both := a.Join(b)
	fps := both.Fingerprints()
	if len(fps) != 2 || fps[0] != a.Fingerprints()[0] || fps[1] != b.Fingerprints()[0] || len(a.Fingerprints()) != 1 {
		t.Fatalf("fingerprints %v", fps)
	}
	msg := []byte("bundle bytes")
	var sig bytes.Buffer
	if err := b.Sign(&sig, bytes.NewReader(msg), fixedNow); err != nil {
		t.Fatal(err)
	}
	if fp, err := both.Verify(bytes.NewReader(msg), sig.Bytes(), fixedNow); err != nil || fp != fps[1] {
		t.Errorf("signature by b: %q, %v", fp, err)
	}
	if _, err := a.Verify(bytes.NewReader(msg), sig.Bytes(), fixedNow); err == nil {
		t.Error("a alone verified b's signature")
	}
}
