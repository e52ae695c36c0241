package commands

import (
	"context"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdUser is the parent of the user verbs; it only prints its help.
func NewCmdUser(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "user <subcommand>",
		Short: "User related commands. Use `etcdctl user --help` to see subcommands",
		Long:  "User related commands",
	}
	c.AddCommand(
		newCmdUserAdd(f),
		newCmdUserDelete(f),
		newCmdUserGet(f),
		newCmdUserList(f),
		newCmdUserPasswd(f),
		newCmdUserGrantRole(f),
		newCmdUserRevokeRole(f),
	)
	return c
}

// userAddOpts are the options of `user add`.
type userAddOpts struct {
	interactive bool
	newPassword string
	noPassword  bool
}

func newCmdUserAdd(f *cmdutil.Factory) *cobra.Command {
	var o userAddOpts
	c := &cobra.Command{
		Use:   "add <user name or user:password> [options]",
		Short: "Adds a new user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("user add command requires user name as its argument")
			}
			return runUserAdd(f, o, args[0])
		},
	}
	c.Flags().BoolVar(&o.interactive, "interactive", true, "Read password from stdin instead of interactive terminal")
	c.Flags().StringVar(&o.newPassword, "new-user-password", "", "Supply password from the command line flag")
	c.Flags().BoolVar(&o.noPassword, "no-password", false, "Create a user without password (CN based auth only)")
	return c
}

func runUserAdd(f *cmdutil.Factory, o userAddOpts, arg string) error {
	name, password := arg, ""
	switch {
	case o.noPassword:
	case o.newPassword != "":
		password = o.newPassword
	default:
		var hasPass bool
		if name, password, hasPass = strings.Cut(arg, ":"); hasPass {
			if name == "" {
				return cmdutil.BadArgs("empty user name is not allowed")
			}
			break
		}
		var err error
		if password, err = userReadPassword(f, o.interactive, name); err != nil {
			return err
		}
	}
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := roleContext()
	resp, err := cli.UserAddWithOptions(ctx, name, password, &clientv3.UserAddOptions{NoPassword: o.noPassword})
	cancel()
	if err != nil {
		return err
	}
	return p.UserAdd(name, (*pb.AuthUserAddResponse)(resp))
}

// userReadPassword reads a new password for user: asked twice at the prompt when interactive, or
// the first word of stdin's first line otherwise.
func userReadPassword(f *cmdutil.Factory, interactive bool, user string) (string, error) {
	if !interactive {
		line, err := cmdutil.ReadLine(f.IO.In)
		if err != nil && line == "" {
			return "", nil
		}
		if w := strings.Fields(line); len(w) > 0 {
			return w[0], nil
		}
		return "", nil
	}
	pass, err := f.Prompt("Password of " + user + ": ")
	if err != nil {
		return "", cmdutil.AsBadArgs(err)
	}
	if pass == "" {
		return "", cmdutil.BadArgs("empty password")
	}
	again, err := f.Prompt("Type password of " + user + " again for confirmation: ")
	if err != nil {
		return "", cmdutil.AsBadArgs(err)
	}
	if again != pass {
		return "", cmdutil.BadArgs("given passwords are different")
	}
	return pass, nil
}

func newCmdUserDelete(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "delete <user name>",
		ValidArgsFunction: completeArgs(f, completeUser),
		Short:             "Deletes a user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("user delete command requires user name as its argument")
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserDeleteResponse, error) {
					return cli.UserDelete(ctx, args[0])
				},
				func(p *printer.Printer, resp *clientv3.AuthUserDeleteResponse) error {
					return p.UserDelete(args[0], (*pb.AuthUserDeleteResponse)(resp))
				})
		},
	}
}

func newCmdUserGet(f *cmdutil.Factory) *cobra.Command {
	var detail bool
	c := &cobra.Command{
		Use:               "get <user name> [options]",
		ValidArgsFunction: completeArgs(f, completeUser),
		Short:             "Gets detailed information of a user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("user get command requires user name as its argument")
			}
			return roleRun(f, func(cli *clientv3.Client, p *printer.Printer) error {
				return runUserGet(f, cli, p, args[0], detail)
			})
		},
	}
	c.Flags().BoolVar(&detail, "detail", false, "Show permissions of roles granted to the user")
	return c
}

func runUserGet(f *cmdutil.Factory, cli *clientv3.Client, p *printer.Printer, name string, detail bool) error {
	ctx, cancel := roleContext()
	resp, err := cli.UserGet(ctx, name)
	cancel()
	if err != nil {
		return err
	}
	if !detail {
		return p.UserGet(name, (*pb.AuthUserGetResponse)(resp))
	}
	p.UserDetailHeader(name)
	for _, role := range resp.Roles {
		ctx, cancel := roleContext()
		rr, err := cli.RoleGet(ctx, role)
		cancel()
		if err != nil {
			return err
		}
		if err := p.UserDetailRole(role, (*pb.AuthRoleGetResponse)(rr)); err != nil {
			return err
		}
	}
	return nil
}

func newCmdUserList(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Lists all users",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("user list command requires no arguments")
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserListResponse, error) {
					return cli.UserList(ctx)
				},
				func(p *printer.Printer, resp *clientv3.AuthUserListResponse) error {
					return p.UserList((*pb.AuthUserListResponse)(resp))
				})
		},
	}
}

func newCmdUserPasswd(f *cmdutil.Factory) *cobra.Command {
	var interactive bool
	c := &cobra.Command{
		Use:               "passwd <user name> [options]",
		ValidArgsFunction: completeArgs(f, completeUser),
		Short:             "Changes password of user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("user passwd command requires user name as its argument")
			}
			password, err := userReadPassword(f, interactive, args[0])
			if err != nil {
				return err
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserChangePasswordResponse, error) {
					return cli.UserChangePassword(ctx, args[0], password)
				},
				func(p *printer.Printer, resp *clientv3.AuthUserChangePasswordResponse) error {
					return p.UserChangePassword((*pb.AuthUserChangePasswordResponse)(resp))
				})
		},
	}
	c.Flags().BoolVar(&interactive, "interactive", true, "If true, read password from stdin instead of interactive terminal")
	return c
}

func newCmdUserGrantRole(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "grant-role <user name> <role name>",
		ValidArgsFunction: completeArgs(f, completeUser, completeRole),
		Short:             "Grants a role to a user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 2 {
				return cmdutil.BadArgs("user grant command requires user name and role name as its argument")
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserGrantRoleResponse, error) {
					return cli.UserGrantRole(ctx, args[0], args[1])
				},
				func(p *printer.Printer, resp *clientv3.AuthUserGrantRoleResponse) error {
					return p.UserGrantRole(args[0], args[1], (*pb.AuthUserGrantRoleResponse)(resp))
				})
		},
	}
}

func newCmdUserRevokeRole(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "revoke-role <user name> <role name>",
		ValidArgsFunction: completeArgs(f, completeUser, completeRole),
		Short:             "Revokes a role from a user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 2 {
				return cmdutil.BadArgs("user revoke-role requires user name and role name as its argument")
			}
			return cmdutil.Request(f, roleContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserRevokeRoleResponse, error) {
					return cli.UserRevokeRole(ctx, args[0], args[1])
				},
				func(p *printer.Printer, resp *clientv3.AuthUserRevokeRoleResponse) error {
					return p.UserRevokeRole(args[0], args[1], (*pb.AuthUserRevokeRoleResponse)(resp))
				})
		},
	}
}
