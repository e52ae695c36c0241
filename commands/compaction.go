package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdCompaction is a placeholder until the verb lands.
func NewCmdCompaction(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "compaction [options] <revision>", Short: "Compacts the event history in etcd", RunE: notImplemented}
}
