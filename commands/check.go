package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdCheck is a placeholder until the verb lands.
func NewCmdCheck(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "check <subcommand>", Short: "commands for checking properties of the etcd cluster. Use `etcdctl check --help` to see subcommands", RunE: notImplemented}
}
