package commands

import (
	"fmt"
	"time"

	"context"
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// DefragOptions is what `defrag` parsed and validated before it touches the environment, the
// printer or the cluster.
type DefragOptions struct {
	F       *cmdutil.Factory
	Cluster bool

	// Ours: rolling defragmentation (defrag_rolling.go).
	Rolling     bool
	WaitBetween time.Duration

	afterStep func(memberID uint64) error // tests: called after each member
}

// NewCmdDefrag is `etcdctl defrag [--cluster]`.
func NewCmdDefrag(f *cmdutil.Factory) *cobra.Command { return newCmdDefrag(f, nil) }

// newCmdDefrag builds `defrag`. runF, when not nil, receives the parsed options instead of
// runDefrag.
func newCmdDefrag(f *cmdutil.Factory, runF func(*DefragOptions) error) *cobra.Command {
	opts := &DefragOptions{F: f}
	c := &cobra.Command{
		Use:   "defrag",
		Short: "Defragments the storage of the etcd members with given endpoints",
		RunE: func(c *cobra.Command, _ []string) error {
			if err := defragCheckRolling(c, opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDefrag(opts)
		},
	}
	c.Flags().BoolVar(&opts.Cluster, "cluster", false, "use all endpoints from the cluster member list")
	defragRollingFlags(c, opts)
	withDefragDataDir(c, f) // 3.5 only
	return c
}

// runDefrag defragments the members, all of them in turn or (--rolling) one by one.
func runDefrag(o *DefragOptions) error {
	if o.Rolling {
		return runDefragRolling(o)
	}
	return runDefragEach(o)
}

// runDefragEach defragments the members one after the other (never all at once: a member is
// unavailable while it defragments), reporting each on stdout, failures on stderr.
func runDefragEach(o *DefragOptions) error {
	p, err := o.F.Printer()
	if err != nil {
		return err
	}
	cfg, eps, err := endpointTargets(o.F, o.Cluster)
	if err != nil {
		return err
	}
	failed := false
	prog := o.F.IO.Progress(0)
	for _, ep := range eps {
		prog.Draw("Defragmenting etcd member[%s]...", ep)
		start := time.Now()
		err := endpointOne(o.F, cfg, ep, func(ctx context.Context, cli *clientv3.Client) error {
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
			fmt.Fprint(o.F.IO.ErrOut, p.DefragFailedLine(ep, took, err))
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
