package cmd

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The help layout of etcdctl 3.5 and 3.6: NAME, USAGE, VERSION (root), API VERSION (root and
// command groups), DESCRIPTION, Examples, COMMANDS (the root lists every leaf by its path),
// OPTIONS and GLOBAL OPTIONS with flags as `--name="default"`, all laid out by a tabwriter
// that pads with tabs. Help and usage are the same page and go to stdout.

// legacyPage writes c's help page in dialect d's layout.
func legacyPage(w io.Writer, d *dialect.Dialect, c *cobra.Command) error {
	return legacyPageOpts(w, d, c, false)
}

// legacyPageOpts is legacyPage; noHelpFlag leaves out -h/--help (the root page printed after an
// unknown help topic, before the help flag exists, has none).
func legacyPageOpts(w io.Writer, d *dialect.Dialect, c *cobra.Command, noHelpFlag bool) error {
	in := d.LegacyIndent
	var b strings.Builder
	name := c.Name()
	if c.HasParent() {
		name = strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
	}
	fmt.Fprintf(&b, "NAME:\n%s%s - %s\n\n", in, name, c.Short)
	fmt.Fprintf(&b, "USAGE:\n%s%s\n\n", in, c.UseLine())
	if !c.HasParent() {
		fmt.Fprintf(&b, "VERSION:\n%s%s\n\n", in, d.Version)
	}
	if c.HasSubCommands() {
		fmt.Fprintf(&b, "API VERSION:\n%s%s\n%s", in, d.APIVersion, strings.Repeat("\n", d.APIVersionBlankLines))
	}
	if c.Long != "" {
		b.WriteString("DESCRIPTION:\n")
		for _, l := range strings.Split(strings.Trim(c.Long, "\n"), "\n") {
			b.WriteString(in + l + "\n")
		}
		b.WriteString("\n")
	}
	if c.Example != "" {
		b.WriteString("Examples:\n")
		for _, l := range strings.Split(c.Example, "\n") {
			if l == "" {
				l = in // blank example lines carry the indent
			}
			b.WriteString(l + "\n")
		}
		b.WriteString("\n")
	}
	if c.HasSubCommands() {
		b.WriteString("COMMANDS:\n")
		if c.HasParent() {
			for _, sub := range c.Commands() {
				if sub.IsAvailableCommand() || sub.Name() == "help" {
					fmt.Fprintf(&b, "%s%s\t%s\n", in, sub.Name(), sub.Short)
				}
			}
		} else {
			legacyLeaves(&b, in, c, "")
		}
		b.WriteString("\n")
	}
	if local := legacyFlags(c.NonInheritedFlags(), noHelpFlag); local != "" {
		b.WriteString("OPTIONS:\n" + local + "\n")
	}
	if c.HasParent() {
		if global := legacyFlags(c.InheritedFlags(), false); global != "" {
			b.WriteString("GLOBAL OPTIONS:\n" + global + "\n")
		}
	}
	tw := tabwriter.NewWriter(w, 0, 8, 1, '\t', 0)
	if _, err := io.WriteString(tw, b.String()); err != nil {
		return err
	}
	return tw.Flush()
}

// legacyLeaves lists every runnable leaf under c by its path, depth first.
func legacyLeaves(b *strings.Builder, in string, c *cobra.Command, prefix string) {
	for _, sub := range c.Commands() {
		if !sub.IsAvailableCommand() && sub.Name() != "help" {
			continue
		}
		if sub.HasAvailableSubCommands() {
			legacyLeaves(b, in, sub, prefix+sub.Name()+" ")
			continue
		}
		fmt.Fprintf(b, "%s%s\t%s\n", in, prefix+sub.Name(), sub.Short)
	}
}

// legacyFlags lists the visible flags of fs, one per line: `  -w, --write-out="simple"<TAB>usage`.
func legacyFlags(fs *pflag.FlagSet, noHelpFlag bool) string {
	var b strings.Builder
	fs.VisitAll(func(f *pflag.Flag) {
		if (f.Hidden && f.Name != "help") || f.Deprecated != "" || (noHelpFlag && f.Name == "help") {
			return
		}
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			fmt.Fprintf(&b, "  -%s, --%s", f.Shorthand, f.Name)
		} else {
			fmt.Fprintf(&b, "      --%s", f.Name)
		}
		if f.NoOptDefVal != "" {
			b.WriteString("[")
		}
		if f.Value.Type() == "string" {
			fmt.Fprintf(&b, "=%q", f.DefValue)
		} else {
			fmt.Fprintf(&b, "=%s", f.DefValue)
		}
		if f.NoOptDefVal != "" {
			b.WriteString("]")
		}
		fmt.Fprintf(&b, "\t%s\n", f.Usage)
	})
	return b.String()
}

// legacyReport reports the errors whose shape differs in the legacy dialects (flag errors: the
// usage page goes to stdout; 3.5 repeats the Error line) and returns the exit code, or -1 for
// errors reported as in 3.7.
func legacyReport(c *cobra.Command, err error, streams *iostreams.IOStreams, d *dialect.Dialect) int {
	if err == nil {
		return -1
	}
	w := streams.ErrOut
	var fe *flagError
	switch {
	case errors.As(err, &fe):
		errorLine(w, streams, fe.err.Error())
		fmt.Fprintln(w)
		_ = legacyPage(streams.Out, d, fe.cmd)
	case strings.HasPrefix(err.Error(), "unknown command ") && c != nil:
		errorLine(w, streams, err.Error())
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", c.CommandPath())
	default:
		return -1
	}
	if d.DoubleErrorLine {
		errorLine(w, streams, err.Error())
	}
	return ExitError
}

// setLegacyHelp installs d's legacy layout as the help and usage of the whole tree.
func setLegacyHelp(root *cobra.Command, d *dialect.Dialect) {
	root.SetHelpFunc(func(c *cobra.Command, _ []string) {
		_ = legacyPage(c.OutOrStdout(), d, c)
	})
	root.SetUsageFunc(func(c *cobra.Command) error {
		return legacyPage(c.OutOrStdout(), d, c)
	})
	help := helpNewCommand(root)
	help.RunE = func(c *cobra.Command, args []string) error {
		target, _, err := c.Root().Find(args)
		if target == nil || err != nil {
			fmt.Fprintf(c.ErrOrStderr(), "Unknown help topic %#q\n", args)
			return legacyPageOpts(c.OutOrStdout(), d, c.Root(), true)
		}
		target.InitDefaultHelpFlag()
		return target.Help()
	}
	root.SetHelpCommand(help)
}
