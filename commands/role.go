package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdRole is a placeholder until the verb lands.
func NewCmdRole(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "role <subcommand>", Short: "Role related commands. Use `etcdctl role --help` to see subcommands", RunE: notImplemented}
}
