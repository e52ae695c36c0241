package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdDowngrade is a placeholder until the verb lands.
func NewCmdDowngrade(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "downgrade <subcommand>", Short: "Downgrade related commands. Use `etcdctl downgrade --help` to see subcommands", RunE: notImplemented}
}
