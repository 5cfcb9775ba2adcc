package db

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"
)

// FuzzReadBundle: whatever the bytes, the bundle reader returns a
// manifest or an error, never a panic, reads no more than its limits
// allow, and what it accepts hashes as its manifest says.
func FuzzReadBundle(f *testing.F) {
	src := sample(f)
	dbData, err := os.ReadFile(src)
	if err != nil {
		f.Fatal(err)
	}
	var good bytes.Buffer
	if _, err := Export(context.Background(), src, &good, ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	for _, c := range hostileBundles(f, dbData, good.Bytes()) {
		if len(c.bundle) < 1<<20 {
			f.Add(c.bundle)
		}
	}
	lim := bundleLimits{manifest: 4 << 10, db: int64(len(dbData)) * 2, tail: 4 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		var dst bytes.Buffer
		r := &capReader{r: bytes.NewReader(data), max: int64(len(data))}
		m, sum, err := readBundle(context.Background(), io.Reader(r), lim, &dst)
		if int64(dst.Len()) > lim.db {
			t.Fatalf("copied %d bytes, limit %d", dst.Len(), lim.db)
		}
		if err != nil {
			return
		}
		if sum != m.Members[0].SHA256 || hexSHA256(dst.Bytes()) != sum {
			t.Fatalf("accepted %d bytes hashing to %s, manifest %s", dst.Len(), hexSHA256(dst.Bytes()), m.Members[0].SHA256)
		}
	})
}
