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
			// The settings the running verb inherits: the globals, and a family's own (such as
			// endpoint's --cluster). Some verbs of older releases print none.
			fs := root.PersistentFlags()
			if c, _, err := root.Find(f.Args); err == nil && c != root {
				fs = c.InheritedFlags()
				if d.NoDebugDump(c.CommandPath()) {
					fs = nil
				}
			}
			if fs != nil {
				debugSettings(f.IO.ErrOut, fs)
			}
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
	// The verb argv names, read once. Our own verbs (hidden: import, du, config) answer to their
	// full names only: a prefix of one (`etcdctl i`) is upstream's unknown command.
	pf := root.PersistentFlags()
	w, plain := verbWord(pf, argv)
	skipOwn := plain && w != "help" && !ownVerb(w)
	only := ""
	if !whole {
		if len(argv) > 1 && (argv[0] == cobra.ShellCompRequestCmd || argv[0] == cobra.ShellCompNoDescRequestCmd) {
			// A TAB press: the last word is the one being completed, so a verb before it is
			// complete and only its own arguments and flags are asked for.
			w, plain = verbWord(pf, argv[1:len(argv)-1])
		}
		only = namedVerb(w, plain, d)
	}
	for _, v := range verbTable {
		if (only == "" || v.name == only) && !(v.own && skipOwn) {
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
	addedOrder(root)
	return root
}

// addedOrder puts the verbs back in verbTable's order. cobra sorts a command's children in
// place the first time they are listed (reshaping the tree lists them); help pages show them
// sorted either way, but the suggestions for an unknown verb list them in the order they were
// added, which is upstream's: `etcdctl set` suggests get, put, del, user.
func addedOrder(root *cobra.Command) {
	cmds := root.Commands()
	root.RemoveCommand(cmds...)
	for _, v := range verbTable {
		for _, c := range cmds {
			if c.Name() == v.name {
				root.AddCommand(c)
			}
		}
	}
}

// verb is one top-level command: its name (as the constructor names it; a test checks), its
// group in the help page, its constructor, and whether it is ours (not upstream's: hidden from
// help, and run by its full name only).
type verb struct {
	name, group string
	build       func(*cmdutil.Factory) *cobra.Command
	own         bool
}

// verbTable lists the verbs in the order upstream adds them (its suggestions for an unknown
// verb follow it; help pages sort them).
var verbTable = [...]verb{
	{"get", groupKV, commands.NewCmdGet, false},
	{"put", groupKV, commands.NewCmdPut, false},
	{"del", groupKV, commands.NewCmdDel, false},
	{"txn", groupKV, commands.NewCmdTxn, false},
	{"compaction", groupKV, commands.NewCmdCompaction, false},
	{"watch", groupKV, commands.NewCmdWatch, false},
	{"lease", groupKV, commands.NewCmdLease, false},
	{"import", groupKV, commands.NewCmdImport, true},
	{"du", groupKV, commands.NewCmdDu, true},
	{"alarm", groupCluster, commands.NewCmdAlarm, false},
	{"defrag", groupCluster, commands.NewCmdDefrag, false},
	{"endpoint", groupCluster, commands.NewCmdEndpoint, false},
	{"move-leader", groupCluster, commands.NewCmdMoveLeader, false},
	{"member", groupCluster, commands.NewCmdMember, false},
	{"snapshot", groupCluster, commands.NewCmdSnapshot, false},
	{"downgrade", groupCluster, commands.NewCmdDowngrade, false},
	{"lock", groupConcurrency, commands.NewCmdLock, false},
	{"elect", groupConcurrency, commands.NewCmdElect, false},
	{"auth", groupAuth, commands.NewCmdAuth, false},
	{"user", groupAuth, commands.NewCmdUser, false},
	{"role", groupAuth, commands.NewCmdRole, false},
	{"version", groupUtility, commands.NewCmdVersion, false},
	{"options", groupUtility, commands.NewCmdOptions, false},
	{"check", groupUtility, commands.NewCmdCheck, false},
	{"make-mirror", groupUtility, commands.NewCmdMakeMirror, false},
	{"completion", groupUtility, commands.NewCmdCompletion, false},
	{"config", groupUtility, commands.NewCmdConfig, true},
}

// namedVerb is the verb to build alone for the verb word w (plain: read as cobra reads it, see
// verbWord), or "" when the run needs the whole tree: a word that is not exactly a verb's name
// (cobra also accepts prefixes, and lists every verb in its suggestions), a verb the dialect
// lacks, `completion` (its script covers the tree), or no verb.
func namedVerb(w string, plain bool, d *dialect.Dialect) string {
	if !plain || w == "completion" || d.IsRemoved(w) {
		return ""
	}
	for _, v := range verbTable {
		if v.name == w {
			return w
		}
	}
	return ""
}

// ownVerb reports whether w is the full name of one of our own verbs.
func ownVerb(w string) bool {
	for _, v := range verbTable {
		if v.own && v.name == w {
			return true
		}
	}
	return false
}

// verbWord is the word of argv that cobra will take for the verb, read as cobra reads it:
// global flags (with their values) may precede it. ok is false when that is not plain: a
// verb's flag or an unknown one first, `--`, a cobra request (`__complete`), no word at all.
func verbWord(global *pflag.FlagSet, argv []string) (word string, ok bool) {
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		if a == "--" || a == "-" || a == "" || (i == 0 && strings.HasPrefix(a, "__")) {
			return "", false
		}
		if a[0] != '-' {
			return a, true
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
			return "", false // a verb's flag before the verb, or unknown: cobra decides
		}
		if !hasValue && fl.NoOptDefVal == "" {
			i++ // the value is the next word
		}
	}
	return "", false
}
