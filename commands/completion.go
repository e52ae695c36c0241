package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdCompletion is a placeholder until the verb lands.
func NewCmdCompletion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "completion [bash|zsh|fish|powershell]", Short: "Generate completion script", RunE: notImplemented}
}
