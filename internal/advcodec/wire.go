package advcodec

import (
	"errors"
	"fmt"
	"math"
)

// ErrTruncated is returned (wrapped) when data ends before a value does.
var ErrTruncated = errors.New("truncated")

// Bytes is what a Decoder reads: a byte slice, or a string (whose
// substrings cost no allocation, so that a decoder over one string made
// from a record shares it among every string of the record).
type Bytes interface{ ~string | ~[]byte }

// Decoder reads the primitive values written by the Append functions. It
// remembers the first error; every read after it returns zero values, so
// callers check Err once at the end of a value.
type Decoder[T Bytes] struct {
	b   T
	off int
	err error
}

// NewDecoder returns a Decoder reading b from its start.
func NewDecoder[T Bytes](b T) *Decoder[T] { return &Decoder[T]{b: b} }

// Err returns the first error met, or nil.
func (d *Decoder[T]) Err() error { return d.err }

// Fail records err as the decoder's error unless one is recorded already.
func (d *Decoder[T]) Fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// Offset returns the number of bytes read so far.
func (d *Decoder[T]) Offset() int { return d.off }

// Len returns the number of bytes left.
func (d *Decoder[T]) Len() int { return len(d.b) - d.off }

// Done records an error when bytes are left over or an error was met, and
// returns the decoder's error.
func (d *Decoder[T]) Done() error {
	if d.err == nil && d.off != len(d.b) {
		d.err = fmt.Errorf("%d bytes left over at offset %d", len(d.b)-d.off, d.off)
	}
	return d.err
}

// Uvarint reads an unsigned varint.
func (d *Decoder[T]) Uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var x uint64
	for shift := uint(0); ; shift += 7 {
		if d.off >= len(d.b) {
			d.Fail(fmt.Errorf("varint at offset %d: %w", d.off, ErrTruncated))
			return 0
		}
		c := d.b[d.off]
		d.off++
		if shift == 63 && c > 1 {
			d.Fail(fmt.Errorf("varint overflows 64 bits at offset %d", d.off))
			return 0
		}
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x
		}
	}
}

// Int reads a varint that must be at most max (a negative max allows
// nothing).
func (d *Decoder[T]) Int(max int) int {
	v := d.Uvarint()
	if d.err == nil && (max < 0 || v > uint64(max)) {
		d.Fail(fmt.Errorf("value %d over %d at offset %d", v, max, d.off))
		return 0
	}
	return int(v)
}

// Count reads a count of elements that each take at least one byte: it
// must not exceed the bytes left, so that a corrupt count never makes a
// decoder allocate more than the data could hold.
func (d *Decoder[T]) Count() int { return d.Int(d.Len()) }

// SliceLen reads a slice length written by AppendSliceLen: -1 for a nil
// slice, else the length (at most the bytes left).
func (d *Decoder[T]) SliceLen() int {
	return d.Int(d.Len()+1) - 1
}

// Byte reads one byte.
func (d *Decoder[T]) Byte() byte {
	if d.err != nil {
		return 0
	}
	if d.off >= len(d.b) {
		d.Fail(fmt.Errorf("byte at offset %d: %w", d.off, ErrTruncated))
		return 0
	}
	c := d.b[d.off]
	d.off++
	return c
}

// Uint32 reads a little-endian uint32.
func (d *Decoder[T]) Uint32() uint32 {
	if d.err != nil {
		return 0
	}
	if d.Len() < 4 {
		d.Fail(fmt.Errorf("uint32 at offset %d: %w", d.off, ErrTruncated))
		return 0
	}
	b := d.b[d.off : d.off+4]
	d.off += 4
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// Float64 reads a float64 written by AppendFloat64.
func (d *Decoder[T]) Float64() float64 {
	lo, hi := d.Uint32(), d.Uint32()
	return math.Float64frombits(uint64(lo) | uint64(hi)<<32)
}

// Raw reads n bytes as they are (a part of the decoder's input: no copy).
func (d *Decoder[T]) Raw(n int) T {
	if d.err != nil || n < 0 {
		return d.b[:0]
	}
	if d.Len() < n {
		d.Fail(fmt.Errorf("%d bytes at offset %d: %w", n, d.off, ErrTruncated))
		return d.b[:0]
	}
	b := d.b[d.off : d.off+n]
	d.off += n
	return b
}

// String reads a string written by AppendString. For a Decoder over a
// string it is a substring of the input; over a byte slice, a copy.
func (d *Decoder[T]) String() string {
	return string(d.Raw(d.Count()))
}

// Strings reads a string slice written by AppendStrings.
func (d *Decoder[T]) Strings() []string {
	n := d.SliceLen()
	if n < 0 {
		return nil
	}
	s := make([]string, n)
	for i := range s {
		s[i] = d.String()
	}
	return s
}

// Bool reads a bool written by AppendBool; any byte other than 0 and 1
// is an error.
func (d *Decoder[T]) Bool() bool {
	switch c := d.Byte(); c {
	case 0:
		return false
	case 1:
		return true
	default:
		d.Fail(fmt.Errorf("bad bool %d at offset %d", c, d.off-1))
		return false
	}
}

// AppendUvarint appends v as an unsigned varint.
func AppendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// AppendString appends s, length first.
func AppendString(b []byte, s string) []byte {
	b = AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// AppendSliceLen appends the length of a slice so that nil and empty
// slices stay apart: 0 for nil, n+1 otherwise.
func AppendSliceLen(b []byte, n int, isNil bool) []byte {
	if isNil {
		return append(b, 0)
	}
	return AppendUvarint(b, uint64(n)+1)
}

// AppendStrings appends a string slice (nil kept apart from empty).
func AppendStrings(b []byte, s []string) []byte {
	b = AppendSliceLen(b, len(s), s == nil)
	for _, v := range s {
		b = AppendString(b, v)
	}
	return b
}

// AppendBool appends v as one byte, 0 or 1.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// AppendUint32 appends v in four bytes, little-endian.
func AppendUint32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

// AppendFloat64 appends v's IEEE 754 bits in eight bytes, little-endian.
func AppendFloat64(b []byte, v float64) []byte {
	u := math.Float64bits(v)
	return AppendUint32(AppendUint32(b, uint32(u)), uint32(u>>32))
}
