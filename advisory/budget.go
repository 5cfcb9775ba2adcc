package advisory

import (
	"bytes"
	"io"

	"github.com/bomrank/bomrank/internal/membudget"
)

// Why memory is counted while a document is read: the readers hold the
// whole document (up to the 1 GiB cap after gzip) and decode it into
// structs that, for three bytes of JSON ("{},"), take a hundred bytes or
// more. Issue 14 measured a megabyte of gzip of any format (OSV JSON and
// YAML, CSAF, NVD, OpenVEX, CycloneDX VEX) taking more than 3 GB, and
// eight at once more (TestBombMemory). What gzip decompresses and what
// decoding is estimated to make go through membudget.DefaultLane (shared
// with the SBOM readers): each document may use its small share freely,
// one at a time may grow to the lane's maximum, and a document that
// alone would need more is refused. Files read as they are on disk are
// not counted: their size is what the user gave.

// beginDocument gives the worker a meter for the document it is about to
// decode, and returns the function that releases it.
func (w *worker) beginDocument() (end func()) {
	w.meter = membudget.DefaultLane.Meter("the document")
	return func() {
		if w.meter.Used() > membudget.DefaultLane.Small {
			w.trim() // the big buffers, before the collection in Release
		}
		w.meter.Release()
		w.meter = nil
	}
}

// meteredReader counts what is read through it against a document's
// meter: what gzip decompresses into the worker's buffer.
type meteredReader struct {
	r io.Reader
	m *membudget.Meter
}

func (m meteredReader) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if n > 0 {
		if merr := m.m.Add(int64(n)); merr != nil {
			return n, merr
		}
	}
	return n, err
}

// metered returns r counted against the worker's meter, if it has one.
func (w *worker) metered(r io.Reader) io.Reader {
	if w.meter == nil {
		return r
	}
	return meteredReader{r: r, m: w.meter}
}

// decodeNodeCost bounds what a decoder makes of one JSON object, YAML
// line or CSV line: an OSV Affected or range, a CSAF vulnerability or
// branch, with their slices and pointers.
const decodeNodeCost = 256

// useDecode counts what decoding data is estimated to make: a node per
// object (JSON), element (XML) or, four times, per line (OSV YAML: a
// generic tree first). A document too small to reach the small share
// with a node every two bytes is not counted (nor scanned): that is
// every osv.dev record but a few. An EPSS file costs an entry (a quarter
// of a node) per line. (The format is not known yet: OSV is tried first,
// and a document that sniffs as another format may still be OSV.)
func (w *worker) useDecode(data []byte) error {
	if w.meter == nil || int64(len(data))/2*decodeNodeCost <= membudget.DefaultLane.Small {
		return nil
	}
	var nodes int
	switch t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf"); {
	case looksLikeEPSS(data):
		return w.meter.Add(int64(bytes.Count(data, []byte("\n"))) * decodeNodeCost / 4)
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		nodes = bytes.Count(data, []byte("{"))
	case len(t) > 0 && t[0] == '<':
		nodes = bytes.Count(data, []byte("<"))
	default:
		nodes = 4 * bytes.Count(data, []byte("\n"))
	}
	return w.meter.Add(int64(nodes) * decodeNodeCost)
}
