package commands

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// DuOptions is what `du` parsed and validated before it touches the environment, the printer
// or the cluster.
type DuOptions struct {
	F      *cmdutil.Factory
	Prefix string
	Depth  int // 0: one segment below the prefix
	Top    int // 0: all
}

// NewCmdDu builds `etcdctl du`, a verb of ours that upstream does not have. It stays hidden so
// that the root help is upstream's byte for byte.
func NewCmdDu(f *cmdutil.Factory) *cobra.Command { return newCmdDu(f, nil) }

// newCmdDu builds `du`. runF, when not nil, receives the parsed options instead of runDu.
func newCmdDu(f *cmdutil.Factory, runF func(*DuOptions) error) *cobra.Command {
	o := &DuOptions{F: f}
	cmd := &cobra.Command{
		Use:   "du [options] [prefix]",
		Short: "Summarizes the number of keys and bytes under each prefix path",
		Long: `Summarizes the number of keys and bytes under each prefix path.

Keys are split into path segments on '/'. For every prefix path from one segment below the
given prefix down to --depth segments (default: one segment below the prefix), du shows the
number of keys under it, their bytes (keys + values) and their share of the total, largest
first. 'etcdctl du /registry --depth 2' on a Kubernetes cluster shows the bytes of each
resource type. A key with fewer segments than a level counts as its own path.

The range is read as it streams (memory stays bounded whatever its size), at one revision,
which is printed. Output formats: simple (bytes, keys, share and prefix, tab-separated, then
the total and the revision), json and table.`,
		Example: `  etcdctl du /registry --depth 2 --top 10
  etcdctl du --depth 3 -w table`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.BadArgs("du takes at most one argument: the prefix")
			}
			if len(args) == 1 {
				o.Prefix = args[0]
			}
			if o.Depth < 0 {
				return cmdutil.BadArgs("--depth must not be negative")
			}
			if o.Top < 0 {
				return cmdutil.BadArgs("--top must not be negative")
			}
			if runF != nil {
				return runF(o)
			}
			return runDu(o)
		},
		Hidden: true,
	}
	fl := cmd.Flags()
	fl.IntVar(&o.Depth, "depth", 0, "Deepest prefix path shown, in segments (default: one segment below the prefix)")
	fl.IntVar(&o.Top, "top", 0, "Show only the N largest prefix paths (0: all)")
	return cmd
}

// duSegments is the number of path segments in s ("/registry/pods" and "registry/pods/" have 2).
func duSegments(s string) int {
	s = strings.TrimPrefix(s, "/")
	s = strings.TrimSuffix(s, "/")
	if s == "" {
		return 0
	}
	return strings.Count(s, "/") + 1
}

// duAgg adds keys up into prefix paths at levels lo..hi (segments). Keys arrive in key order,
// so the last group of every level is kept at hand and the map is only consulted when it changes.
type duAgg struct {
	lo, hi      int
	groups      map[string]*printer.DuGroup
	last        []*printer.DuGroup // per level
	keys, bytes int64
}

func newDuAgg(lo, hi int) *duAgg {
	return &duAgg{lo: lo, hi: hi, groups: map[string]*printer.DuGroup{}, last: make([]*printer.DuGroup, hi+1)}
}

// add counts one key of size bytes (key + value).
func (a *duAgg) add(key []byte, size int64) {
	a.keys++
	a.bytes += size
	pos := 0
	if len(key) > 0 && key[0] == '/' {
		pos = 1
	}
	for d := 1; d <= a.hi; d++ {
		idx := bytes.IndexByte(key[pos:], '/')
		end := len(key)
		if idx >= 0 {
			end = pos + idx
		}
		if d >= a.lo || idx < 0 {
			a.addTo(max(d, a.lo), key[:end], size)
		}
		if idx < 0 {
			return
		}
		pos = end + 1
	}
}

func (a *duAgg) addTo(level int, path []byte, size int64) {
	g := a.last[level]
	if g == nil || g.Path != string(path) {
		g = a.groups[string(path)]
		if g == nil {
			g = &printer.DuGroup{Path: string(path), Depth: level}
			a.groups[g.Path] = g
		}
		a.last[level] = g
	}
	g.Keys++
	g.Bytes += size
}

// report sorts the groups by bytes (largest first, then by path) and keeps the top ones.
func (a *duAgg) report(top int) []printer.DuGroup {
	out := make([]printer.DuGroup, 0, len(a.groups))
	for _, g := range a.groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bytes != out[j].Bytes {
			return out[i].Bytes > out[j].Bytes
		}
		return out[i].Path < out[j].Path
	})
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out
}

func runDu(o *DuOptions) error {
	p, err := o.F.Printer()
	if err != nil {
		return err
	}
	if p.Format != printer.Simple && p.Format != printer.JSON && p.Format != printer.Table {
		return p.Unsupported()
	}
	below := duSegments(o.Prefix) + 1
	hi := o.Depth
	if hi == 0 {
		hi = below
	}
	lo := min(below, hi)
	agg := newDuAgg(lo, hi)

	cli, err := o.F.Client()
	if err != nil {
		return err
	}
	defer cli.Close()

	g := &GetOptions{F: o.F, getSpec: getSpec{Key: o.Prefix, Prefix: true, Consistency: "l"}}
	start, end := g.keyRange()
	prog := &duProgress{p: o.F.IO.Progress(200 * time.Millisecond)}
	count := func(kvs []*mvccpb.KeyValue) error {
		for _, kv := range kvs {
			agg.add(kv.Key, int64(len(kv.Key)+len(kv.Value)))
		}
		prog.tick(agg.keys)
		return nil
	}
	// One linearizable RangeStream over the whole range, walked in wire form (du_stream.go): the
	// server pins it to the revision it starts at and reports that revision with the last chunk.
	rev, streamed, err := duStreamRaw(cli, start, end, func(key []byte, size int64) {
		agg.add(key, size)
		if agg.keys&4095 == 0 {
			prog.tick(agg.keys)
		}
	})
	if err == nil && !streamed {
		// No RangeStream (etcd 3.6 and older): pages pinned to the first page's revision.
		var first *clientv3.GetResponse
		first, err = g.fetchPage(context.Background(), cli, start, end, getPageFirst, 0, false)
		if err != nil {
			return err
		}
		rev = first.Header.Revision
		prog.total = first.Count
		count(first.Kvs)
		if first.More && len(first.Kvs) > 0 {
			next := string(first.Kvs[len(first.Kvs)-1].Key) + "\x00"
			first = nil
			err = g.pageRest(cli, next, end, rev, getPageFirst, 0, count)
		}
	}
	if err != nil {
		prog.done()
		if agg.keys == 0 {
			return err
		}
		return cmdutil.Failed(fmt.Errorf("%w (du stopped after %d keys)", err, agg.keys))
	}
	prog.done()
	if err := p.Du(&printer.DuReport{Prefix: o.Prefix, Depth: hi, Revision: rev, TotalKeys: agg.keys,
		TotalBytes: agg.bytes, Groups: agg.report(o.Top)}); err != nil {
		return err
	}
	return p.Flush()
}

// duProgress shows, on a terminal only, how far the listing has got (on stderr, one line
// rewritten at most five times a second).
type duProgress struct {
	p     *iostreams.Progress
	total int64
}

func (d *duProgress) tick(n int64) {
	if d.total > 0 {
		d.p.Show("du: %d of %d keys (%.0f%%)", n, d.total, 100*float64(n)/float64(d.total))
	} else {
		d.p.Show("du: %d keys", n)
	}
}

func (d *duProgress) done() { d.p.Clear() }
