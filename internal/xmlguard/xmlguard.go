package xmlguard

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// MaxDepth is the deepest element nesting bomrank reads: the same bound as
// the JSON readers' 10,000 levels (and encoding/xml's own limit for
// Unmarshal into nested structs). Real SBOMs and VEX documents nest a few
// dozen levels.
const MaxDepth = 10000

// ErrTooDeep is wrapped by the error for a document nested deeper than the
// limit.
var ErrTooDeep = errors.New("XML nested too deep")

// DepthError is the error for a document nested deeper than Limit.
type DepthError struct {
	Limit int
	Line  int
}

// Error implements error.
func (e *DepthError) Error() string {
	return fmt.Sprintf("XML elements nested more than %d deep (at line %d); bomrank refuses deeper documents", e.Limit, e.Line)
}

// Unwrap makes errors.Is(err, ErrTooDeep) true.
func (e *DepthError) Unwrap() error { return ErrTooDeep }

// Decoder is an xml.Decoder whose tokens come from a raw, stackless
// decoder of the same input that counts depth: Token, Skip and
// DecodeElement fail with a *DepthError once nesting passes the limit,
// before the decoder's own stack can grow further. InputPos reports the
// place in the input.
type Decoder struct {
	*xml.Decoder
	// Raw is the decoder reading the bytes. Set Strict, AutoClose,
	// Entity and CharsetReader on it, not on the embedded Decoder.
	Raw *xml.Decoder
	r   *depthReader
}

// NewDecoder returns a Decoder of r limited to MaxDepth.
func NewDecoder(r io.Reader) *Decoder { return NewDecoderLimit(r, MaxDepth) }

// NewDecoderLimit returns a Decoder of r limited to limit levels.
func NewDecoderLimit(r io.Reader, limit int) *Decoder {
	raw := xml.NewDecoder(r)
	dr := &depthReader{d: raw, limit: limit}
	return &Decoder{Decoder: xml.NewTokenDecoder(dr), Raw: raw, r: dr}
}

// InputPos returns the line and column of the input read so far.
func (d *Decoder) InputPos() (line, column int) { return d.Raw.InputPos() }

// InputOffset returns the offset in the input read so far.
func (d *Decoder) InputOffset() int64 { return d.Raw.InputOffset() }

type depthReader struct {
	d     *xml.Decoder
	depth int
	limit int
	err   error
}

func (r *depthReader) Token() (xml.Token, error) {
	if r.err != nil {
		return nil, r.err
	}
	t, err := r.d.RawToken()
	switch t.(type) {
	case xml.StartElement:
		r.depth++
		if r.depth > r.limit {
			line, _ := r.d.InputPos()
			r.err = &DepthError{Limit: r.limit, Line: line}
			return nil, r.err
		}
	case xml.EndElement:
		r.depth--
	}
	return t, err
}

// Check reads doc's tokens without building anything and returns a
// *DepthError if its elements nest more than limit deep, or the first
// syntax error encoding/xml finds (a caller whose reader that follows is
// more lenient may ignore errors other than a *DepthError, knowing that
// the scan stopped there).
func Check(doc []byte, limit int) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	depth := 0
	for {
		t, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t.(type) {
		case xml.StartElement:
			depth++
			if depth > limit {
				line, _ := d.InputPos()
				return &DepthError{Limit: limit, Line: line}
			}
		case xml.EndElement:
			depth--
		}
	}
}
