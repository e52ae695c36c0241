package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdAuth is a placeholder until the verb lands.
func NewCmdAuth(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "auth <enable or disable>", Short: "Enable or disable authentication. Use `etcdctl auth --help` to see subcommands", RunE: notImplemented}
}
