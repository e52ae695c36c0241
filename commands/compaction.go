package commands

import (
	"strconv"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdCompaction builds `compaction [options] <revision>`.
func NewCmdCompaction(f *cmdutil.Factory) *cobra.Command {
	var physical bool
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
			var ops []clientv3.CompactOption
			if physical {
				ops = append(ops, clientv3.WithCompactPhysical())
			}
			// The printer is chosen (an unknown -w fails, before anything is compacted) though
			// upstream prints the same line whatever -w says.
			p, cli, err := f.Connect()
			if err != nil {
				return err
			}
			defer cli.Close()
			ctx, cancel := f.CommandContext()
			_, err = cli.Compact(ctx, rev, ops...)
			cancel()
			if err != nil {
				return err
			}
			// Upstream prints this line whatever -w says.
			p.Compacted(rev)
			return p.Flush()
		},
	}
	c.Flags().BoolVar(&physical, "physical", false, "'true' to wait for compaction to physically remove all old revisions")
	return c
}
