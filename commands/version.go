package commands

import (
	"fmt"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
)

// Version is the etcdctl release this rewrite is compatible with.
const (
	Version    = "3.7.3"
	APIVersion = "3.7"
)

// NewCmdVersion prints etcdctl's and the API's version. It needs no cluster.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Prints the version of etcdctl",
		RunE: func(c *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(f.IO.Out, "etcdctl version: %s\nAPI version: %s\n", f.Dialect.Version, f.Dialect.APIVersion)
			return err
		},
	}
}

// NewCmdOptions lists the global flags (they are left out of every other help page).
func NewCmdOptions(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "options",
		Short: "Show the global command-line flags",
		RunE: func(c *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(f.IO.Out, "The following options can be passed to any command:\n\n%s",
				c.Root().PersistentFlags().FlagUsages())
			return err
		},
	}
}
