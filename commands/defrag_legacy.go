package commands

import (
	"fmt"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/snapshot35"
	"github.com/spf13/cobra"
)

// DefragDataDirOptions is what 3.5's `defrag --data-dir` parsed: the data directory to
// defragment offline.
type DefragDataDirOptions struct {
	F       *cmdutil.Factory
	DataDir string
}

// withDefragDataDir adds 3.5's `defrag --data-dir`: defragment the backend of a data directory
// not in use by etcd, offline, with etcd's own backend code (in the helper process of
// internal/snapshot35). The tree keeps the flag only in the 3.5 dialect (internal/dialect).
func withDefragDataDir(c *cobra.Command, f *cmdutil.Factory) { withDefragDataDirRun(c, f, nil) }

// withDefragDataDirRun is withDefragDataDir; runF, when not nil, receives the options of an
// offline defrag instead of runDefragDataDir (without --data-dir the online defrag runs as before).
func withDefragDataDirRun(c *cobra.Command, f *cmdutil.Factory, runF func(*DefragDataDirOptions) error) {
	o := &DefragDataDirOptions{F: f}
	c.Flags().StringVar(&o.DataDir, "data-dir", "", "Optional. If present, defragments a data directory not in use by etcd.")
	online := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if o.DataDir == "" {
			return online(cmd, args)
		}
		if runF != nil {
			return runF(o)
		}
		return runDefragDataDir(o)
	}
}

func runDefragDataDir(o *DefragDataDirOptions) error {
	f := o.F
	fmt.Fprint(f.IO.ErrOut, "Use `etcdutl defrag` instead. The --data-dir is going to be decomissioned in v3.6.\n\n")
	helper, err := snapshot35.FindHelper(f.Getenv)
	if err != nil {
		return err
	}
	_, err = snapshot35.Run(helper, snapshot35.Request{Op: "defrag", DataDir: o.DataDir}, f.IO.ErrOut)
	return err
}
