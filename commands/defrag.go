package commands

import (
	"fmt"
	"time"

	"context"
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// defragOptions are the options of `etcdctl defrag`.
type defragOptions struct {
	f       *cmdutil.Factory
	cluster bool

	// Ours: rolling defragmentation (defrag_rolling.go).
	rolling     bool
	waitBetween time.Duration
	afterStep   func(memberID uint64) error // tests: called after each member
}

// NewCmdDefrag is `etcdctl defrag [--cluster]`.
func NewCmdDefrag(f *cmdutil.Factory) *cobra.Command {
	opts := &defragOptions{f: f}
	c := &cobra.Command{
		Use:   "defrag",
		Short: "Defragments the storage of the etcd members with given endpoints",
		RunE: func(c *cobra.Command, _ []string) error {
			if err := defragCheckRolling(c, opts); err != nil {
				return err
			}
			if opts.rolling {
				return runDefragRolling(opts)
			}
			return runDefrag(opts)
		},
	}
	c.Flags().BoolVar(&opts.cluster, "cluster", false, "use all endpoints from the cluster member list")
	defragRollingFlags(c, opts)
	withDefragDataDir(c, f) // 3.5 only
	return c
}

// runDefrag defragments the members one after the other (never all at once: a member is
// unavailable while it defragments), reporting each on stdout, failures on stderr.
func runDefrag(o *defragOptions) error {
	p, err := o.f.Printer()
	if err != nil {
		return err
	}
	cfg, eps, err := endpointTargets(o.f, o.cluster)
	if err != nil {
		return err
	}
	failed := false
	prog := o.f.IO.Progress(0)
	for _, ep := range eps {
		prog.Draw("Defragmenting etcd member[%s]...", ep)
		start := time.Now()
		err := endpointOne(o.f, cfg, ep, func(ctx context.Context, cli *clientv3.Client) error {
			_, err := cli.Defragment(ctx, ep)
			return err
		})
		took := time.Since(start)
		if ferr := endpointFatal([]error{err}); ferr != nil {
			return ferr
		}
		prog.Clear()
		if err != nil {
			failed = true
			fmt.Fprint(o.f.IO.ErrOut, p.DefragFailedLine(ep, took, err))
			continue
		}
		p.DefragDone(ep, took)
		p.Flush()
	}
	if failed {
		return &cmdutil.ReportedError{}
	}
	return nil
}
