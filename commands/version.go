package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/printer"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Version is the etcdctl release this rewrite is compatible with.
const (
	Version    = "3.7.3"
	APIVersion = "3.7"
)

// VersionOptions is what `version` parsed (nothing but the factory: it takes no flag, and
// ignores its arguments and -w, as upstream).
type VersionOptions struct {
	F *cmdutil.Factory
}

// NewCmdVersion prints etcdctl's and the API's version. It needs no cluster.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command { return newCmdVersion(f, nil) }

// newCmdVersion builds `version`. runF, when not nil, receives the parsed options instead of
// runVersion.
func newCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Prints the version of etcdctl",
		RunE: func(c *cobra.Command, args []string) error {
			opts := &VersionOptions{F: f}
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		},
	}
}

// runVersion prints the same text whatever -w says, as upstream.
func runVersion(opts *VersionOptions) error {
	p := printer.Plain(opts.F.IO.Out)
	p.Version(opts.F.Dialect.Version, opts.F.Dialect.APIVersion)
	return p.Flush()
}

// OptionsOptions is what `options` parsed: the global flags to list.
type OptionsOptions struct {
	F     *cmdutil.Factory
	Flags *pflag.FlagSet
}

// NewCmdOptions lists the global flags (they are left out of every other help page).
func NewCmdOptions(f *cmdutil.Factory) *cobra.Command { return newCmdOptions(f, nil) }

// newCmdOptions builds `options`. runF, when not nil, receives the parsed options instead of
// runOptions.
func newCmdOptions(f *cmdutil.Factory, runF func(*OptionsOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "options",
		Short: "Show the global command-line flags",
		RunE: func(c *cobra.Command, args []string) error {
			opts := &OptionsOptions{F: f, Flags: c.Root().PersistentFlags()}
			if runF != nil {
				return runF(opts)
			}
			return runOptions(opts)
		},
	}
}

func runOptions(opts *OptionsOptions) error {
	p := printer.Plain(opts.F.IO.Out)
	p.Options(opts.Flags.FlagUsages())
	return p.Flush()
}
