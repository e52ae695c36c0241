package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdElect is a placeholder until the verb lands.
func NewCmdElect(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "elect <election-name> [proposal]", Short: "Observes and participates in leader election", RunE: notImplemented}
}
