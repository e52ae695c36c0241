package cmd

import (
	"fmt"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/flags"
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// applyDialect shapes the tree built for 3.7 into dialect d's: verbs of other releases are
// taken out, flags that d does not have are taken out of their command (unknown to the parser), our own flags are
// left out of d's help, descriptions take d's wording, and d's help layout is installed.
func applyDialect(root *cobra.Command, d *dialect.Dialect) {
	for _, p := range d.Removed {
		cmdPath, flagName, isFlag := splitFlagPath(p)
		c := findExact(root, cmdPath)
		if c == nil {
			continue
		}
		if !isFlag {
			c.Parent().RemoveCommand(c)
			continue
		}
		removeFlag(c, flagName)
	}
	for _, p := range d.Hidden {
		cmdPath, flagName, _ := splitFlagPath(p)
		if c := findExact(root, cmdPath); c != nil {
			if fl := lookupOwnFlag(c, flagName); fl != nil {
				fl.Hidden = true
			}
		}
	}
	for p, s := range d.Short {
		if c := findExact(root, p); c != nil {
			c.Short = s
		}
	}
	for p, s := range d.Long {
		if c := findExact(root, p); c != nil {
			c.Long = s
		}
	}
	for p, s := range d.Example {
		if c := findExact(root, p); c != nil {
			c.Example = s
		}
	}
	for p, s := range d.FlagUsage {
		cmdPath, flagName, _ := splitFlagPath(p)
		if c := findExact(root, cmdPath); c != nil {
			if fl := lookupOwnFlag(c, flagName); fl != nil {
				fl.Usage = s
			}
		}
	}
	if d.LegacyHelp {
		setLegacyHelp(root, d)
	}
}

// removeFlag takes flag name out of c (local or persistent), so that the parser of a release
// without it reports it as unknown where that release does. cobra's flag sets have no removal:
// c's sets are rebuilt from the flags that stay (the same *pflag.Flag values, so bound variables,
// annotations and completions are kept), and so is every descendant that has already merged a
// persistent flag of c's into its own set.
func removeFlag(c *cobra.Command, name string) {
	if lookupOwnFlag(c, name) == nil {
		return
	}
	rebuildFlags(c, name)
	var walk func(x *cobra.Command)
	walk = func(x *cobra.Command) {
		for _, sub := range x.Commands() {
			if sub.Flags().Lookup(name) != nil { // Flags() does not merge: only a merged copy shows
				rebuildFlags(sub, name)
			}
			walk(sub)
		}
	}
	walk(c)
}

// rebuildFlags replaces c's flag sets with new ones holding c's own flags but name.
func rebuildFlags(c *cobra.Command, name string) {
	persistent := c.PersistentFlags()
	local := c.LocalNonPersistentFlags()
	c.ResetFlags()
	keep := func(dst *pflag.FlagSet) func(*pflag.Flag) {
		return func(fl *pflag.Flag) {
			if fl.Name != name {
				dst.AddFlag(fl)
			}
		}
	}
	persistent.VisitAll(keep(c.PersistentFlags()))
	local.VisitAll(keep(c.Flags()))
}

// splitFlagPath splits "get --stream" into ("get", "stream", true) and "--x" into ("", "x", true).
func splitFlagPath(p string) (cmdPath, flagName string, isFlag bool) {
	i := strings.Index(p, "--")
	if i < 0 {
		return p, "", false
	}
	return strings.TrimSpace(p[:i]), p[i+2:], true
}

// findExact finds the command at path (space-separated names, "" is the root), no prefixes.
func findExact(root *cobra.Command, path string) *cobra.Command {
	c := root
	for _, name := range strings.Fields(path) {
		var next *cobra.Command
		for _, sub := range c.Commands() {
			if sub.Name() == name {
				next = sub
				break
			}
		}
		if next == nil {
			return nil
		}
		c = next
	}
	return c
}

// lookupOwnFlag is a flag defined on c itself (local or persistent).
func lookupOwnFlag(c *cobra.Command, name string) *pflag.Flag {
	if fl := c.PersistentFlags().Lookup(name); fl != nil {
		return fl
	}
	return c.LocalNonPersistentFlags().Lookup(name)
}

// dialectSettings adjusts the resolved global settings to d: it wraps f.ApplyContext, the last
// step that fills them (after the flags and the ETCDCTL_* variables).
func dialectSettings(f *cmdutil.Factory, d *dialect.Dialect) {
	if !d.SkipVerifyNeedsTLS {
		return
	}
	apply := f.ApplyContext
	f.ApplyContext = func() error {
		if apply != nil {
			if err := apply(); err != nil {
				return err
			}
		}
		g := f.Global
		// Without anything else asking for TLS, skipping verification means plain text.
		if g.InsecureSkipTLSVerify && g.Cert == "" && g.Key == "" && g.CACert == "" && g.InsecureTransport &&
			(g.DiscoverySRV == "" || g.InsecureDiscovery) {
			g.InsecureSkipTLSVerify = false
		}
		return nil
	}
}

// dialectAPI applies ETCDCTL_API where d reads it (3.5): a value d refuses ends the run with
// that release's line, and "2" runs the v2 client's front instead of the command tree. done
// reports that the run ended here; err is then what it ended with (nil: success).
func dialectAPI(d *dialect.Dialect, args, environ []string, streams *iostreams.IOStreams) (err error, done bool) {
	api, err := d.API(environ)
	if err != nil {
		fmt.Fprintln(streams.ErrOut, err) // a bare line, without "Error:"
		return &cmdutil.ExitStatusError{Status: ExitError}, true
	}
	if api != "2" {
		return nil, false
	}
	// The v2 client's statuses are its own (it prints its own lines). Our switch is not one of
	// its flags: it is taken out first.
	if status := dialect.RunV2(d.Version, withoutCompat(args), environ, streams.Out, streams.ErrOut); status != ExitSuccess {
		return &cmdutil.ExitStatusError{Status: status}, true
	}
	return nil, true
}

// withoutCompat is args without the --compat switch that dialect.Select read (the first one
// before "--", with its value).
func withoutCompat(args []string) []string {
	for i, a := range args {
		switch {
		case a == "--":
			return args
		case strings.HasPrefix(a, "--"+dialect.Flag+"="):
			return append(append([]string{}, args[:i]...), args[i+1:]...)
		case a == "--"+dialect.Flag:
			end := min(i+2, len(args))
			return append(append([]string{}, args[:i]...), args[end:]...)
		}
	}
	return args
}

// dialectError rewords err in d's words when d words it differently (the exit code stays).
func dialectError(d *dialect.Dialect, err error) error {
	if err == nil || len(d.ErrorText) == 0 {
		return err
	}
	if s, ok := d.ErrorText[err.Error()]; ok {
		return cmdutil.Reword(err, s)
	}
	return err
}

// dialectEnviron drops the ETCDCTL_* twins of the global flags d does not have (that release
// reports them as unrecognized and ignores them).
func dialectEnviron(d *dialect.Dialect, environ []string, unknown func(kv string)) []string {
	var drop []string
	for _, p := range d.Removed {
		if cmdPath, name, isFlag := splitFlagPath(p); isFlag && cmdPath == "" {
			drop = append(drop, flags.EnvName(name)+"=")
		}
	}
	if len(drop) == 0 {
		return environ
	}
	out := make([]string, 0, len(environ))
next:
	for _, kv := range environ {
		for _, prefix := range drop {
			if strings.HasPrefix(kv, prefix) {
				unknown(kv)
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
