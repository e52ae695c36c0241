package commands

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ---- put ----

// PutOptions are put's flags and arguments.
type PutOptions struct {
	F *cmdutil.Factory
	putSpec
	// ValueFromStdin: no value argument (and no --ignore-value), so runPut reads it from stdin;
	// the lease is then checked after that read, as upstream.
	ValueFromStdin bool
}

// NewCmdPut builds `put [options] <key> <value>`.
func NewCmdPut(f *cmdutil.Factory) *cobra.Command { return newCmdPut(f, nil) }

// newCmdPut builds it; runF, when not nil, receives the parsed options instead of runPut
// (tests of parsing and validation, no cluster).
func newCmdPut(f *cmdutil.Factory, runF func(*PutOptions) error) *cobra.Command {
	o := &PutOptions{F: f}
	c := &cobra.Command{
		Use:               putUse,
		ValidArgsFunction: completeArgs(f, completeKey),
		Short:             putShort,
		Long:              putLong,
		RunE: func(c *cobra.Command, args []string) error {
			needValue, err := o.validateArgs(args)
			if err != nil {
				return err
			}
			o.ValueFromStdin = needValue
			if !needValue {
				// Nothing to read: the lease is the next check, before connecting.
				if _, err := ParseLeaseID(o.Lease); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(o)
			}
			return runPut(o)
		},
	}
	o.addFlags(c.Flags())
	completeFlagFromCluster(f, c, "lease", completeLease)
	return c
}

// readValue is the value from stdin, when there is one.
func (o *PutOptions) readValue() (string, bool) {
	b, err := io.ReadAll(o.F.IO.In)
	return string(b), err == nil && len(b) > 0
}

func runPut(o *PutOptions) error {
	if o.ValueFromStdin {
		v, ok := o.readValue()
		if !ok {
			return cmdutil.BadArgs(msgPutArgs)
		}
		o.Value = v
	}
	op, err := o.op()
	if err != nil {
		return err
	}
	return cmdutil.Request(o.F, o.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.PutResponse, error) {
			resp, err := cli.Do(ctx, op)
			return resp.Put(), err
		},
		func(p *printer.Printer, resp *clientv3.PutResponse) error { return p.Put(resp) })
}

// ---- get ----

// GetOptions are get's flags and arguments.
type GetOptions struct {
	F *cmdutil.Factory
	getSpec
}

// NewCmdGet builds `get [options] <key> [range_end]`.
func NewCmdGet(f *cmdutil.Factory) *cobra.Command { return newCmdGet(f, nil) }

// newCmdGet builds it; runF, when not nil, receives the parsed options instead of runGet
// (tests of parsing and validation, no cluster).
func newCmdGet(f *cmdutil.Factory, runF func(*GetOptions) error) *cobra.Command {
	o := &GetOptions{F: f}
	c := &cobra.Command{
		Use:               getUse,
		ValidArgsFunction: completeArgs(f, completeKey, completeKey),
		Short:             getShort,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.validate(args); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runGet(o)
		},
	}
	o.addFlags(c.Flags())
	completeEnum(c, "consistency", "l\tLinearizable", "s\tSerializable")
	completeEnum(c, "sort-by", "CREATE", "KEY", "MODIFY", "VALUE", "VERSION")
	completeEnum(c, "order", "ASCEND", "DESCEND")
	return c
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

// pageable reports whether the listing can be read page by page in key order and still print
// what one request would. Other orderings, count-only and the revision filters (which the server
// applies after counting) fall back to one buffered request.
func (o *GetOptions) pageable() bool {
	key, end := o.keyRange()
	if end == "" || key == "" || o.CountOnly || o.hasRevFilters() {
		return false
	}
	if o.sorted && !(o.sortTarget == clientv3.SortByKey && o.sortOrder == clientv3.SortAscend) {
		return false
	}
	return true
}

func runGet(o *GetOptions) error {
	p, cli, err := o.F.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	if o.pageable() {
		return getPaged(o, cli, p)
	}
	ctx, cancel := o.F.CommandContext()
	resp, err := cli.Do(ctx, o.op())
	cancel()
	if err != nil {
		return err
	}
	if err := o.checkFormat(p); err != nil {
		return err
	}
	return p.Get(resp.Get(), o.KeysOnly, o.ValueOnly)
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
	start, end := o.keyRange()
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
			return cmdutil.Failed(fmt.Errorf("%w (listing at revision %d stopped after %d keys)", err, rev, printed))
		}
	}
	return stream.End(total > printed, total)
}

// streamRest reads the rest of a listing, from next on, through the RangeStream RPC (etcd 3.7+):
// the server sends bounded chunks at the pinned revision without recounting the range for each,
// and each chunk is printed as it arrives. It reports false, having printed nothing, when the
// server does not offer RangeStream (etcd 3.6 and older, gRPC proxies), so the caller pages.
func (o *GetOptions) streamRest(cli *clientv3.Client, next, end string, rev, printed int64, print func([]*mvccpb.KeyValue) error) (bool, error) {
	ops := append(o.filterOps(), clientv3.WithRange(end), clientv3.WithRev(rev))
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
	ops := append(o.filterOps(), clientv3.WithRange(end), clientv3.WithLimit(limit))
	if rev != 0 {
		ops = append(ops, clientv3.WithRev(rev))
	}
	ctx, cancel := context.WithTimeout(parent, o.F.Global.CommandTimeout)
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
	F *cmdutil.Factory
	delSpec
}

// NewCmdDel builds `del [options] <key> [range_end]`.
func NewCmdDel(f *cmdutil.Factory) *cobra.Command { return newCmdDel(f, nil) }

// newCmdDel builds it; runF, when not nil, receives the parsed options instead of runDel
// (tests of parsing and validation, no cluster).
func newCmdDel(f *cmdutil.Factory, runF func(*DelOptions) error) *cobra.Command {
	o := &DelOptions{F: f}
	c := &cobra.Command{
		Use:               delUse,
		ValidArgsFunction: completeArgs(f, completeKey, completeKey),
		Short:             delShort,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.validate(args); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runDel(o)
		},
	}
	o.addFlags(c.Flags())
	return c
}

// delRangeWarn prints w (a range delete's warning; "" for none) and waits delRangeGrace for the
// person to interrupt, or prints the dialect's notice in its place and goes on (3.5).
func delRangeWarn(f *cmdutil.Factory, w string) {
	switch {
	case w == "":
	case f.Dialect != nil && f.Dialect.DelRangeNotice != "":
		fmt.Fprintln(f.IO.ErrOut, f.Dialect.DelRangeNotice)
	default:
		fmt.Fprintln(f.IO.ErrOut, w)
		f.Pause(delRangeGrace)
	}
}

func runDel(o *DelOptions) error {
	delRangeWarn(o.F, o.rangeWarning())
	op := o.op()
	return cmdutil.Request(o.F, o.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.DeleteResponse, error) {
			resp, err := cli.Do(ctx, op)
			return resp.Del(), err
		},
		func(p *printer.Printer, resp *clientv3.DeleteResponse) error { return p.Del(resp) })
}
