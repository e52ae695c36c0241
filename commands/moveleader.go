package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdMoveLeader is a placeholder until the verb lands.
func NewCmdMoveLeader(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "move-leader <transferee-member-id>", Short: "Transfers leadership to another etcd cluster member.", RunE: notImplemented}
}
