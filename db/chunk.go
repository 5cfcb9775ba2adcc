package db

import (
	"bufio"
	"io"
)

// chunkSize is the size of each write of a database file: a multiple of
// the 2 MiB huge page, written at offsets that are multiples of it.
const chunkSize = 4 << 20

// chunkWriter writes a database file in writes of chunkSize bytes (the
// last one excepted), so that the kernel caches the file in 2 MiB folios
// (ext4 and XFS size a folio by the write that creates it) and a scan
// maps it 2 MiB at a time (see internal/mapfile's populate).
//
// Why: a database written through a 1 MiB buffer (or copied with cp) is
// cached in small folios, and mapping it costs the scan a page-table
// entry, and on the machine bomrank is measured on a trap to the
// hypervisor, per 4 KiB page: the 35 MB database of the 100k benchmark,
// mapped and touched after the decode floor's run, took 12-23 ms when
// written by cp and 1-10 ms when written in 8 MiB writes (32 of its 34
// MB then mapped as huge pages, /proc/self/smaps FilePmdMapped).
type chunkWriter struct{ b *bufio.Writer }

func newChunkWriter(w io.Writer) chunkWriter {
	return chunkWriter{bufio.NewWriterSize(w, chunkSize)}
}

// Write copies p into the buffer, a piece at a time, so that bufio never
// writes a large p directly (at a size that is not a whole chunk).
func (c chunkWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		if c.b.Available() == 0 {
			if err := c.b.Flush(); err != nil {
				return n, err
			}
		}
		k, err := c.b.Write(p[:min(len(p), c.b.Available())])
		n += k
		if err != nil {
			return n, err
		}
		p = p[k:]
	}
	return n, nil
}

// Flush writes what is buffered.
func (c chunkWriter) Flush() error { return c.b.Flush() }
