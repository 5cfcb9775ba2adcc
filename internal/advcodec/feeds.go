package advcodec

import (
	"fmt"

	"github.com/bomrank/bomrank/advisory"
)

// A KEV catalog or an EPSS file repeats a few strings on every entry (the
// source file, the catalog version, the model and date): those are
// written once and then as "same as the entry before" (a single 0 byte),
// which makes a 300,000-score EPSS file a third smaller and decodes the
// repeats to one shared string.

// appendRepeat appends s, or a 0 when s equals prev.
func appendRepeat(b []byte, s, prev string, first bool) []byte {
	if !first && s == prev {
		return append(b, 0)
	}
	b = AppendUvarint(b, uint64(len(s))+1)
	return append(b, s...)
}

// repeat reads what appendRepeat wrote.
func repeat(d *dec, prev string, first bool) string {
	n := d.Int(d.Len() + 1)
	if n == 0 {
		if first {
			d.Fail(fmt.Errorf("repeat of nothing at offset %d", d.Offset()))
		}
		return prev
	}
	return string(d.Raw(n - 1))
}

// AppendKEV appends KEV catalog entries.
func AppendKEV(b []byte, kev []advisory.KEV) []byte {
	b = AppendSliceLen(b, len(kev), kev == nil)
	for i, k := range kev {
		var prev advisory.KEV
		if i > 0 {
			prev = kev[i-1]
		}
		for _, s := range []string{k.CVE, k.VendorProject, k.Product, k.Name, k.DateAdded, k.DueDate, k.RequiredAction} {
			b = AppendString(b, s)
		}
		b = AppendBool(b, k.Ransomware)
		b = appendRepeat(b, k.Source, prev.Source, i == 0)
		b = appendRepeat(b, k.Catalog, prev.Catalog, i == 0)
		b = appendRepeat(b, k.Released, prev.Released, i == 0)
	}
	return b
}

// DecodeKEV reads entries written by AppendKEV; data must be exactly
// them.
func DecodeKEV(data []byte) ([]advisory.KEV, error) {
	d := NewDecoder(string(data))
	n := d.SliceLen()
	if n < 0 {
		return nil, d.Done()
	}
	out := make([]advisory.KEV, n)
	for i := range out {
		k := &out[i]
		var prev advisory.KEV
		if i > 0 {
			prev = out[i-1]
		}
		for _, p := range []*string{&k.CVE, &k.VendorProject, &k.Product, &k.Name, &k.DateAdded, &k.DueDate, &k.RequiredAction} {
			*p = d.String()
		}
		k.Ransomware = d.Bool()
		k.Source = repeat(d, prev.Source, i == 0)
		k.Catalog = repeat(d, prev.Catalog, i == 0)
		k.Released = repeat(d, prev.Released, i == 0)
		if d.Err() != nil {
			break
		}
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("KEV: %w", err)
	}
	return out, nil
}

// AppendEPSS appends EPSS scores.
func AppendEPSS(b []byte, scores []advisory.EPSS) []byte {
	b = AppendSliceLen(b, len(scores), scores == nil)
	for i, e := range scores {
		var prev advisory.EPSS
		if i > 0 {
			prev = scores[i-1]
		}
		b = AppendString(b, e.CVE)
		b = AppendFloat64(AppendFloat64(b, e.Score), e.Percentile)
		b = appendRepeat(b, e.Model, prev.Model, i == 0)
		b = appendRepeat(b, e.Date, prev.Date, i == 0)
		b = appendRepeat(b, e.Source, prev.Source, i == 0)
	}
	return b
}

// DecodeEPSS reads scores written by AppendEPSS; data must be exactly
// them.
func DecodeEPSS(data []byte) ([]advisory.EPSS, error) {
	d := NewDecoder(string(data))
	n := d.SliceLen()
	if n < 0 {
		return nil, d.Done()
	}
	out := make([]advisory.EPSS, n)
	for i := range out {
		e := &out[i]
		var prev advisory.EPSS
		if i > 0 {
			prev = out[i-1]
		}
		e.CVE = d.String()
		e.Score, e.Percentile = d.Float64(), d.Float64()
		e.Model = repeat(d, prev.Model, i == 0)
		e.Date = repeat(d, prev.Date, i == 0)
		e.Source = repeat(d, prev.Source, i == 0)
		if d.Err() != nil {
			break
		}
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("EPSS: %w", err)
	}
	return out, nil
}
