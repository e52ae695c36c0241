package commands

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/loader"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// ImportOptions is what `import` parsed and validated before it touches the environment, the
// printer, stdin or the cluster.
type ImportOptions struct {
	F           *cmdutil.Factory
	Input       string // file name; "" or "-" for stdin
	Plain       bool
	MaxTxnOps   int
	Concurrency int
	Prefix      string
	DestPrefix  string
	DryRun      bool
	Lease       clientv3.LeaseID // 0: none

	lease string // --lease as given (hexadecimal)
}

// NewCmdImport builds `etcdctl import`, a verb of ours that upstream does not have. It stays
// hidden so that the root help is upstream's byte for byte.
func NewCmdImport(f *cmdutil.Factory) *cobra.Command { return newCmdImport(f, nil) }

// newCmdImport builds `import`. runF, when not nil, receives the parsed options instead of
// runImport.
func newCmdImport(f *cmdutil.Factory, runF func(*ImportOptions) error) *cobra.Command {
	o := &ImportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "import [options] [file|-]",
		Short: "Writes key-values read from JSON (etcdctl get -w json output, or JSON lines) in batched transactions",
		Long: `Writes key-values read from JSON (etcdctl get -w json output, or JSON lines) in batched transactions.

The input (a file, or stdin when the argument is - or missing) holds JSON objects, one after
the other: documents written by 'etcdctl get -w json' (their kvs are imported; revisions,
versions and leases are not), and records {"key": ..., "value": ...} (base64, or plain UTF-8
with --plain; a missing value is empty). The whole input is checked before anything is written:
bad input writes nothing and exits with code 3, naming its line and document.

--prefix P --dest-prefix D replaces P by D in every key; a key not under P is bad input.

Keys are written by puts in transactions of at most --max-txn-ops, --concurrency at a time;
each transaction is bounded by --command-timeout. When a key occurs more than once, the last
occurrence wins. On success it prints "Imported <n> keys".`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.BadArgs("import takes at most one argument: a file, or - for stdin")
			}
			if len(args) == 1 {
				o.Input = args[0]
			}
			if o.MaxTxnOps < 1 {
				return cmdutil.BadArgs("--max-txn-ops must be at least 1")
			}
			if o.Concurrency < 1 {
				return cmdutil.BadArgs("--concurrency must be at least 1")
			}
			if o.lease != "" {
				id, err := strconv.ParseInt(o.lease, 16, 64)
				if err != nil {
					return cmdutil.BadArgs("bad lease ID (%v), expecting ID in Hex", err)
				}
				o.Lease = clientv3.LeaseID(id)
			}
			if runF != nil {
				return runF(o)
			}
			return runImport(o)
		},
		Hidden: true,
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.Plain, "plain", false, "Keys and values of {\"key\",\"value\"} records are plain UTF-8 strings, not base64")
	fl.IntVar(&o.MaxTxnOps, "max-txn-ops", loader.DefaultMaxTxnOps, "Maximum number of puts in one transaction")
	fl.IntVar(&o.Concurrency, "concurrency", loader.DefaultConcurrency, "Maximum number of transactions in flight")
	fl.StringVar(&o.Prefix, "prefix", "", "Only accept keys under this prefix, and replace it with --dest-prefix")
	fl.StringVar(&o.DestPrefix, "dest-prefix", "", "Prefix that replaces --prefix in every key")
	fl.BoolVar(&o.DryRun, "dry-run", false, "Check the input and count its keys without connecting or writing")
	fl.StringVar(&o.lease, "lease", "", "Lease ID (in hexadecimal) to attach to every key")
	return cmd
}

func runImport(o *ImportOptions) error {
	p, err := o.F.OutputPrinter() // --dry-run neither connects nor asks for a password
	if err != nil {
		return err
	}
	if p.Format != printer.Simple && p.Format != printer.JSON {
		return p.Unsupported()
	}

	in := o.F.IO.In
	if o.Input != "" && o.Input != "-" {
		file, err := os.Open(o.Input)
		if err != nil {
			return cmdutil.AsIO(err)
		}
		defer file.Close()
		in = file
	}

	// Pass 1: parse and check everything, spilling the decoded key-values to a temp file, so
	// that nothing is written unless the whole input is good and memory stays bounded.
	var spill *os.File
	var sink io.Writer = io.Discard
	if !o.DryRun {
		spill, err = os.CreateTemp("", "etcdctl-import-*.spill")
		if err != nil {
			return cmdutil.AsIO(err)
		}
		name := spill.Name()
		os.Remove(name) // unlinked at once where the system allows; the open file stays usable
		defer os.Remove(name)
		defer spill.Close()
		sink = spill
	}
	sw := bufio.NewWriterSize(sink, 256*1024)
	ps := &importSpill{prefix: []byte(o.Prefix), destPrefix: []byte(o.DestPrefix), out: sw}
	if err := loader.Parse(in, loader.ParseOptions{Plain: o.Plain, Emit: ps.emit}); err != nil {
		var ie *loader.InputError
		if errors.As(err, &ie) {
			return cmdutil.AsInvalidInput(err)
		}
		return cmdutil.AsIO(err)
	}
	if err := sw.Flush(); err != nil {
		return cmdutil.AsIO(err)
	}
	if o.DryRun {
		return importReport(p, ps.count, true)
	}
	if _, err := spill.Seek(0, io.SeekStart); err != nil {
		return cmdutil.AsIO(err)
	}

	// Pass 2: write.
	cli, err := o.F.Client()
	if err != nil {
		return err
	}
	defer cli.Close()
	prog := o.F.IO.Progress(100 * time.Millisecond)
	res, err := loader.Write(context.Background(), cli, &importSpillSource{r: bufio.NewReaderSize(spill, 256*1024)}, loader.Options{
		MaxTxnOps:   o.MaxTxnOps,
		Concurrency: o.Concurrency,
		Lease:       o.Lease,
		TxnTimeout:  o.F.Global.CommandTimeout,
		Progress:    func(n int64) { prog.Show("imported %d/%d keys", n, ps.count) },
	})
	prog.Clear()
	if err != nil {
		var be *loader.BatchError
		if errors.As(err, &be) {
			msg := be.Err.Error()
			if errors.Is(be.Err, context.DeadlineExceeded) {
				msg = context.DeadlineExceeded.Error()
			}
			return fmt.Errorf("%s (%d of %d keys written)", msg, be.Written, ps.count)
		}
		return cmdutil.AsIO(err)
	}
	return importReport(p, res.Written, false)
}

func importReport(p *printer.Printer, n int64, dryRun bool) error { return p.ImportResult(n, dryRun) }

// importSpill writes accepted key-values, prefix rewritten, as uvarint(len key) key
// uvarint(len value) value.
type importSpill struct {
	prefix     []byte
	destPrefix []byte
	out        *bufio.Writer
	buf        []byte
	count      int64
}

func (s *importSpill) emit(key, val []byte) error {
	if !bytes.HasPrefix(key, s.prefix) {
		return loader.Rejectf("key %s is not under --prefix %s", strconv.Quote(string(key)), strconv.Quote(string(s.prefix)))
	}
	rest := key[len(s.prefix):]
	if len(s.destPrefix)+len(rest) == 0 {
		return loader.Rejectf("key %s is empty once --prefix is removed", strconv.Quote(string(key)))
	}
	s.buf = binary.AppendUvarint(s.buf[:0], uint64(len(s.destPrefix)+len(rest)))
	s.buf = append(s.buf, s.destPrefix...)
	s.buf = append(s.buf, rest...)
	s.buf = binary.AppendUvarint(s.buf, uint64(len(val)))
	if _, err := s.out.Write(s.buf); err != nil {
		return err
	}
	if _, err := s.out.Write(val); err != nil {
		return err
	}
	s.count++
	return nil
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
