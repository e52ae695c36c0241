package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdLock is a placeholder until the verb lands.
func NewCmdLock(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "lock <lockname> [exec-command arg1 arg2 ...]", Short: "Acquires a named lock", RunE: notImplemented}
}
