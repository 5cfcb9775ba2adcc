// Package zipcheck holds the checks every zip reader of bomrank makes
// before archive/zip reads an archive's central directory (advisory
// feeds' all.zip, MDS2 workbooks).
package zipcheck

import (
	"encoding/binary"
	"io"
)

// DeclaredMembers reads the number of members an archive declares in
// its end of central directory record (the zip64 one if there is one),
// so that a reader can refuse an archive of too many members before
// archive/zip reads its central directory: that reads every entry into a
// *zip.File (about 300 bytes each, whatever the cap), and a few gigabytes
// of archive hold tens of millions of entries. An archive without the
// record is left to archive/zip to refuse.
func DeclaredMembers(ra io.ReaderAt, size int64) (uint64, bool) {
	const eocdLen, locLen, eocd64Len = 22, 20, 56
	tail := make([]byte, min(size, eocdLen+65535))
	if _, err := ra.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return 0, false
	}
	// The record is the last signature whose comment reaches the end.
	for i := len(tail) - eocdLen; i >= 0; i-- {
		rec := tail[i:]
		if string(rec[:4]) != "PK\x05\x06" || i+eocdLen+int(binary.LittleEndian.Uint16(rec[20:])) != len(tail) {
			continue
		}
		count := uint64(binary.LittleEndian.Uint16(rec[10:]))
		recOff := size - int64(len(tail)) + int64(i)
		if recOff < locLen {
			return count, true
		}
		loc := make([]byte, locLen)
		if _, err := ra.ReadAt(loc, recOff-locLen); err != nil || string(loc[:4]) != "PK\x06\x07" {
			return count, true
		}
		off := binary.LittleEndian.Uint64(loc[8:])
		rec64 := make([]byte, eocd64Len)
		if off > uint64(size-eocd64Len) {
			return count, true
		}
		if _, err := ra.ReadAt(rec64, int64(off)); err != nil || string(rec64[:4]) != "PK\x06\x06" {
			return count, true
		}
		return max(count, binary.LittleEndian.Uint64(rec64[32:])), true
	}
	return 0, false
}
