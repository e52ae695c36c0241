package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdImport is a placeholder until the verb lands.
func NewCmdImport(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "import [options] [file|-]", Short: "Writes key-values read from JSON (etcdctl get -w json output, or JSON lines) in batched transactions", RunE: notImplemented, Hidden: true}
}
