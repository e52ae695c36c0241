package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdMember is a placeholder until the verb lands.
func NewCmdMember(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "member <subcommand>", Short: "Membership related commands. Use `etcdctl member --help` to see subcommands", RunE: notImplemented}
}
