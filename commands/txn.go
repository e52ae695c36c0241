package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdTxn is a placeholder until the verb lands.
func NewCmdTxn(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{Use: "txn [options]", Short: "Txn processes all the requests in one transaction", RunE: notImplemented}
}
