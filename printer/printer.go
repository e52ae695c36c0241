// Package printer writes command results in etcdctl's output formats: simple, json, fields,
// protobuf and table. A Printer is chosen once from -w/--hex; each verb family adds its own
// methods in its own file (kv.go, lease.go, member.go, ...). Key-value listings are streamed
// through KVStream so that a range never has to be held in memory at once.
package printer

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
)

// Format is an output format.
type Format int

// The output formats.
const (
	Simple Format = iota
	JSON
	Fields
	Protobuf
	Table
)

var formatNames = [...]string{"simple", "json", "fields", "protobuf", "table"}

func (f Format) String() string { return formatNames[f] }

// ParseFormat maps a -w value to a Format.
func ParseFormat(s string) (Format, error) {
	for i, n := range formatNames {
		if n == s {
			return Format(i), nil
		}
	}
	return 0, ErrUnknownFormat
}

// ErrUnknownFormat is returned for a -w value that is not a known format.
var ErrUnknownFormat = errors.New("unsupported output format")

// UnsupportedError is returned when a command cannot print in the chosen format
// (e.g. `get -w table`). Upstream exits with code 4 (bad feature) for it.
type UnsupportedError struct {
	Format Format
	Msg    string // replaces the standard message when set
}

func (e *UnsupportedError) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	return fmt.Sprintf("%s not supported as output format", e.Format)
}

// Printer writes results for one run of a command.
type Printer struct {
	Format Format
	Hex    bool
	// Dialect is the upstream release whose output to reproduce (nil: the default, 3.7).
	Dialect *dialect.Dialect
	w       *bufio.Writer
}

// New returns the printer for format name and the --hex flag, writing to w.
func New(name string, hex bool, w io.Writer) (*Printer, error) {
	f, err := ParseFormat(name)
	if err != nil {
		return nil, err
	}
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 32*1024)
	}
	return &Printer{Format: f, Hex: hex, w: bw}, nil
}

// Unsupported is the error for printing a result the current format cannot show.
func (p *Printer) Unsupported() error { return &UnsupportedError{Format: p.Format} }

// Flush writes buffered output to the underlying stream.
func (p *Printer) Flush() error { return p.w.Flush() }

// raw writes s as is.
func (p *Printer) raw(s string) { p.w.WriteString(s) }

// printf writes a formatted string.
func (p *Printer) printf(format string, a ...any) { fmt.Fprintf(p.w, format, a...) }
