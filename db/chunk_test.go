package db

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// recorder keeps what it is given and the size of each write.
type recorder struct {
	bytes.Buffer
	sizes []int
}

func (r *recorder) Write(p []byte) (int, error) {
	r.sizes = append(r.sizes, len(p))
	return r.Buffer.Write(p)
}

// Whatever the sizes written to it (small pieces, pieces larger than a
// chunk), a chunkWriter passes the bytes on unchanged in whole chunks,
// but for the last write.
func TestChunkWriterWritesWholeChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var rec recorder
	w := newChunkWriter(&rec)
	var want []byte
	for _, n := range []int{10, chunkSize - 10, 1, 3*chunkSize + 5, 7, chunkSize, 100} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		want = append(want, p...)
		if k, err := w.Write(p); k != n || err != nil {
			t.Fatalf("Write(%d bytes) = %d, %v", n, k, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec.Bytes(), want) {
		t.Fatal("the bytes changed on the way")
	}
	for i, n := range rec.sizes[:len(rec.sizes)-1] {
		if n != chunkSize {
			t.Errorf("write %d of %d bytes, not %d", i, n, chunkSize)
		}
	}
	if last := rec.sizes[len(rec.sizes)-1]; last != len(want)%chunkSize {
		t.Errorf("last write %d bytes, want %d", last, len(want)%chunkSize)
	}
}
