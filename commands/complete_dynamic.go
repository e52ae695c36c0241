package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/stackreserve"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Dynamic shell completion (beyond upstream): keys, lease IDs, member IDs, user and role names
// asked from the cluster named by the global flags already typed (and ETCDCTL_* variables), plus
// the fixed values of enumerated flags and file names for file flags.
//
// A completion never waits long and never prints: an unreachable cluster, missing credentials or
// any error yields no candidates within completeTimeout.
const (
	// completeTimeout bounds the whole cluster round trip (dial included) of one completion.
	completeTimeout = 300 * time.Millisecond
	// completeKeyLimit is the most keys asked for one key completion.
	completeKeyLimit = 100
)

// completeArgKind says what a positional argument of a command is.
type completeArgKind int

const (
	completeNone completeArgKind = iota
	completeKey
	completeLease
	completeMember
	completeUser
	completeRole
	completeFile
	completePermType
)

// Each command attaches its own completions in its constructor, with the helpers below:
// completeArgs for positional arguments, completeEnum for flags with fixed values, completeFiles
// for flags naming files.

// completeArgs completes the positional arguments of a command by kind, one kind per position;
// arguments past the list get no suggestion.
func completeArgs(f *cmdutil.Factory, kinds ...completeArgKind) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(kinds) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		switch kind := kinds[len(args)]; kind {
		case completeFile:
			return nil, cobra.ShellCompDirectiveDefault
		case completePermType:
			return completeFixed([]cobra.Completion{"read", "write", "readwrite"})(c, args, toComplete)
		default:
			return completeFromCluster(f, kind, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
	}
}

// completeEnum completes c's flag name with fixed values.
func completeEnum(c *cobra.Command, name string, values ...cobra.Completion) {
	_ = c.RegisterFlagCompletionFunc(name, completeFixed(values))
}

// completeFiles marks c's flags (local or persistent) as naming files, the annotation cobra's
// MarkFlagFilename sets (any file: bash's _filedir).
func completeFiles(c *cobra.Command, names ...string) {
	for _, name := range names {
		fl := c.Flags().Lookup(name)
		if fl == nil {
			fl = c.PersistentFlags().Lookup(name)
		}
		if fl == nil {
			continue
		}
		if fl.Annotations == nil {
			fl.Annotations = map[string][]string{}
		}
		fl.Annotations[cobra.BashCompFilenameExt] = []string{}
	}
}

// completeFlagFromCluster completes c's flag name with candidates of kind asked from the cluster.
func completeFlagFromCluster(f *cmdutil.Factory, c *cobra.Command, name string, kind completeArgKind) {
	_ = c.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return completeFromCluster(f, kind, toComplete), cobra.ShellCompDirectiveNoFileComp
	})
}

// CompleteGlobalFlags attaches the completions of the global flags to the root command.
func CompleteGlobalFlags(root *cobra.Command) {
	completeEnum(root, "write-out", "fields", "json", "protobuf", "simple", "table")
	completeFiles(root, "cacert", "cert", "key")
}

// completeLoads completes --load of `check perf` and `check datascale`.
func completeLoads(c *cobra.Command) {
	completeEnum(c, "load", "s\tsmall", "m\tmedium", "l\tlarge", "xl\txLarge")
}

func completeFixed(values []cobra.Completion) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, v := range values {
			if strings.HasPrefix(v, toComplete) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeFromCluster asks the cluster for candidates of kind starting with toComplete. Any
// failure gives no candidates.
func completeFromCluster(f *cmdutil.Factory, kind completeArgKind, toComplete string) []cobra.Completion {
	ctx, cancel := context.WithTimeout(context.Background(), completeTimeout)
	defer cancel()
	// Everything, DNS discovery and TLS set-up included, runs under the deadline: a step that
	// ignores ctx is abandoned (the completion process exits right after answering).
	done := make(chan []cobra.Completion, 1)
	go func() {
		stackreserve.Goroutine()
		done <- completeAsk(ctx, f, kind, toComplete)
	}()
	select {
	case out := <-done:
		return out
	case <-ctx.Done():
		return nil
	}
}

func completeAsk(ctx context.Context, f *cmdutil.Factory, kind completeArgKind, toComplete string) []cobra.Completion {
	cli := completeClient(ctx, f)
	if cli == nil {
		return nil
	}
	// Closed in the background: the answer does not wait for the connection to wind down.
	defer func() { go cli.Close() }()
	var out []cobra.Completion
	add := func(value, desc string) {
		if !strings.HasPrefix(value, toComplete) || strings.ContainsAny(value, "\t\r\n") {
			return // a candidate is one line; tabs separate descriptions
		}
		if desc != "" {
			value = cobra.CompletionWithDesc(value, desc)
		}
		out = append(out, value)
	}
	switch kind {
	case completeKey:
		resp, err := cli.Get(ctx, toComplete, clientv3.WithPrefix(), clientv3.WithKeysOnly(),
			clientv3.WithSerializable(), clientv3.WithLimit(completeKeyLimit),
			clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend))
		if err != nil {
			return nil
		}
		for _, kv := range resp.Kvs {
			add(string(kv.Key), "")
		}
	case completeLease:
		resp, err := cli.Leases(ctx)
		if err != nil {
			return nil
		}
		for _, l := range resp.Leases {
			add(fmt.Sprintf("%016x", l.ID), "")
		}
	case completeMember:
		resp, err := cli.MemberList(ctx, clientv3.WithSerializable())
		if err != nil {
			return nil
		}
		for _, m := range resp.Members {
			desc := m.Name
			if desc == "" {
				desc = "(unstarted)"
			}
			if m.IsLearner {
				desc += " (learner)"
			}
			add(fmt.Sprintf("%x", m.ID), desc)
		}
	case completeUser:
		resp, err := cli.UserList(ctx)
		if err != nil {
			return nil
		}
		for _, u := range resp.Users {
			add(u, "")
		}
	case completeRole:
		resp, err := cli.RoleList(ctx)
		if err != nil {
			return nil
		}
		for _, r := range resp.Roles {
			add(r, "")
		}
	}
	return out
}

// completeClient connects with the global flags on the command line and the ETCDCTL_*
// variables, bounded by ctx. It returns nil when that cannot be done without asking anything.
func completeClient(ctx context.Context, f *cmdutil.Factory) *clientv3.Client {
	// Apply the environment quietly: a completion never prints warnings or debug dumps.
	f.Quiet = true
	if err := f.Settle(); err != nil {
		return nil
	}
	g := f.Global
	if g.User != "" && !strings.Contains(g.User, ":") && g.Password == "" {
		return nil // a password prompt has no place in a completion
	}
	cfg, err := f.ClientConfig()
	if err != nil {
		return nil
	}
	cfg.Logger = zap.NewNop()
	cfg.DialTimeout = completeTimeout
	cfg.Context = ctx
	if err := cmdutil.ProbeConfig(cfg, completeTimeout, f.Environ); err != nil {
		return nil
	}
	cli, err := f.NewClient(*cfg)
	if err != nil {
		return nil
	}
	return cli
}
