package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdWatch is a placeholder until the verb lands.
func NewCmdWatch(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]", Short: "Watches events stream on keys or prefixes", RunE: notImplemented}
}
