package commands

import (
	"strconv"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// CompactionOptions is what `compaction` parsed and validated before it touches the
// environment, the printer or the cluster.
type CompactionOptions struct {
	F        *cmdutil.Factory
	Rev      int64
	Physical bool
}

// NewCmdCompaction builds `compaction [options] <revision>`.
func NewCmdCompaction(f *cmdutil.Factory) *cobra.Command { return newCmdCompaction(f, nil) }

// newCmdCompaction builds `compaction`. runF, when not nil, receives the parsed options instead
// of runCompaction.
func newCmdCompaction(f *cmdutil.Factory, runF func(*CompactionOptions) error) *cobra.Command {
	opts := &CompactionOptions{F: f}
	c := &cobra.Command{
		Use:   "compaction [options] <revision>",
		Short: "Compacts the event history in etcd",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("compaction command needs 1 argument")
			}
			rev, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return err
			}
			opts.Rev = rev
			if runF != nil {
				return runF(opts)
			}
			return runCompaction(opts)
		},
	}
	c.Flags().BoolVar(&opts.Physical, "physical", false, "'true' to wait for compaction to physically remove all old revisions")
	return c
}

func runCompaction(opts *CompactionOptions) error {
	f := opts.F
	var ops []clientv3.CompactOption
	if opts.Physical {
		ops = append(ops, clientv3.WithCompactPhysical())
	}
	// The printer is chosen (an unknown -w fails, before anything is compacted) though upstream
	// prints the same line whatever -w says.
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := f.CommandContext()
	_, err = cli.Compact(ctx, opts.Rev, ops...)
	cancel()
	if err != nil {
		return err
	}
	p.Compacted(opts.Rev)
	return p.Flush()
}
