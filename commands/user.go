package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdUser is a placeholder until the verb lands.
func NewCmdUser(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "user <subcommand>", Short: "User related commands. Use `etcdctl user --help` to see subcommands", RunE: notImplemented}
}
