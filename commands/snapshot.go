package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdSnapshot is a placeholder until the verb lands.
func NewCmdSnapshot(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "snapshot <subcommand>", Short: "Manages etcd node snapshots", RunE: notImplemented}
}
