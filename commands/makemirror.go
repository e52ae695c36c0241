package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdMakeMirror is a placeholder until the verb lands.
func NewCmdMakeMirror(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "make-mirror [options] <destination>", Short: "Makes a mirror at the destination etcd cluster", RunE: notImplemented}
}
