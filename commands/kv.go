package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdGet is a placeholder until the verb lands.
func NewCmdGet(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "get [options] <key> [range_end]", Short: "Gets the key or a range of keys", RunE: notImplemented}
}

// NewCmdPut is a placeholder until the verb lands.
func NewCmdPut(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "put [options] <key> <value> (<value> can also be given from stdin)", Short: "Puts the given key into the store", RunE: notImplemented}
}

// NewCmdDel is a placeholder until the verb lands.
func NewCmdDel(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "del [options] <key> [range_end]", Short: "Removes the specified key or range of keys [key, range_end)", RunE: notImplemented}
}
