package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Use lines and texts shared by the verbs and by their forms inside `txn`.
const (
	getUse  = "get [options] <key> [range_end]"
	putUse  = "put [options] <key> <value> (<value> can also be given from stdin)"
	delUse  = "del [options] <key> [range_end]"
	putLong = `
Puts the given key into the store.

When <value> begins with '-', <value> is interpreted as a flag.
Insert '--' for workaround:

$ put <key> -- <value>
$ put -- <key> <value>

If <value> isn't given as a command line argument and '--ignore-value' is not specified,
this command tries to read the value from standard input.

If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
this command tries to read the value from standard input.

For example,
$ cat file | put <key>
will store the content of the file to <key>.
`
)

// ---- put ----

// PutOptions are put's flags and arguments.
type PutOptions struct {
	f           *cmdutil.Factory
	Key, Value  string
	Lease       string
	PrevKV      bool
	IgnoreValue bool
	IgnoreLease bool
}

// NewCmdPut builds `put [options] <key> <value>`.
func NewCmdPut(f *cmdutil.Factory) *cobra.Command {
	o := &PutOptions{f: f}
	c := &cobra.Command{
		Use:   putUse,
		Short: "Puts the given key into the store",
		Long:  putLong,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.complete(args); err != nil {
				return err
			}
			return runPut(o)
		},
	}
	c.Flags().StringVar(&o.Lease, "lease", "0", "lease ID (in hexadecimal) to attach to the key")
	c.Flags().BoolVar(&o.PrevKV, "prev-kv", false, "return the previous key-value pair before modification")
	c.Flags().BoolVar(&o.IgnoreValue, "ignore-value", false, "updates the key using its current value")
	c.Flags().BoolVar(&o.IgnoreLease, "ignore-lease", false, "updates the key using its current lease")
	return c
}

func (o *PutOptions) complete(args []string) error {
	if len(args) == 0 {
		return cmdutil.BadArgs("put command needs 1 argument and input from stdin or 2 arguments")
	}
	o.Key = args[0]
	if o.IgnoreValue && len(args) > 1 {
		return cmdutil.BadArgs("put command needs only 1 argument when 'ignore-value' is set")
	}
	switch {
	case len(args) > 1:
		o.Value = args[1]
	case !o.IgnoreValue:
		b, err := io.ReadAll(o.f.IO.In)
		if err != nil || len(b) == 0 {
			return cmdutil.BadArgs("put command needs 1 argument and input from stdin or 2 arguments")
		}
		o.Value = string(b)
	}
	return nil
}

// ParseLeaseID parses a lease ID given in hex, with upstream's error.
func ParseLeaseID(s string) (clientv3.LeaseID, error) {
	id, err := strconv.ParseInt(s, 16, 64)
	if err != nil {
		return 0, cmdutil.BadArgs("bad lease ID (%v), expecting ID in Hex", err)
	}
	return clientv3.LeaseID(id), nil
}

func runPut(o *PutOptions) error {
	id, err := ParseLeaseID(o.Lease)
	if err != nil {
		return err
	}
	var opts []clientv3.OpOption
	if id != 0 {
		opts = append(opts, clientv3.WithLease(id))
	}
	if o.PrevKV {
		opts = append(opts, clientv3.WithPrevKV())
	}
	if o.IgnoreValue {
		opts = append(opts, clientv3.WithIgnoreValue())
	}
	if o.IgnoreLease {
		opts = append(opts, clientv3.WithIgnoreLease())
	}
	return cmdutil.Request(o.f, o.f.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.PutResponse, error) {
			return cli.Put(ctx, o.Key, o.Value, opts...)
		},
		func(p *printer.Printer, resp *clientv3.PutResponse) error { return p.Put(resp) })
}

// ---- get ----

// GetOptions are get's flags and arguments.
type GetOptions struct {
	f            *cmdutil.Factory
	Key, End     string
	Consistency  string
	Limit        int64
	Rev          int64
	SortBy       string
	Order        string
	Prefix       bool
	FromKey      bool
	KeysOnly     bool
	CountOnly    bool
	ValueOnly    bool
	MinCreateRev int64
	MaxCreateRev int64
	MinModRev    int64
	MaxModRev    int64
	Stream       bool

	sortTarget clientv3.SortTarget
	sortOrder  clientv3.SortOrder
	sorted     bool // an explicit --sort-by or --order was given
}

// NewCmdGet builds `get [options] <key> [range_end]`.
func NewCmdGet(f *cmdutil.Factory) *cobra.Command {
	o := &GetOptions{f: f}
	c := &cobra.Command{
		Use:   getUse,
		Short: "Gets the key or a range of keys",
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.complete(args); err != nil {
				return err
			}
			return runGet(o)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Consistency, "consistency", "l", "Linearizable(l) or Serializable(s)")
	fl.StringVar(&o.Order, "order", "", "Order of results; ASCEND or DESCEND (ASCEND by default)")
	fl.StringVar(&o.SortBy, "sort-by", "", "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION")
	fl.Int64Var(&o.Limit, "limit", 0, "Maximum number of results")
	fl.BoolVar(&o.Prefix, "prefix", false, "Get keys with matching prefix")
	fl.BoolVar(&o.FromKey, "from-key", false, "Get keys that are greater than or equal to the given key using byte compare")
	fl.Int64Var(&o.Rev, "rev", 0, "Specify the kv revision")
	fl.BoolVar(&o.KeysOnly, "keys-only", false, "Get only the keys")
	fl.BoolVar(&o.CountOnly, "count-only", false, "Get only the count")
	fl.BoolVar(&o.ValueOnly, "print-value-only", false, `Only write values when using the "simple" output format`)
	fl.Int64Var(&o.MinCreateRev, "min-create-rev", 0, "Minimum create revision")
	fl.Int64Var(&o.MaxCreateRev, "max-create-rev", 0, "Maximum create revision")
	fl.Int64Var(&o.MinModRev, "min-mod-rev", 0, "Minimum modification revision")
	fl.Int64Var(&o.MaxModRev, "max-mod-rev", 0, "Maximum modification revision")
	fl.BoolVar(&o.Stream, "stream", false, "Use the RangeStream RPC")
	return c
}

func (o *GetOptions) complete(args []string) error {
	if len(args) == 0 { // upstream ignores arguments after range_end
		return cmdutil.BadArgs("get command needs one argument as key and an optional argument as range_end")
	}
	if o.Prefix && o.FromKey {
		return cmdutil.BadArgs("`--prefix` and `--from-key` cannot be set at the same time, choose one")
	}
	// Upstream checks the consistency before the number of arguments.
	switch o.Consistency {
	case "l", "s":
	default:
		return cmdutil.Errorf(cmdutil.ExitBadFeature, "unknown consistency flag %q", o.Consistency)
	}
	if (o.Prefix || o.FromKey) && len(args) > 1 {
		return cmdutil.BadArgs("too many arguments, only accept one argument when `--prefix` or `--from-key` is set")
	}
	o.Key = args[0]
	if len(args) > 1 {
		o.End = args[1]
	}
	switch strings.ToUpper(o.Order) {
	case "ASCEND":
		o.sortOrder, o.sorted = clientv3.SortAscend, true
	case "DESCEND":
		o.sortOrder, o.sorted = clientv3.SortDescend, true
	case "":
		o.sortOrder = clientv3.SortNone
	default:
		return cmdutil.Errorf(cmdutil.ExitBadFeature, "bad sort order %v", o.Order)
	}
	switch strings.ToUpper(o.SortBy) {
	case "CREATE":
		o.sortTarget, o.sorted = clientv3.SortByCreateRevision, true
	case "KEY":
		o.sortTarget, o.sorted = clientv3.SortByKey, true
	case "MODIFY":
		o.sortTarget, o.sorted = clientv3.SortByModRevision, true
	case "VALUE":
		o.sortTarget, o.sorted = clientv3.SortByValue, true
	case "VERSION":
		o.sortTarget, o.sorted = clientv3.SortByVersion, true
	case "":
	default:
		return cmdutil.Errorf(cmdutil.ExitBadFeature, "bad sort target %v", o.SortBy)
	}
	if o.sorted && o.sortOrder == clientv3.SortNone {
		o.sortOrder = clientv3.SortAscend
	}
	if o.KeysOnly && o.CountOnly {
		return cmdutil.BadArgs("`--keys-only` and `--count-only` cannot be set at the same time, choose one")
	}
	return nil
}

// checkFormat rejects flags the output format cannot honour. Like upstream, this happens once
// the response is in (an unknown -w fails earlier, before connecting).
func (o *GetOptions) checkFormat(p *printer.Printer) error {
	if o.CountOnly && p.Format != printer.Fields {
		return cmdutil.BadArgs("--count-only is only for `--write-out=fields`")
	}
	if o.ValueOnly && p.Format != printer.Simple {
		return cmdutil.BadArgs("print-value-only is only for `--write-out=simple`")
	}
	return nil
}

// rangeEnd is the exclusive end of the listed range ("" for a single key).
func (o *GetOptions) rangeEnd() string {
	switch {
	case o.Prefix:
		if o.Key == "" {
			return "\x00"
		}
		return clientv3.GetPrefixRangeEnd(o.Key)
	case o.FromKey:
		return "\x00"
	}
	return o.End
}

// baseOps are the request options shared by every page.
func (o *GetOptions) baseOps() []clientv3.OpOption {
	var ops []clientv3.OpOption
	if o.Consistency == "s" {
		ops = append(ops, clientv3.WithSerializable())
	}
	if o.KeysOnly {
		ops = append(ops, clientv3.WithKeysOnly())
	}
	if o.CountOnly {
		ops = append(ops, clientv3.WithCountOnly())
	}
	// Upstream sends a revision filter only when it is positive: a negative one filters nothing.
	if o.MinCreateRev > 0 {
		ops = append(ops, clientv3.WithMinCreateRev(o.MinCreateRev))
	}
	if o.MaxCreateRev > 0 {
		ops = append(ops, clientv3.WithMaxCreateRev(o.MaxCreateRev))
	}
	if o.MinModRev > 0 {
		ops = append(ops, clientv3.WithMinModRev(o.MinModRev))
	}
	if o.MaxModRev > 0 {
		ops = append(ops, clientv3.WithMaxModRev(o.MaxModRev))
	}
	return ops
}

// pageable reports whether the listing can be read page by page in key order and still print
// what one request would. Other orderings, count-only and the revision filters (which the server
// applies after counting) fall back to one buffered request.
func (o *GetOptions) pageable() bool {
	if o.rangeEnd() == "" || o.CountOnly {
		return false
	}
	if o.MinCreateRev > 0 || o.MaxCreateRev > 0 || o.MinModRev > 0 || o.MaxModRev > 0 {
		return false
	}
	if o.sorted && !(o.sortTarget == clientv3.SortByKey && o.sortOrder == clientv3.SortAscend) {
		return false
	}
	return true
}

func runGet(o *GetOptions) error {
	p, cli, err := o.f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	if o.pageable() {
		return getPaged(o, cli, p)
	}
	ops := o.baseOps()
	if end := o.rangeEnd(); end != "" {
		ops = append(ops, clientv3.WithRange(end))
	}
	if o.FromKey && o.Key == "" {
		o.Key = "\x00"
	}
	if o.Limit != 0 {
		ops = append(ops, clientv3.WithLimit(o.Limit))
	}
	if o.Rev != 0 {
		ops = append(ops, clientv3.WithRev(o.Rev))
	}
	if o.sorted {
		ops = append(ops, clientv3.WithSort(o.sortTarget, o.sortOrder))
	}
	ctx, cancel := o.f.CommandContext()
	resp, err := cli.Get(ctx, o.Key, ops...)
	cancel()
	if err != nil {
		return err
	}
	if err := o.checkFormat(p); err != nil {
		return err
	}
	return p.Get(resp, o.KeysOnly, o.ValueOnly)
}

// Page sizing: pages aim at getPageBytes of key-values, between getPageMin and getPageMax keys,
// so memory stays bounded by one page whatever the value sizes (etcd values reach 1.5 MiB).
const (
	getPageBytes = 2 << 20
	getPageFirst = 1000
	getPageMin   = 1
	getPageMax   = 10000
)

// getPaged lists a range page by page, every page pinned to the revision of the first so the
// listing is one consistent snapshot, and prints each page as it arrives. A fetcher goroutine
// reads the next page while the current one is printed (at most three pages are alive: one
// printing, one queued, one in flight). The first page is read with the consistency asked for;
// later pages are serializable reads at the pinned revision, which a member can answer from its
// own store once it has applied that revision (if not, the page is read linearizably).
func getPaged(o *GetOptions, cli *clientv3.Client, p *printer.Printer) error {
	end := o.rangeEnd()
	start := o.Key
	if start == "" {
		start = "\x00"
	}
	first, err := o.fetchPage(context.Background(), cli, start, end, o.firstPageLimit(), o.Rev, false)
	if err != nil {
		return err
	}
	if err := o.checkFormat(p); err != nil {
		return err
	}
	stream, err := p.GetStream(o.KeysOnly, o.ValueOnly)
	if err != nil {
		return err
	}
	if err := stream.Begin(first.Header); err != nil {
		return err
	}
	total := first.Count
	rev := o.Rev
	if rev == 0 {
		rev = first.Header.Revision
	}

	printed := int64(0)
	printKVs := func(kvs []*mvccpb.KeyValue) error {
		for _, kv := range kvs {
			if err := stream.KV(kv); err != nil {
				return err
			}
		}
		printed += int64(len(kvs))
		return nil
	}
	if err := printKVs(first.Kvs); err != nil {
		return err
	}
	if first.More && len(first.Kvs) > 0 && (o.Limit <= 0 || printed < o.Limit) {
		size := 0
		for _, kv := range first.Kvs {
			size += len(kv.Key) + len(kv.Value) + 32
		}
		next := string(first.Kvs[len(first.Kvs)-1].Key) + "\x00"
		pageLimit := nextPageLimit(size, len(first.Kvs))
		first = nil // let the first page go
		streamed, err := o.streamRest(cli, next, end, rev, printed, printKVs)
		if err == nil && !streamed {
			err = o.pageRest(cli, next, end, rev, pageLimit, printed, printKVs)
		}
		if err != nil {
			return cmdutil.WithCode(cmdutil.ExitError, fmt.Errorf("%w (listing at revision %d stopped after %d keys)", err, rev, printed))
		}
	}
	return stream.End(total > printed, total)
}

// streamRest reads the rest of a listing, from next on, through the RangeStream RPC (etcd 3.7+):
// the server sends bounded chunks at the pinned revision without recounting the range for each,
// and each chunk is printed as it arrives. It reports false, having printed nothing, when the
// server does not offer RangeStream (etcd 3.6 and older, gRPC proxies), so the caller pages.
func (o *GetOptions) streamRest(cli *clientv3.Client, next, end string, rev, printed int64, print func([]*mvccpb.KeyValue) error) (bool, error) {
	ops := append(o.baseOps(), clientv3.WithRange(end), clientv3.WithRev(rev))
	if o.Limit > 0 {
		ops = append(ops, clientv3.WithLimit(o.Limit-printed))
	}
	serializable := o.Consistency != "s"
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithCancel(context.Background())
		opts := ops
		if serializable {
			opts = append(opts, clientv3.WithSerializable())
		}
		ch, err := cli.GetStream(ctx, next, opts...)
		got := false
		if err == nil {
			for r := range ch {
				if err = r.Err(); err != nil {
					break
				}
				if len(r.Kvs) > 0 {
					got = true
					if err = print(r.Kvs); err != nil {
						break
					}
				}
			}
		}
		cancel()
		switch {
		case err == nil:
			return true, nil
		case got:
			return true, err
		case status.Code(err) == codes.Unimplemented:
			return false, nil
		case serializable && errors.Is(err, rpctypes.ErrFutureRev) && attempt == 0:
			serializable = false // this member has not applied rev yet: read through the leader
			continue
		}
		return true, err
	}
}

// pageRest reads the rest of a listing page by page with plain Range calls (servers without
// RangeStream). A fetcher goroutine reads the next page while the current one is printed.
func (o *GetOptions) pageRest(cli *clientv3.Client, next, end string, rev, limit, printed int64, print func([]*mvccpb.KeyValue) error) error {
	type page struct {
		resp *clientv3.GetResponse
		err  error
	}
	pages := make(chan page, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		defer close(pages)
		fetched := printed
		for {
			want := limit
			if o.Limit > 0 && o.Limit-fetched < want {
				want = o.Limit - fetched
			}
			r, err := o.fetchPage(ctx, cli, next, end, want, rev, true)
			select {
			case pages <- page{r, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || !r.More || len(r.Kvs) == 0 {
				return
			}
			fetched += int64(len(r.Kvs))
			if o.Limit > 0 && fetched >= o.Limit {
				return
			}
			size := 0
			for _, kv := range r.Kvs {
				size += len(kv.Key) + len(kv.Value) + 32
			}
			limit = nextPageLimit(size, len(r.Kvs))
			next = string(r.Kvs[len(r.Kvs)-1].Key) + "\x00"
		}
	}()
	for pg := range pages {
		if pg.err != nil {
			return pg.err
		}
		if err := print(pg.resp.Kvs); err != nil {
			return err
		}
	}
	return nil
}

func (o *GetOptions) firstPageLimit() int64 {
	if o.Limit > 0 && o.Limit < getPageFirst {
		return o.Limit
	}
	return getPageFirst
}

// fetchPage reads one page [start, end) of at most limit keys at rev (0: current), within the
// command timeout. pinned pages are read serializably unless that member is behind rev.
func (o *GetOptions) fetchPage(parent context.Context, cli *clientv3.Client, start, end string, limit, rev int64, pinned bool) (*clientv3.GetResponse, error) {
	ops := append(o.baseOps(), clientv3.WithRange(end), clientv3.WithLimit(limit))
	if rev != 0 {
		ops = append(ops, clientv3.WithRev(rev))
	}
	ctx, cancel := context.WithTimeout(parent, o.f.Global.CommandTimeout)
	defer cancel()
	if pinned && o.Consistency != "s" {
		resp, err := cli.Get(ctx, start, append(ops, clientv3.WithSerializable())...)
		if err == nil || !errors.Is(err, rpctypes.ErrFutureRev) {
			return resp, err
		}
	}
	return cli.Get(ctx, start, ops...)
}

func nextPageLimit(pageBytes, n int) int64 {
	if n == 0 || pageBytes == 0 {
		return getPageFirst
	}
	l := int64(getPageBytes / (pageBytes/n + 1))
	if l < getPageMin {
		l = getPageMin
	}
	if l > getPageMax {
		l = getPageMax
	}
	return l
}

// ---- del ----

// DelOptions are del's flags and arguments.
type DelOptions struct {
	f        *cmdutil.Factory
	Key, End string
	Prefix   bool
	PrevKV   bool
	FromKey  bool
	Range    bool
}

// delRangeGrace is how long `del <key> <range_end>` waits (without --range) so a person can cancel.
const delRangeGrace = 2 * time.Second

// NewCmdDel builds `del [options] <key> [range_end]`.
func NewCmdDel(f *cmdutil.Factory) *cobra.Command {
	o := &DelOptions{f: f}
	c := &cobra.Command{
		Use:   delUse,
		Short: "Removes the specified key or range of keys [key, range_end)",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 || len(args) > 2 {
				return cmdutil.BadArgs("del command needs one argument as key and an optional argument as range_end")
			}
			if o.Prefix && o.FromKey {
				return cmdutil.BadArgs("`--prefix` and `--from-key` cannot be set at the same time, choose one")
			}
			if (o.Prefix || o.FromKey) && len(args) == 2 {
				return cmdutil.BadArgs("too many arguments, only accept one argument when `--prefix` or `--from-key` is set")
			}
			o.Key = args[0]
			if len(args) == 2 {
				o.End = args[1]
				if !o.Range {
					fmt.Fprintf(f.IO.ErrOut, "Warning: Keys between %q and %q will be deleted. Please interrupt the command within next 2 seconds to cancel. You can provide `--range` flag to avoid the delay.\n", o.Key, o.End)
					time.Sleep(delRangeGrace)
				}
			}
			return runDel(o)
		},
	}
	c.Flags().BoolVar(&o.Prefix, "prefix", false, "delete keys with matching prefix")
	c.Flags().BoolVar(&o.PrevKV, "prev-kv", false, "return deleted key-value pairs")
	c.Flags().BoolVar(&o.FromKey, "from-key", false, "delete keys that are greater than or equal to the given key using byte compare")
	c.Flags().BoolVar(&o.Range, "range", false, "delete range of keys")
	return c
}

func runDel(o *DelOptions) error {
	var ops []clientv3.OpOption
	key := o.Key
	switch {
	case o.Prefix:
		ops = append(ops, clientv3.WithPrefix())
	case o.FromKey:
		if key == "" {
			key = "\x00"
		}
		ops = append(ops, clientv3.WithFromKey())
	case o.End != "":
		ops = append(ops, clientv3.WithRange(o.End))
	}
	if o.PrevKV {
		ops = append(ops, clientv3.WithPrevKV())
	}
	return cmdutil.Request(o.f, o.f.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.DeleteResponse, error) {
			return cli.Delete(ctx, key, ops...)
		},
		func(p *printer.Printer, resp *clientv3.DeleteResponse) error { return p.Del(resp) })
}
