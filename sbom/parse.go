package sbom

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync"
	"unsafe"

	"github.com/bomrank/bomrank/internal/membudget"
	"github.com/bomrank/bomrank/internal/walk"
)

// Default limits, chosen so that a real 200 MB SBOM is read while a
// decompression bomb or a runaway file is stopped early.
const (
	// DefaultMaxBytes caps how many bytes of one document are read, after
	// decompression.
	DefaultMaxBytes int64 = 1 << 30
	// DefaultMaxValidateBytes caps the size of a document that is checked
	// against the JSON schema (validation holds the whole document in
	// memory). Larger documents are parsed as a stream and not validated;
	// Device.SchemaChecked reports which.
	DefaultMaxValidateBytes int64 = 64 << 20
)

// Errors a caller can test for with errors.Is.
var (
	// ErrNotSBOM means the content is not a recognised SBOM format.
	ErrNotSBOM = errors.New("not a CycloneDX or SPDX SBOM")
	// ErrUnsupportedVersion means the format was recognised but its
	// version is not one bomrank reads.
	ErrUnsupportedVersion = errors.New("unsupported specification version")
	// ErrTooLarge means the document (after decompression) exceeds
	// Options.MaxBytes. (It is advisory.ErrTooLarge too.)
	ErrTooLarge = walk.ErrTooLarge
	// ErrStrict means the document had warnings and Options.Strict was set.
	ErrStrict = errors.New("schema warnings under --strict")
)

// ParseError is the error returned for a document that could not be read.
// It names the file and, where detection got that far, the format.
type ParseError struct {
	Path   string
	Format Format
	Err    error
	// Warnings holds the warnings that made a strict parse fail.
	Warnings []Warning
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Format != "" {
		return fmt.Sprintf("%s: %s: %v", e.Path, e.Format, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// Options controls parsing. The zero value is ready to use.
type Options struct {
	// Strict turns warnings into an error wrapping ErrStrict.
	Strict bool
	// NoValidate skips the schema checks (and so yields no schema
	// warnings).
	NoValidate bool
	// MaxBytes caps the decompressed size of one document; 0 means
	// DefaultMaxBytes.
	MaxBytes int64
	// Workers bounds how many files Load parses at once; 0 means
	// GOMAXPROCS.
	Workers int
	// MaxValidateBytes caps the size of a document that is schema-checked;
	// 0 means DefaultMaxValidateBytes.
	MaxValidateBytes int64
	// Progress, when set, is called by Load after each input is read
	// with the number read so far and the number found. Calls are
	// serialised (never concurrent) and done only grows.
	Progress func(done, total int)

	// slowCDX turns the fast CycloneDX JSON reader off (cdxfast.go), for
	// the tests that compare it with the streaming reader.
	slowCDX bool
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) maxValidateBytes() int64 {
	if o.MaxValidateBytes > 0 {
		return o.MaxValidateBytes
	}
	return DefaultMaxValidateBytes
}

// ParseFile reads the SBOM at path with default options.
func ParseFile(path string) (*Device, error) { return Options{}.ParseFile(path) }

// Parse reads one SBOM from r with default options. The name is used in
// errors and as Device.Path.
func Parse(r io.Reader, name string) (*Device, error) { return Options{}.Parse(r, name) }

// ParseFile reads the SBOM at path, opened by walk.Open: a regular file
// (a named pipe, a device or a socket, directly or through a symbolic
// link, is an error wrapping walk.ErrNotRegular, returned without
// blocking) of at most MaxBytes.
func (o Options) ParseFile(path string) (*Device, error) {
	f, _, err := walk.Open(path, o.maxBytes())
	if err != nil {
		return nil, &ParseError{Path: path, Err: err}
	}
	defer f.Close()
	return o.Parse(f, path)
}

// peekSize is how much of a document detection looks at.
const peekSize = 1 << 20

// Parse reads one SBOM from r. The name is used in errors and as
// Device.Path.
func (o Options) Parse(r io.Reader, name string) (dev *Device, err error) {
	var format Format
	defer func() {
		// The parsers below are written not to panic; this is the last
		// line of defence so that one hostile file never takes down a
		// scan of thousands.
		switch x := recover().(type) {
		case nil:
		case budgetExceeded:
			dev, err = nil, &ParseError{Path: name, Format: format, Err: x.err}
		default:
			dev, err = nil, &ParseError{Path: name, Err: fmt.Errorf("internal error while parsing: %v", x)}
		}
	}()
	lr := &limitReader{r: r, n: o.maxBytes()}
	br := getReader(lr)
	defer putReader(br)
	compressed := false
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &ParseError{Path: name, Err: fmt.Errorf("gzip: %w", err)}
		}
		defer zr.Close()
		// The limit applies to the decompressed bytes: that is what
		// stops a gzip bomb.
		lr = &limitReader{r: zr, n: o.maxBytes()}
		br = getReader(lr)
		defer putReader(br)
		compressed = true
	}
	head, perr := br.Peek(peekSize)
	if perr != nil && perr != io.EOF {
		if errors.Is(perr, ErrTooLarge) {
			return nil, &ParseError{Path: name, Err: walk.TooLarge(o.maxBytes())}
		}
		return nil, &ParseError{Path: name, Err: readError(compressed, perr)}
	}
	format, err = detect(head)
	if err != nil {
		return nil, &ParseError{Path: name, Err: err}
	}
	dev = &Device{Path: name, Format: format, Compressed: compressed}
	p := &parser{opts: o, dev: dev}
	if perr == io.EOF {
		p.whole = head // the whole document, in br's buffer
	}
	defer p.release()
	if err := p.parse(format, br); err != nil {
		if errors.Is(err, ErrTooLarge) || lr.exceeded {
			err = walk.TooLarge(o.maxBytes())
		}
		return nil, &ParseError{Path: name, Format: format, Err: err}
	}
	p.finish()
	if o.Strict && len(dev.Warnings) > 0 {
		return nil, &ParseError{Path: name, Format: format, Err: fmt.Errorf("%w: %d warning(s), first: %s", ErrStrict, len(dev.Warnings), dev.Warnings[0]), Warnings: dev.Warnings}
	}
	return dev, nil
}

func readError(compressed bool, err error) error {
	if compressed {
		return fmt.Errorf("gzip: %w", err)
	}
	return err
}

// readers recycles the peek-sized buffered readers: allocating (and
// zeroing) a fresh megabyte per document was a tenth of the cost of parsing
// a fleet of small SBOMs.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, peekSize) }}

func getReader(r io.Reader) *bufio.Reader {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readers.Put(br)
}

// limitReader is io.LimitReader that fails loudly: a document cut off at the
// limit must not parse as a shorter valid one.
type limitReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// Probe for one more byte to distinguish "exactly at the
		// limit" from "over it".
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.exceeded = true
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// parser carries the state of one document's parse.
type parser struct {
	opts  Options
	dev   *Device
	meter *membudget.Meter // what the document holds while read, see use
	kept  int64            // what its result takes, see keep
	// whole is the whole document when it fitted in the detection
	// buffer (the bytes are the buffer's: valid during the parse only).
	whole []byte
	// slab holds the components newComponent hands out next.
	slab []Component
	// scratch, while the fast CycloneDX reader reads, holds what it has
	// read (see cdxscratch.go).
	scratch *cdxScratch
}

// newComponent returns a zero component. The components of a document are
// allocated in slabs, a few more at a time as the document proves long:
// one allocation per component was an eighth of reading a fleet of
// 500-component CycloneDX SBOMs. A slab wastes at most a third of what
// the document holds, and the slabs live as long as the device.
func (p *parser) newComponent() *Component {
	if len(p.slab) == 0 {
		p.slab = make([]Component, min(128, 1+len(p.dev.Components)/2))
	}
	c := &p.slab[0]
	p.slab = p.slab[1:]
	return c
}

func (p *parser) warn(rule, location, format string, args ...any) {
	w := Warning{Rule: rule, Location: location, Message: fmt.Sprintf(format, args...)}
	p.keep(int64(unsafe.Sizeof(w) + uintptr(len(w.Rule)+len(w.Location)+len(w.Message))))
	p.dev.Warnings = append(p.dev.Warnings, w)
}

// parse dispatches to the format's reader.
func (p *parser) parse(f Format, r *bufio.Reader) error {
	switch f {
	case CycloneDXJSON:
		return p.cyclonedxJSON(r)
	case CycloneDXXML:
		return p.cyclonedxXML(r)
	case SPDXJSON, SPDXTagValue, SPDXYAML, SPDXRDF:
		return p.spdx2(f, r)
	case SPDX3JSONLD:
		return p.spdx3(r)
	}
	return ErrNotSBOM
}
