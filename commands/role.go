package commands

import (
	"context"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	"go.etcd.io/etcd/api/v3/authpb"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdRole is the parent of the role verbs; it only prints its help.
func NewCmdRole(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "role <subcommand>",
		Short: "Role related commands. Use `etcdctl role --help` to see subcommands",
		Long:  "Role related commands",
	}
	c.AddCommand(
		newCmdRoleAdd(f),
		newCmdRoleDelete(f),
		newCmdRoleGet(f),
		newCmdRoleList(f),
		newCmdRoleGrantPermission(f),
		newCmdRoleRevokePermission(f),
	)
	return c
}

// roleRun connects, runs call and prints its result. Printing happens after the call, so a format
// the verb cannot show still leaves the change made (as upstream).
func roleRun(f *cmdutil.Factory, call func(cli *clientv3.Client, p *printer.Printer) error) error {
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	return call(cli, p)
}

func newCmdRoleAdd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "add <role name>",
		Short: "Adds a new role",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("role add command requires role name as its argument")
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleAddResponse, error) {
					return cli.RoleAdd(ctx, args[0])
				},
				func(p *printer.Printer, resp *clientv3.AuthRoleAddResponse) error {
					return p.RoleAdd(args[0], (*pb.AuthRoleAddResponse)(resp))
				})
		},
	}
}

func newCmdRoleDelete(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "delete <role name>",
		ValidArgsFunction: completeArgs(f, completeRole),
		Short:             "Deletes a role",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("role delete command requires role name as its argument")
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleDeleteResponse, error) {
					return cli.RoleDelete(ctx, args[0])
				},
				func(p *printer.Printer, resp *clientv3.AuthRoleDeleteResponse) error {
					return p.RoleDelete(args[0], (*pb.AuthRoleDeleteResponse)(resp))
				})
		},
	}
}

func newCmdRoleGet(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "get <role name>",
		ValidArgsFunction: completeArgs(f, completeRole),
		Short:             "Gets detailed information of a role",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("role get command requires role name as its argument")
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleGetResponse, error) {
					return cli.RoleGet(ctx, args[0])
				},
				func(p *printer.Printer, resp *clientv3.AuthRoleGetResponse) error {
					return p.RoleGet(args[0], (*pb.AuthRoleGetResponse)(resp))
				})
		},
	}
}

func newCmdRoleList(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Lists all roles",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("role list command requires no arguments")
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleListResponse, error) {
					return cli.RoleList(ctx)
				},
				func(p *printer.Printer, resp *clientv3.AuthRoleListResponse) error {
					return p.RoleList((*pb.AuthRoleListResponse)(resp))
				})
		},
	}
}

// roleRangeOpts are the range flags shared by grant-permission and revoke-permission.
type roleRangeOpts struct {
	prefix, fromKey bool
}

// rangeEnd works out the permission's range end from the optional endkey argument and the flags.
// rest are the arguments after the key. As upstream: an endkey with --prefix or --from-key is
// reported before the two flags together, and an empty key (sent as "\x00") ignores the endkey.
func (o roleRangeOpts) rangeEnd(key string, rest []string) (string, error) {
	// A key of "" drops the endkey (upstream grants the range from "" on); then upstream's order:
	// an endkey with --prefix, then with --from-key, then both flags.
	if key == "" {
		rest = nil
	}
	switch {
	case o.prefix && len(rest) > 0:
		return "", cmdutil.BadArgs("unexpected endkey argument with --prefix flag")
	case o.fromKey && len(rest) > 0:
		return "", cmdutil.BadArgs("unexpected endkey argument with --from-key flag")
	case o.prefix && o.fromKey:
		return "", cmdutil.BadArgs("--from-key and --prefix flags are mutually exclusive")
	case o.prefix:
		return string(printer.RolePrefixEnd([]byte(key))), nil
	case o.fromKey:
		return "\x00", nil
	case len(rest) > 0:
		return rest[0], nil
	}
	return "", nil
}

func newCmdRoleGrantPermission(f *cmdutil.Factory) *cobra.Command {
	var o roleRangeOpts
	c := &cobra.Command{
		Use:               "grant-permission [options] <role name> <permission type> <key> [endkey]",
		ValidArgsFunction: completeArgs(f, completeRole, completePermType, completeKey, completeKey),
		Short:             "Grants a key to a role",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) < 3 {
				return cmdutil.BadArgs("role grant command requires role name, permission type, and key [endkey] as its argument")
			}
			perm, ok := authpb.Permission_Type_value[roleUpper(args[1])]
			if !ok {
				return cmdutil.BadArgs("invalid permission type: %s", args[1])
			}
			end, err := o.rangeEnd(args[2], args[3:])
			if err != nil {
				return err
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleGrantPermissionResponse, error) {
					return cli.RoleGrantPermission(ctx, args[0], roleRequestKey(args[2]), end, clientv3.PermissionType(perm))
				},
				func(p *printer.Printer, resp *clientv3.AuthRoleGrantPermissionResponse) error {
					return p.RoleGrantPermission(args[0], (*pb.AuthRoleGrantPermissionResponse)(resp))
				})
		},
	}
	c.Flags().BoolVar(&o.prefix, "prefix", false, "grant a prefix permission")
	c.Flags().BoolVar(&o.fromKey, "from-key", false, "grant a permission of keys that are greater than or equal to the given key using byte compare")
	return c
}

func newCmdRoleRevokePermission(f *cmdutil.Factory) *cobra.Command {
	var o roleRangeOpts
	c := &cobra.Command{
		Use:               "revoke-permission <role name> <key> [endkey]",
		ValidArgsFunction: completeArgs(f, completeRole, completeKey, completeKey),
		Short:             "Revokes a key from a role",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) < 2 {
				return cmdutil.BadArgs("role revoke-permission command requires role name and key [endkey] as its argument")
			}
			end, err := o.rangeEnd(args[1], args[2:])
			if err != nil {
				return err
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleRevokePermissionResponse, error) {
					return cli.RoleRevokePermission(ctx, args[0], roleRequestKey(args[1]), end)
				},
				func(p *printer.Printer, resp *clientv3.AuthRoleRevokePermissionResponse) error {
					return p.RoleRevokePermission(args[0], args[1], end, (*pb.AuthRoleRevokePermissionResponse)(resp))
				})
		},
	}
	c.Flags().BoolVar(&o.prefix, "prefix", false, "revoke a prefix permission")
	c.Flags().BoolVar(&o.fromKey, "from-key", false, "revoke a permission of keys that are greater than or equal to the given key using byte compare")
	return c
}

// roleUpper upper-cases an ASCII permission type name (read -> READ).
func roleUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// roleContext is the context of the user and role verbs. Upstream gives them no deadline (only
// `auth` honours --command-timeout), so a request the client keeps retrying (for instance
// `user add "" --no-password` with credentials) ends with the server's error, not a timeout.
func roleContext() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

// roleRequestKey is the key sent for a permission: an empty key means "\x00", the smallest key
// (upstream does the same; the server refuses an empty key with a range end).
func roleRequestKey(key string) string {
	if key == "" {
		return "\x00"
	}
	return key
}
