// Package cmd builds etcdctl's command tree, runs it, and maps every error to an exit code and
// an `Error: ...` line. It is the only place that decides how the process ends.
package cmd

import (
	"fmt"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/commands"
	"github.com/etcdctl-rewritten/etcdctl/flags"
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/spf13/cobra"
)

// Command groups, in upstream's order and with its titles.
const (
	groupKV          = "kv"
	groupCluster     = "cluster"
	groupConcurrency = "concurrency"
	groupAuth        = "auth"
	groupUtility     = "utility"
)

// NewRootCmd builds the whole command tree over f.
func NewRootCmd(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "etcdctl",
		Short:         "A simple command line client for etcd3.",
		SilenceErrors: true,
		SilenceUsage:  true,
		// Upstream accepts `ETCDCTL_API=3`; only v3 exists here.
	}
	f.Global.Register(root.PersistentFlags())
	d := f.Dialect
	// The switch itself: read before the tree is built (dialect.Select), kept here as a hidden
	// flag so that cobra accepts it and ETCDCTL_COMPAT conflicts with it like any global.
	root.PersistentFlags().String(dialect.Flag, d.Name, "etcdctl release to behave as ("+strings.Join(dialect.Names(), ", ")+")")
	root.PersistentFlags().Lookup(dialect.Flag).Hidden = true
	if !d.LegacyHelp {
		// (3.5 and 3.6 leave it to cobra, which adds it only once the command is found: with
		// the help flag unknown at that point, `--help get` is the root's help there.)
		root.Flags().BoolP("help", "h", false, "help for etcdctl")
		root.Flags().Lookup("help").Hidden = true
	}

	f.ApplyEnv = func() error {
		// Upstream reads --command-timeout before it applies the environment, so
		// ETCDCTL_COMMAND_TIMEOUT has no effect there; keep that for drop-in behaviour.
		commandTimeout := f.Global.CommandTimeout
		warn := func(kv string) { warnUnknownEnv(f.IO.ErrOut, kv) }
		if f.Quiet {
			warn = nil
		}
		if err := flags.ApplyEnv(root.PersistentFlags(), dialectEnviron(d, f.Environ, warn), warn); err != nil {
			return err
		}
		f.Global.CommandTimeout = commandTimeout
		if f.Global.Debug && !f.Quiet {
			debugSettings(f.IO.ErrOut, root.PersistentFlags())
		}
		return nil
	}
	f.ApplyContext = func() error {
		name, path, err := flags.ApplyContext(root.PersistentFlags(), f.Global, f.Getenv)
		if err == nil && name != "" && f.Global.Debug && !f.Quiet {
			fmt.Fprintf(f.IO.ErrOut, "context %q of %s applied to the settings above not given as flags or ETCDCTL_* variables\n", name, path)
		}
		return err
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &flagError{cmd: c, err: err}
	})

	root.AddGroup(
		&cobra.Group{ID: groupKV, Title: "Key-value commands"},
		&cobra.Group{ID: groupCluster, Title: "Cluster maintenance commands"},
		&cobra.Group{ID: groupConcurrency, Title: "Concurrency commands"},
		&cobra.Group{ID: groupAuth, Title: "Authentication commands"},
		&cobra.Group{ID: groupUtility, Title: "Utility commands"},
	)
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	add(groupKV,
		commands.NewCmdGet(f), commands.NewCmdPut(f), commands.NewCmdDel(f),
		commands.NewCmdTxn(f), commands.NewCmdCompaction(f), commands.NewCmdWatch(f),
		commands.NewCmdLease(f), commands.NewCmdImport(f), commands.NewCmdDu(f))
	add(groupCluster,
		commands.NewCmdAlarm(f), commands.NewCmdDefrag(f), commands.NewCmdEndpoint(f),
		commands.NewCmdMember(f), commands.NewCmdMoveLeader(f), commands.NewCmdSnapshot(f),
		commands.NewCmdDowngrade(f))
	add(groupConcurrency, commands.NewCmdLock(f), commands.NewCmdElect(f))
	add(groupAuth, commands.NewCmdAuth(f), commands.NewCmdUser(f), commands.NewCmdRole(f))
	add(groupUtility,
		commands.NewCmdVersion(f), commands.NewCmdOptions(f), commands.NewCmdCheck(f),
		commands.NewCmdMakeMirror(f), commands.NewCmdCompletion(f), commands.NewCmdConfig(f))

	root.CompletionOptions.DisableDefaultCmd = true
	root.SetHelpCommandGroupID(groupUtility)
	setTemplates(root)
	commands.CompleteGlobalFlags(root)
	commands.RegisterContextCompletion(root, f)
	applyDialect(root, d)
	dialectSettings(f, d)
	return root
}
