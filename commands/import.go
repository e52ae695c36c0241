package commands

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/loader"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// importOptions are the flags and arguments of `etcdctl import`.
type importOptions struct {
	f          *cmdutil.Factory
	input      string // file name; "" or "-" for stdin
	plain      bool
	maxTxnOps  int
	conc       int
	prefix     string
	destPrefix string
	dryRun     bool
	lease      string
}

// NewCmdImport builds `etcdctl import`, a verb of ours that upstream does not have. It stays
// hidden so that the root help is upstream's byte for byte.
func NewCmdImport(f *cmdutil.Factory) *cobra.Command {
	o := &importOptions{f: f}
	cmd := &cobra.Command{
		Use:   "import [options] [file|-]",
		Short: "Writes key-values read from JSON (etcdctl get -w json output, or JSON lines) in batched transactions",
		Long: `Writes key-values read from JSON (etcdctl get -w json output, or JSON lines) in batched transactions.

The input (a file, or stdin when the argument is - or missing) holds JSON objects, one after
the other: documents written by 'etcdctl get -w json' (their kvs are imported; revisions,
versions and leases are not), and records {"key": ..., "value": ...} (base64, or plain UTF-8
with --plain; a missing value is empty). The whole input is checked before anything is written:
bad input writes nothing and exits with code 3, naming its line and document.

Keys are written by puts in transactions of at most --max-txn-ops, --concurrency at a time;
each transaction is bounded by --command-timeout. When a key occurs more than once, the last
occurrence wins. On success it prints "Imported <n> keys".`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.BadArgs("import takes at most one argument: a file, or - for stdin")
			}
			if len(args) == 1 {
				o.input = args[0]
			}
			return runImport(o)
		},
		Hidden: true,
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.plain, "plain", false, "Keys and values of {\"key\",\"value\"} records are plain UTF-8 strings, not base64")
	fl.IntVar(&o.maxTxnOps, "max-txn-ops", loader.DefaultMaxTxnOps, "Maximum number of puts in one transaction")
	fl.IntVar(&o.conc, "concurrency", loader.DefaultConcurrency, "Maximum number of transactions in flight")
	fl.StringVar(&o.prefix, "prefix", "", "Only accept keys under this prefix, and replace it with --dest-prefix")
	fl.StringVar(&o.destPrefix, "dest-prefix", "", "Prefix that replaces --prefix in every key")
	fl.BoolVar(&o.dryRun, "dry-run", false, "Check the input and count its keys without connecting or writing")
	fl.StringVar(&o.lease, "lease", "", "Lease ID (in hexadecimal) to attach to every key")
	return cmd
}

func runImport(o *importOptions) error {
	if o.maxTxnOps < 1 {
		return cmdutil.BadArgs("--max-txn-ops must be at least 1")
	}
	if o.conc < 1 {
		return cmdutil.BadArgs("--concurrency must be at least 1")
	}
	var lease clientv3.LeaseID
	if o.lease != "" {
		id, err := strconv.ParseInt(o.lease, 16, 64)
		if err != nil {
			return cmdutil.BadArgs("bad lease ID (%v), expecting ID in Hex", err)
		}
		lease = clientv3.LeaseID(id)
	}
	p, err := o.f.Printer()
	if err != nil {
		return err
	}
	if p.Format != printer.Simple && p.Format != printer.JSON {
		return p.Unsupported()
	}

	in := o.f.IO.In
	if o.input != "" && o.input != "-" {
		file, err := os.Open(o.input)
		if err != nil {
			return cmdutil.WithCode(cmdutil.ExitIO, err)
		}
		defer file.Close()
		in = file
	}

	// Pass 1: parse and check everything, spilling the decoded key-values to a temp file, so
	// that nothing is written unless the whole input is good and memory stays bounded.
	var spill *os.File
	var sink io.Writer = io.Discard
	if !o.dryRun {
		spill, err = os.CreateTemp("", "etcdctl-import-*.spill")
		if err != nil {
			return cmdutil.WithCode(cmdutil.ExitIO, err)
		}
		name := spill.Name()
		os.Remove(name) // unlinked at once where the system allows; the open file stays usable
		defer os.Remove(name)
		defer spill.Close()
		sink = spill
	}
	sw := bufio.NewWriterSize(sink, 256*1024)
	ps := &importParser{plain: o.plain, prefix: []byte(o.prefix), destPrefix: []byte(o.destPrefix), out: sw}
	if err := ps.parse(in); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return cmdutil.WithCode(cmdutil.ExitIO, err)
	}
	if o.dryRun {
		return importReport(p, ps.count, true)
	}
	if _, err := spill.Seek(0, io.SeekStart); err != nil {
		return cmdutil.WithCode(cmdutil.ExitIO, err)
	}

	// Pass 2: write.
	cli, err := o.f.Client()
	if err != nil {
		return err
	}
	defer cli.Close()
	prog := newImportProgress(o.f, ps.count)
	res, err := loader.Write(context.Background(), cli, &importSpillSource{r: bufio.NewReaderSize(spill, 256*1024)}, loader.Options{
		MaxTxnOps:   o.maxTxnOps,
		Concurrency: o.conc,
		Lease:       lease,
		TxnTimeout:  o.f.Global.CommandTimeout,
		Progress:    prog.update,
	})
	prog.done()
	if err != nil {
		var be *loader.BatchError
		if errors.As(err, &be) {
			msg := be.Err.Error()
			if errors.Is(be.Err, context.DeadlineExceeded) {
				msg = context.DeadlineExceeded.Error()
			}
			return cmdutil.Errorf(cmdutil.ExitError, "%s (%d of %d keys written)", msg, be.Written, ps.count)
		}
		return cmdutil.WithCode(cmdutil.ExitIO, err)
	}
	return importReport(p, res.Written, false)
}

func importReport(p *printer.Printer, n int64, dryRun bool) error {
	if p.Format == printer.JSON {
		return p.WriteJSON(struct {
			Keys   int64 `json:"keys"`
			DryRun bool  `json:"dry_run"`
		}{n, dryRun})
	}
	noun := "keys"
	if n == 1 {
		noun = "key"
	}
	if dryRun {
		p.Printf("Would import %d %s (dry run)\n", n, noun)
	} else {
		p.Printf("Imported %d %s\n", n, noun)
	}
	return nil
}

// importProgress shows "imported n/total keys" on stderr, only when stderr is a terminal.
type importProgress struct {
	w     io.Writer
	total int64
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func newImportProgress(f *cmdutil.Factory, total int64) *importProgress {
	if !f.IO.ErrOutTTY {
		return &importProgress{}
	}
	return &importProgress{w: f.IO.ErrOut, total: total}
}

func (p *importProgress) update(n int64) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		p.shown = true
		fmt.Fprintf(p.w, "\rimported %d/%d keys", n, p.total)
	}
}

func (p *importProgress) done() {
	if p.w != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// importInputError is bad input: where it is and what is wrong (exit code 3).
func importInputError(line int64, doc int, format string, a ...any) error {
	return cmdutil.Errorf(cmdutil.ExitInvalidInput, "invalid input at line %d (document %d): %s", line, doc, fmt.Sprintf(format, a...))
}

// importParser stream-parses the input: a sequence of JSON objects, each either a `get -w json`
// document or a {"key","value"} record. Every key-value it accepts goes to out as
// uvarint(len key) key uvarint(len value) value, with the prefix already rewritten.
type importParser struct {
	plain      bool
	prefix     []byte
	destPrefix []byte
	out        *bufio.Writer

	dec   *json.Decoder
	lines *importLines
	doc   int
	count int64
	buf   []byte
}

// importKV is one element of a document's kvs, or a record: only key and value matter.
type importKV struct {
	Key   *string `json:"key"`
	Value *string `json:"value"`
}

func (ps *importParser) parse(r io.Reader) error {
	ps.lines = &importLines{r: r}
	ps.dec = json.NewDecoder(ps.lines)
	for {
		ps.mark()
		tok, err := ps.dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		ps.doc++
		if err != nil {
			return ps.jsonErr(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return ps.errf("expected a JSON object, found %s", importTokenText(tok))
		}
		if err := ps.object(); err != nil {
			return err
		}
	}
}

func (ps *importParser) object() error {
	var isDoc, isRec bool
	var rec importKV
	for ps.dec.More() {
		tok, err := ps.dec.Token()
		if err != nil {
			return ps.jsonErr(err)
		}
		name, _ := tok.(string)
		switch name {
		case "kvs":
			isDoc = true
			if err := ps.kvs(); err != nil {
				return err
			}
		case "header", "count", "more":
			isDoc = true
			if err := ps.skip(); err != nil {
				return err
			}
		case "key":
			isRec = true
			if err := ps.dec.Decode(&rec.Key); err != nil {
				return ps.jsonErr(importFieldErr("", "key", err))
			}
		case "value":
			isRec = true
			if err := ps.dec.Decode(&rec.Value); err != nil {
				return ps.jsonErr(importFieldErr("", "value", err))
			}
		default:
			if err := ps.skip(); err != nil {
				return err
			}
		}
	}
	if _, err := ps.dec.Token(); err != nil { // the closing brace
		return ps.jsonErr(err)
	}
	switch {
	case isDoc && isRec:
		return ps.errf(`mixes a get -w json document ("header", "kvs", "count") with a record ("key", "value")`)
	case isRec:
		return ps.record(rec, ps.plain, "")
	case !isDoc:
		return ps.errf(`neither a get -w json document ("header", "kvs", "count") nor a record ("key", "value")`)
	}
	return nil
}

func (ps *importParser) kvs() error {
	tok, err := ps.dec.Token()
	if err != nil {
		return ps.jsonErr(err)
	}
	if tok == nil {
		return nil // "kvs": null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return ps.errf("kvs: expected an array, found %s", importTokenText(tok))
	}
	for i := 0; ps.dec.More(); i++ {
		ps.mark()
		var kv importKV
		where := "kvs[" + strconv.Itoa(i) + "]"
		if err := ps.dec.Decode(&kv); err != nil {
			return ps.jsonErr(importFieldErr(where, "", err))
		}
		if err := ps.record(kv, false, where+"."); err != nil {
			return err
		}
	}
	if _, err := ps.dec.Token(); err != nil { // the closing bracket
		return ps.jsonErr(err)
	}
	return nil
}

func (ps *importParser) skip() error {
	var raw json.RawMessage
	if err := ps.dec.Decode(&raw); err != nil {
		return ps.jsonErr(err)
	}
	return nil
}

// record checks one key-value, rewrites its prefix and spills it.
func (ps *importParser) record(kv importKV, plain bool, where string) error {
	if kv.Key == nil {
		return ps.errf("%sno key", where)
	}
	key, err := ps.bytes(*kv.Key, plain)
	if err != nil {
		return ps.errf("%skey: %v", where, err)
	}
	var val []byte
	if kv.Value != nil {
		if val, err = ps.bytes(*kv.Value, plain); err != nil {
			return ps.errf("%svalue: %v", where, err)
		}
	}
	if len(key) == 0 {
		return ps.errf("%skey: empty key", where)
	}
	if !bytes.HasPrefix(key, ps.prefix) {
		return ps.errf("%skey %s is not under --prefix %s", where, strconv.Quote(string(key)), strconv.Quote(string(ps.prefix)))
	}
	rest := key[len(ps.prefix):]
	if len(ps.destPrefix)+len(rest) == 0 {
		return ps.errf("%skey %s is empty once --prefix is removed", where, strconv.Quote(string(key)))
	}
	ps.buf = binary.AppendUvarint(ps.buf[:0], uint64(len(ps.destPrefix)+len(rest)))
	ps.buf = append(ps.buf, ps.destPrefix...)
	ps.buf = append(ps.buf, rest...)
	ps.buf = binary.AppendUvarint(ps.buf, uint64(len(val)))
	ps.buf = append(ps.buf, val...)
	if _, err := ps.out.Write(ps.buf); err != nil {
		return cmdutil.WithCode(cmdutil.ExitIO, err)
	}
	ps.count++
	return nil
}

func (ps *importParser) bytes(s string, plain bool) ([]byte, error) {
	if plain {
		return []byte(s), nil
	}
	return base64.StdEncoding.DecodeString(s)
}

// mark notes where the next value starts: errors name the line it is on.
func (ps *importParser) mark() { ps.lines.mark(ps.dec.InputOffset()) }

func (ps *importParser) errf(format string, a ...any) error {
	return importInputError(ps.lines.markLine(), ps.doc, format, a...)
}

// jsonErr turns a decoding error into bad input, or a read error into an I/O error.
func (ps *importParser) jsonErr(err error) error {
	if ps.lines.err != nil && !errors.Is(ps.lines.err, io.EOF) {
		return cmdutil.WithCode(cmdutil.ExitIO, ps.lines.err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return ps.errf("unexpected end of input")
	}
	return ps.errf("%v", err)
}

// importFieldErr names the field of a decoding error: "kvs[3].key: expected a string, found number".
func importFieldErr(where, field string, err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		if where != "" {
			return fmt.Errorf("%s: %w", where, err)
		}
		return err // a syntax error: the line says where
	}
	if field == "" {
		field = te.Field
	}
	if where != "" {
		where += "."
	}
	return fmt.Errorf("%s%s: expected a string, found %s", where, field, te.Value)
}

func importTokenText(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		return strconv.Quote(v.String())
	case string:
		return "a string"
	case nil:
		return "null"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

// importLines wraps the input to tell the line of a byte offset the decoder has read. It keeps
// the chunks read since the last mark (about what the decoder itself buffers), so memory stays
// bounded however long the input is.
type importLines struct {
	r      io.Reader
	off    int64 // bytes read
	nl     int64 // newlines in them
	err    error // the read error, if any
	chunks []importChunk
	markAt int64
}

type importChunk struct {
	start, nlBefore int64
	data            []byte
}

func (l *importLines) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if n > 0 {
		l.chunks = append(l.chunks, importChunk{start: l.off, nlBefore: l.nl, data: bytes.Clone(p[:n])})
		l.off += int64(n)
		l.nl += int64(bytes.Count(p[:n], []byte{'\n'}))
	}
	if err != nil {
		l.err = err
	}
	return n, err
}

func (l *importLines) mark(off int64) {
	l.markAt = off
	i := 0
	for i < len(l.chunks) && l.chunks[i].start+int64(len(l.chunks[i].data)) <= off {
		i++
	}
	if i > 0 {
		l.chunks = append(l.chunks[:0], l.chunks[i:]...)
	}
}

// markLine is the line (from 1) of the first byte at or after the mark that is not white space
// or a comma.
func (l *importLines) markLine() int64 {
	off := l.markAt
	for _, c := range l.chunks {
		end := c.start + int64(len(c.data))
		if off >= end {
			continue
		}
		if off < c.start {
			off = c.start
		}
		i := int(off - c.start)
		line := 1 + c.nlBefore + int64(bytes.Count(c.data[:i], []byte{'\n'}))
		for ; i < len(c.data); i++ {
			switch c.data[i] {
			case '\n':
				line++
			case ' ', '\t', '\r', ',':
			default:
				return line
			}
		}
		off = end // only white space to the end of this chunk: go on in the next one
	}
	return 1 + l.nl
}

// importSpillSource reads back what the parser spilled.
type importSpillSource struct{ r *bufio.Reader }

func (s *importSpillSource) Next() (loader.Record, error) {
	key, err := s.field()
	if err != nil {
		return loader.Record{}, err // io.EOF at the end
	}
	val, err := s.field()
	if err != nil {
		return loader.Record{}, io.ErrUnexpectedEOF
	}
	return loader.Record{Key: key, Value: val}, nil
}

func (s *importSpillSource) field() ([]byte, error) {
	n, err := binary.ReadUvarint(s.r)
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(s.r, b); err != nil {
		return nil, io.ErrUnexpectedEOF
	}
	return b, nil
}
