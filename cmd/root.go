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
	"github.com/spf13/pflag"
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
func NewRootCmd(f *cmdutil.Factory) *cobra.Command { return newRootCmd(f, nil, true) }

// newRootCmd builds the tree a run of argv needs. Unless whole is set, when argv names a verb
// outright (global flags may come first) only that verb is built, since nothing else of the tree
// can show in such a run; otherwise (help, completion, a prefix or an unknown word, whose
// suggestions list every verb) the whole tree. Every verb costs its constructors at start-up,
// and every TAB press and every scripted call pays start-up.
func newRootCmd(f *cmdutil.Factory, argv []string, whole bool) *cobra.Command {
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
	only := ""
	if !whole {
		only = namedVerb(root.PersistentFlags(), argv, d)
		if len(argv) > 1 && (argv[0] == cobra.ShellCompRequestCmd || argv[0] == cobra.ShellCompNoDescRequestCmd) {
			// A TAB press: the last word is the one being completed, so a verb before it is
			// complete and only its own arguments and flags are asked for.
			only = namedVerb(root.PersistentFlags(), argv[1:len(argv)-1], d)
		}
	}
	for _, v := range verbTable {
		if only == "" || v.name == only {
			c := v.build(f)
			c.GroupID = v.group
			root.AddCommand(c)
		}
	}

	root.CompletionOptions.DisableDefaultCmd = true
	root.SetHelpCommandGroupID(groupUtility)
	setTemplates(root)
	commands.CompleteGlobalFlags(root)
	commands.RegisterContextCompletion(root, f)
	applyDialect(root, d)
	dialectSettings(f, d)
	return root
}

// verb is one top-level command: its name (as the constructor names it; a test checks), its
// group in the help page, and its constructor.
type verb struct {
	name, group string
	build       func(*cmdutil.Factory) *cobra.Command
}

// verbTable lists the verbs in upstream's help order.
var verbTable = [...]verb{
	{"get", groupKV, commands.NewCmdGet},
	{"put", groupKV, commands.NewCmdPut},
	{"del", groupKV, commands.NewCmdDel},
	{"txn", groupKV, commands.NewCmdTxn},
	{"compaction", groupKV, commands.NewCmdCompaction},
	{"watch", groupKV, commands.NewCmdWatch},
	{"lease", groupKV, commands.NewCmdLease},
	{"import", groupKV, commands.NewCmdImport},
	{"du", groupKV, commands.NewCmdDu},
	{"alarm", groupCluster, commands.NewCmdAlarm},
	{"defrag", groupCluster, commands.NewCmdDefrag},
	{"endpoint", groupCluster, commands.NewCmdEndpoint},
	{"member", groupCluster, commands.NewCmdMember},
	{"move-leader", groupCluster, commands.NewCmdMoveLeader},
	{"snapshot", groupCluster, commands.NewCmdSnapshot},
	{"downgrade", groupCluster, commands.NewCmdDowngrade},
	{"lock", groupConcurrency, commands.NewCmdLock},
	{"elect", groupConcurrency, commands.NewCmdElect},
	{"auth", groupAuth, commands.NewCmdAuth},
	{"user", groupAuth, commands.NewCmdUser},
	{"role", groupAuth, commands.NewCmdRole},
	{"version", groupUtility, commands.NewCmdVersion},
	{"options", groupUtility, commands.NewCmdOptions},
	{"check", groupUtility, commands.NewCmdCheck},
	{"make-mirror", groupUtility, commands.NewCmdMakeMirror},
	{"completion", groupUtility, commands.NewCmdCompletion},
	{"config", groupUtility, commands.NewCmdConfig},
}

// namedVerb is the verb argv names outright, or "" when the run needs the whole tree. It reads
// argv as cobra will: global flags (with their values) may precede the verb; anything else
// before it, a word that is not exactly a verb's name (cobra also accepts prefixes, and lists
// every verb in its suggestions), a verb the dialect lacks, or no verb at all means the whole
// tree.
func namedVerb(global *pflag.FlagSet, argv []string, d *dialect.Dialect) string {
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		if a == "--" || a == "-" || a == "" || (i == 0 && strings.HasPrefix(a, "__")) {
			return ""
		}
		if a[0] != '-' {
			for _, v := range verbTable {
				// `completion` writes a script for the whole tree.
				if v.name == a && a != "completion" && !d.IsRemoved(a) {
					return a
				}
			}
			return ""
		}
		var fl *pflag.Flag
		name, hasValue := "", false
		if strings.HasPrefix(a, "--") {
			name = a[2:]
			if j := strings.IndexByte(name, '='); j >= 0 {
				name, hasValue = name[:j], true
			}
			fl = global.Lookup(name)
		} else {
			// -w json, -wjson, -w=json: only one-letter shorthands exist among the globals.
			fl = global.ShorthandLookup(a[1:2])
			hasValue = len(a) > 2
		}
		if fl == nil {
			return "" // a verb's flag before the verb, or unknown: cobra decides
		}
		if !hasValue && fl.NoOptDefVal == "" {
			i++ // the value is the next word
		}
	}
	return ""
}
