package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdLease is a placeholder until the verb lands.
func NewCmdLease(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "lease <subcommand>", Short: "Lease related commands. Use `etcdctl lease --help` to see subcommands", RunE: notImplemented}
}
