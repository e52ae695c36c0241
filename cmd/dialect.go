package cmd

import (
	"fmt"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/flags"
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// applyDialect shapes the tree built for 3.7 into dialect d's: verbs of other releases are
// taken out, flags that d does not have are hidden and rejected as unknown, our own flags are
// left out of d's help, descriptions take d's wording, and d's help layout is installed.
func applyDialect(root *cobra.Command, d *dialect.Dialect) {
	var removedFlags []removedFlag
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
		fl := lookupOwnFlag(c, flagName)
		if fl == nil {
			continue
		}
		fl.Hidden = true
		removedFlags = append(removedFlags, removedFlag{cmd: c, flag: fl})
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
	if len(removedFlags) > 0 {
		// A flag this release does not have is an unknown flag, as its own parser reports it.
		root.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
			for _, r := range removedFlags {
				if r.flag.Changed && (r.cmd == c || r.cmd == root) {
					return &flagError{cmd: c, err: fmt.Errorf("unknown flag: --%s", r.flag.Name)}
				}
			}
			return nil
		}
	}
	if d.LegacyHelp {
		setLegacyHelp(root, d)
	}
}

type removedFlag struct {
	cmd  *cobra.Command
	flag *pflag.Flag
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
