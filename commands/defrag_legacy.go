package commands

import (
	"fmt"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/snapshot35"
	"github.com/spf13/cobra"
)

// withDefragDataDir adds 3.5's `defrag --data-dir`: defragment the backend of a data directory
// not in use by etcd, offline, with etcd's own backend code (in the helper process of
// internal/snapshot35). The tree keeps the flag only in the 3.5 dialect (internal/dialect).
func withDefragDataDir(c *cobra.Command, f *cmdutil.Factory) {
	var dataDir string
	c.Flags().StringVar(&dataDir, "data-dir", "", "Optional. If present, defragments a data directory not in use by etcd.")
	online := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if dataDir == "" {
			return online(cmd, args)
		}
		fmt.Fprint(f.IO.ErrOut, "Use `etcdutl defrag` instead. The --data-dir is going to be decomissioned in v3.6.\n\n")
		helper, err := snapshot35.FindHelper(f.Getenv)
		if err != nil {
			return err
		}
		_, err = snapshot35.Run(helper, snapshot35.Request{Op: "defrag", DataDir: dataDir}, f.IO.ErrOut)
		return err
	}
}
