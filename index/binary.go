package index

import (
	"bytes"
	"encoding/gob"
	"fmt"

	"github.com/bomrank/bomrank/advisory"
)

// PROVISIONAL: this gob form lets package db be built against the final
// API (AppendBinary, Decode) while the compact, lazily decoded form is
// written. It is replaced, not kept.

type binaryForm struct {
	Inputs   []*advisory.Advisory
	Replaced []Replacement
}

// Inputs returns the records from which New builds the same lookups: the
// selected records and every VEX statement record. (Provisional, for
// package db: helper A's binary form defines it for good.)
func (ix *Memory) Inputs() []*advisory.Advisory {
	var out []*advisory.Advisory
	for _, a := range ix.advs {
		if a.Format != advisory.FormatOpenVEX && a.Format != advisory.FormatCycloneDXVEX {
			out = append(out, a)
		}
	}
	var last *advisory.Advisory
	for _, e := range ix.vex.entries {
		if e.Advisory != last {
			out = append(out, e.Advisory)
			last = e.Advisory
		}
	}
	return out
}

// AppendBinary appends the index in its binary form (what Decode reads)
// to b.
func (ix *Memory) AppendBinary(b []byte) ([]byte, error) {
	form := binaryForm{Replaced: ix.replaced, Inputs: ix.Inputs()}
	buf := bytes.NewBuffer(b)
	if err := gob.NewEncoder(buf).Encode(form); err != nil {
		return b, fmt.Errorf("index: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// Decode reads an index written by AppendBinary. data must not change
// while the index is in use.
func Decode(data []byte) (*Memory, error) {
	var form binaryForm
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&form); err != nil {
		return nil, fmt.Errorf("index: decode: %w", err)
	}
	ix := New(form.Inputs)
	ix.replaced = form.Replaced
	return ix, nil
}
