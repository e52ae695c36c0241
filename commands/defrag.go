package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdDefrag is a placeholder until the verb lands.
func NewCmdDefrag(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "defrag", Short: "Defragments the storage of the etcd members with given endpoints", RunE: notImplemented}
}
