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
		newCmdRoleAdd(f, nil),
		newCmdRoleDelete(f, nil),
		newCmdRoleGet(f, nil),
		newCmdRoleList(f, nil),
		newCmdRoleGrantPermission(f, nil),
		newCmdRoleRevokePermission(f, nil),
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

// RoleNameOptions are the options of the role verbs that take one role name and no flags
// (`role add`, `role delete`, `role get`).
type RoleNameOptions struct {
	F    *cmdutil.Factory
	Name string
}

// newCmdRoleName builds a verb of one role name: the argument check, then runF or run.
func newCmdRoleName(f *cmdutil.Factory, c *cobra.Command, msg string, runF, run func(*RoleNameOptions) error) *cobra.Command {
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) != 1 {
			return cmdutil.BadArgs("%s", msg)
		}
		o := &RoleNameOptions{F: f, Name: args[0]}
		if runF != nil {
			return runF(o)
		}
		return run(o)
	}
	return c
}

func newCmdRoleAdd(f *cmdutil.Factory, runF func(*RoleNameOptions) error) *cobra.Command {
	return newCmdRoleName(f, &cobra.Command{
		Use:   "add <role name>",
		Short: "Adds a new role",
	}, "role add command requires role name as its argument", runF, runRoleAdd)
}

func runRoleAdd(o *RoleNameOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleAddResponse, error) {
			return cli.RoleAdd(ctx, o.Name)
		},
		func(p *printer.Printer, resp *clientv3.AuthRoleAddResponse) error {
			return p.RoleAdd(o.Name, (*pb.AuthRoleAddResponse)(resp))
		})
}

func newCmdRoleDelete(f *cmdutil.Factory, runF func(*RoleNameOptions) error) *cobra.Command {
	return newCmdRoleName(f, &cobra.Command{
		Use:               "delete <role name>",
		ValidArgsFunction: completeArgs(f, completeRole),
		Short:             "Deletes a role",
	}, "role delete command requires role name as its argument", runF, runRoleDelete)
}

func runRoleDelete(o *RoleNameOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleDeleteResponse, error) {
			return cli.RoleDelete(ctx, o.Name)
		},
		func(p *printer.Printer, resp *clientv3.AuthRoleDeleteResponse) error {
			return p.RoleDelete(o.Name, (*pb.AuthRoleDeleteResponse)(resp))
		})
}

func newCmdRoleGet(f *cmdutil.Factory, runF func(*RoleNameOptions) error) *cobra.Command {
	return newCmdRoleName(f, &cobra.Command{
		Use:               "get <role name>",
		ValidArgsFunction: completeArgs(f, completeRole),
		Short:             "Gets detailed information of a role",
	}, "role get command requires role name as its argument", runF, runRoleGet)
}

func runRoleGet(o *RoleNameOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleGetResponse, error) {
			return cli.RoleGet(ctx, o.Name)
		},
		func(p *printer.Printer, resp *clientv3.AuthRoleGetResponse) error {
			return p.RoleGet(o.Name, (*pb.AuthRoleGetResponse)(resp))
		})
}

// RoleListOptions are the options of `role list` (none but the factory).
type RoleListOptions struct {
	F *cmdutil.Factory
}

func newCmdRoleList(f *cmdutil.Factory, runF func(*RoleListOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Lists all roles",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("role list command requires no arguments")
			}
			o := &RoleListOptions{F: f}
			if runF != nil {
				return runF(o)
			}
			return runRoleList(o)
		},
	}
}

func runRoleList(o *RoleListOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleListResponse, error) {
			return cli.RoleList(ctx)
		},
		func(p *printer.Printer, resp *clientv3.AuthRoleListResponse) error {
			return p.RoleList((*pb.AuthRoleListResponse)(resp))
		})
}

// roleRangeOpts are the range flags shared by grant-permission and revoke-permission.
type roleRangeOpts struct {
	Prefix, FromKey bool
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
	case o.Prefix && len(rest) > 0:
		return "", cmdutil.BadArgs("unexpected endkey argument with --prefix flag")
	case o.FromKey && len(rest) > 0:
		return "", cmdutil.BadArgs("unexpected endkey argument with --from-key flag")
	case o.Prefix && o.FromKey:
		return "", cmdutil.BadArgs("--from-key and --prefix flags are mutually exclusive")
	case o.Prefix:
		return string(printer.RolePrefixEnd([]byte(key))), nil
	case o.FromKey:
		return "\x00", nil
	case len(rest) > 0:
		return rest[0], nil
	}
	return "", nil
}

// RoleGrantPermissionOptions are the options of `role grant-permission`: the role, the
// permission type, the key as typed and the range end worked out from endkey and the flags.
type RoleGrantPermissionOptions struct {
	F *cmdutil.Factory
	roleRangeOpts
	Role     string
	PermType clientv3.PermissionType
	Key      string
	End      string
}

func newCmdRoleGrantPermission(f *cmdutil.Factory, runF func(*RoleGrantPermissionOptions) error) *cobra.Command {
	o := &RoleGrantPermissionOptions{F: f}
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
			o.Role, o.PermType, o.Key, o.End = args[0], clientv3.PermissionType(perm), args[2], end
			if runF != nil {
				return runF(o)
			}
			return runRoleGrantPermission(o)
		},
	}
	c.Flags().BoolVar(&o.Prefix, "prefix", false, "grant a prefix permission")
	c.Flags().BoolVar(&o.FromKey, "from-key", false, "grant a permission of keys that are greater than or equal to the given key using byte compare")
	return c
}

func runRoleGrantPermission(o *RoleGrantPermissionOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleGrantPermissionResponse, error) {
			return cli.RoleGrantPermission(ctx, o.Role, roleRequestKey(o.Key), o.End, o.PermType)
		},
		func(p *printer.Printer, resp *clientv3.AuthRoleGrantPermissionResponse) error {
			return p.RoleGrantPermission(o.Role, (*pb.AuthRoleGrantPermissionResponse)(resp))
		})
}

// RoleRevokePermissionOptions are the options of `role revoke-permission`.
type RoleRevokePermissionOptions struct {
	F *cmdutil.Factory
	roleRangeOpts
	Role string
	Key  string
	End  string
}

func newCmdRoleRevokePermission(f *cmdutil.Factory, runF func(*RoleRevokePermissionOptions) error) *cobra.Command {
	o := &RoleRevokePermissionOptions{F: f}
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
			o.Role, o.Key, o.End = args[0], args[1], end
			if runF != nil {
				return runF(o)
			}
			return runRoleRevokePermission(o)
		},
	}
	c.Flags().BoolVar(&o.Prefix, "prefix", false, "revoke a prefix permission")
	c.Flags().BoolVar(&o.FromKey, "from-key", false, "revoke a permission of keys that are greater than or equal to the given key using byte compare")
	return c
}

func runRoleRevokePermission(o *RoleRevokePermissionOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthRoleRevokePermissionResponse, error) {
			return cli.RoleRevokePermission(ctx, o.Role, roleRequestKey(o.Key), o.End)
		},
		func(p *printer.Printer, resp *clientv3.AuthRoleRevokePermissionResponse) error {
			return p.RoleRevokePermission(o.Role, o.Key, o.End, (*pb.AuthRoleRevokePermissionResponse)(resp))
		})
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
