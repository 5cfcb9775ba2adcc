package sbom

import "io"

// readChunks reads r in chunks of a mebibyte until its end (done) or
// until more than limit bytes are read (a negative limit reads to the
// end), calling before ahead of each chunk when it is set. Chunks, not a
// growing buffer: a buffer that grows holds the document twice while it
// is copied, which is what a reader refusing a document just over its
// cap must not do.
func readChunks(r io.Reader, limit int64, before func(chunk int64)) (chunks [][]byte, total int64, done bool, err error) {
	const chunkSize = 1 << 20
	for limit < 0 || total <= limit {
		if before != nil {
			before(chunkSize)
		}
		c := make([]byte, chunkSize)
		n, err := io.ReadFull(r, c)
		chunks = append(chunks, c[:n])
		total += int64(n)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return chunks, total, true, nil
		}
		if err != nil {
			return nil, 0, false, err
		}
	}
	return chunks, total, false, nil
}

// joinChunks returns the total bytes of chunks as one slice.
func joinChunks(chunks [][]byte, total int64) []byte {
	b := make([]byte, 0, total)
	for _, c := range chunks {
		b = append(b, c...)
	}
	return b
}
