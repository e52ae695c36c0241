package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/flags"
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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

// completeArgSpecs is, for each command path, the kind of each positional argument; arguments
// past the list get no suggestion.
func completeArgSpecs() map[string][]completeArgKind {
	return map[string][]completeArgKind{
		"get":                    {completeKey, completeKey},
		"del":                    {completeKey, completeKey},
		"watch":                  {completeKey, completeKey},
		"put":                    {completeKey},
		"lease timetolive":       {completeLease},
		"lease revoke":           {completeLease},
		"lease keep-alive":       {completeLease},
		"member remove":          {completeMember},
		"member update":          {completeMember},
		"member promote":         {completeMember},
		"move-leader":            {completeMember},
		"user get":               {completeUser},
		"user delete":            {completeUser},
		"user passwd":            {completeUser},
		"user grant-role":        {completeUser, completeRole},
		"user revoke-role":       {completeUser, completeRole},
		"role get":               {completeRole},
		"role delete":            {completeRole},
		"role grant-permission":  {completeRole, completePermType, completeKey, completeKey},
		"role revoke-permission": {completeRole, completeKey, completeKey},
		"snapshot save":          {completeFile},
	}
}

// completeFlagValues are the fixed values of enumerated flags, per command path ("" is the
// root's persistent flags), as "value\tdescription".
func completeFlagValues() map[string]map[string][]cobra.Completion {
	loads := []cobra.Completion{"s\tsmall", "m\tmedium", "l\tlarge", "xl\txLarge"}
	return map[string]map[string][]cobra.Completion{
		"": {"write-out": {"fields", "json", "protobuf", "simple", "table"}},
		"get": {
			"consistency": {"l\tLinearizable", "s\tSerializable"},
			"sort-by":     {"CREATE", "KEY", "MODIFY", "VALUE", "VERSION"},
			"order":       {"ASCEND", "DESCEND"},
		},
		"check perf":      {"load": loads},
		"check datascale": {"load": loads},
	}
}

// completeFileFlags are flags naming files, per command path ("" is the root's persistent flags).
func completeFileFlags() map[string][]string {
	return map[string][]string{
		"":            {"cacert", "cert", "key"},
		"make-mirror": {"dest-cacert", "dest-cert", "dest-key"},
	}
}

// RegisterCompletions attaches etcdctl's dynamic completions to the commands and flags of root
// that exist; a command or flag that is missing is skipped, and completions already set by a
// command's own constructor are kept.
func RegisterCompletions(root *cobra.Command, f *cmdutil.Factory) {
	for path, kinds := range completeArgSpecs() {
		c := completeFind(root, path)
		if c == nil || c.ValidArgsFunction != nil || len(c.ValidArgs) > 0 {
			continue
		}
		c.ValidArgsFunction = completeArgsFunc(root, f, kinds)
	}
	for path, byFlag := range completeFlagValues() {
		c := completeFind(root, path)
		if c == nil {
			continue
		}
		for name, values := range byFlag {
			if completeOwnFlag(c, name) == nil {
				continue
			}
			_ = c.RegisterFlagCompletionFunc(name, completeFixed(values))
		}
	}
	for path, names := range completeFileFlags() {
		c := completeFind(root, path)
		if c == nil {
			continue
		}
		for _, name := range names {
			if fl := completeOwnFlag(c, name); fl != nil {
				// the same annotation MarkFlagFilename sets: any file (bash's _filedir)
				if fl.Annotations == nil {
					fl.Annotations = map[string][]string{}
				}
				fl.Annotations[cobra.BashCompFilenameExt] = []string{}
			}
		}
	}
	if c := completeFind(root, "put"); c != nil && completeOwnFlag(c, "lease") != nil {
		_ = c.RegisterFlagCompletionFunc("lease", func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return completeFromCluster(root, f, completeLease, toComplete), cobra.ShellCompDirectiveNoFileComp
		})
	}
}

// completeOwnFlag is c's own (local or persistent) flag name, or nil. Unlike c.Flag it does not
// merge the parents' flags into c, which keeps RegisterCompletions cheap at every start-up.
func completeOwnFlag(c *cobra.Command, name string) *pflag.Flag {
	if fl := c.Flags().Lookup(name); fl != nil {
		return fl
	}
	return c.PersistentFlags().Lookup(name)
}

// completeFind returns the command at path (words separated by spaces; "" is root), or nil. It
// matches names exactly: root.Find would follow cobra's prefix matching, which etcdctl enables.
func completeFind(root *cobra.Command, path string) *cobra.Command {
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

func completeArgsFunc(root *cobra.Command, f *cmdutil.Factory, kinds []completeArgKind) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(kinds) {
			// past the known arguments: no suggestion
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		switch kind := kinds[len(args)]; kind {
		case completeFile:
			return nil, cobra.ShellCompDirectiveDefault
		case completePermType:
			return completeFixed([]cobra.Completion{"read", "write", "readwrite"})(c, args, toComplete)
		default:
			return completeFromCluster(root, f, kind, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
	}
}

// completeFromCluster asks the cluster for candidates of kind starting with toComplete. Any
// failure gives no candidates.
func completeFromCluster(root *cobra.Command, f *cmdutil.Factory, kind completeArgKind, toComplete string) []cobra.Completion {
	ctx, cancel := context.WithTimeout(context.Background(), completeTimeout)
	defer cancel()
	// Everything, DNS discovery and TLS set-up included, runs under the deadline: a step that
	// ignores ctx is abandoned (the completion process exits right after answering).
	done := make(chan []cobra.Completion, 1)
	go func() { done <- completeAsk(ctx, root, f, kind, toComplete) }()
	select {
	case out := <-done:
		return out
	case <-ctx.Done():
		return nil
	}
}

func completeAsk(ctx context.Context, root *cobra.Command, f *cmdutil.Factory, kind completeArgKind, toComplete string) []cobra.Completion {
	cli := completeClient(ctx, root, f)
	if cli == nil {
		return nil
	}
	defer cli.Close()
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
func completeClient(ctx context.Context, root *cobra.Command, f *cmdutil.Factory) *clientv3.Client {
	// Apply the environment quietly: a completion never prints warnings or debug dumps.
	f.ApplyEnv = func() error { return flags.ApplyEnv(root.PersistentFlags(), f.Environ, nil) }
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
	if err := cmdutil.ProbeEndpoints(cfg.Endpoints, completeTimeout); err != nil {
		return nil
	}
	cli, err := f.NewClient(*cfg)
	if err != nil {
		return nil
	}
	return cli
}
