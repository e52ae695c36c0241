package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdEndpoint is a placeholder until the verb lands.
func NewCmdEndpoint(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "endpoint <subcommand>", Short: "Endpoint related commands. Use `etcdctl endpoint --help` to see subcommands", RunE: notImplemented}
}
