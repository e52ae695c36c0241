package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdAlarm is a placeholder until the verb lands.
func NewCmdAlarm(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "alarm <subcommand>", Short: "Alarm related commands. Use `etcdctl alarm --help` to see subcommands", RunE: notImplemented}
}
