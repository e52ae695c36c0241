package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/printer"

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
			// The same text whatever -w says, as upstream.
			p := printer.Plain(f.IO.Out)
			p.Version(f.Dialect.Version, f.Dialect.APIVersion)
			return p.Flush()
		},
	}
}

// NewCmdOptions lists the global flags (they are left out of every other help page).
func NewCmdOptions(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "options",
		Short: "Show the global command-line flags",
		RunE: func(c *cobra.Command, args []string) error {
			p := printer.Plain(f.IO.Out)
			p.Options(c.Root().PersistentFlags().FlagUsages())
			return p.Flush()
		},
	}
}
