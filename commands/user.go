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
		newCmdUserAdd(f, nil),
		newCmdUserDelete(f, nil),
		newCmdUserGet(f, nil),
		newCmdUserList(f, nil),
		newCmdUserPasswd(f, nil),
		newCmdUserGrantRole(f, nil),
		newCmdUserRevokeRole(f, nil),
	)
	return c
}

// UserAddOptions are the options of `user add`: the flags, then the name and password taken from
// the argument (`name` or `name:password`). ReadPassword: the password is still to be read (the
// prompt, or stdin without --interactive), which runUserAdd does.
type UserAddOptions struct {
	F            *cmdutil.Factory
	Interactive  bool
	NewPassword  string
	NoPassword   bool
	Name         string
	Password     string
	ReadPassword bool
}

func newCmdUserAdd(f *cmdutil.Factory, runF func(*UserAddOptions) error) *cobra.Command {
	o := &UserAddOptions{F: f}
	c := &cobra.Command{
		Use:   "add <user name or user:password> [options]",
		Short: "Adds a new user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("user add command requires user name as its argument")
			}
			arg := args[0]
			o.Name = arg
			switch {
			case o.NoPassword:
			case o.NewPassword != "":
				o.Password = o.NewPassword
			default:
				name, password, hasPass := strings.Cut(arg, ":")
				if !hasPass {
					o.ReadPassword = true
					break
				}
				if name == "" {
					return cmdutil.BadArgs("empty user name is not allowed")
				}
				o.Name, o.Password = name, password
			}
			if runF != nil {
				return runF(o)
			}
			return runUserAdd(o)
		},
	}
	c.Flags().BoolVar(&o.Interactive, "interactive", true, "Read password from stdin instead of interactive terminal")
	c.Flags().StringVar(&o.NewPassword, "new-user-password", "", "Supply password from the command line flag")
	c.Flags().BoolVar(&o.NoPassword, "no-password", false, "Create a user without password (CN based auth only)")
	return c
}

func runUserAdd(o *UserAddOptions) error {
	f := o.F
	if o.ReadPassword {
		password, err := userReadPassword(f, o.Interactive, o.Name)
		if err != nil {
			return err
		}
		o.Password = password
	}
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := roleContext()
	resp, err := cli.UserAddWithOptions(ctx, o.Name, o.Password, &clientv3.UserAddOptions{NoPassword: o.NoPassword})
	cancel()
	if err != nil {
		return err
	}
	return p.UserAdd(o.Name, (*pb.AuthUserAddResponse)(resp))
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

// UserNameOptions are the options of the user verbs that take one user name and no flags
// (`user delete`).
type UserNameOptions struct {
	F    *cmdutil.Factory
	Name string
}

func newCmdUserDelete(f *cmdutil.Factory, runF func(*UserNameOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "delete <user name>",
		ValidArgsFunction: completeArgs(f, completeUser),
		Short:             "Deletes a user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("user delete command requires user name as its argument")
			}
			o := &UserNameOptions{F: f, Name: args[0]}
			if runF != nil {
				return runF(o)
			}
			return runUserDelete(o)
		},
	}
}

func runUserDelete(o *UserNameOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserDeleteResponse, error) {
			return cli.UserDelete(ctx, o.Name)
		},
		func(p *printer.Printer, resp *clientv3.AuthUserDeleteResponse) error {
			return p.UserDelete(o.Name, (*pb.AuthUserDeleteResponse)(resp))
		})
}

// UserGetOptions are the options of `user get`.
type UserGetOptions struct {
	F      *cmdutil.Factory
	Name   string
	Detail bool
}

func newCmdUserGet(f *cmdutil.Factory, runF func(*UserGetOptions) error) *cobra.Command {
	o := &UserGetOptions{F: f}
	c := &cobra.Command{
		Use:               "get <user name> [options]",
		ValidArgsFunction: completeArgs(f, completeUser),
		Short:             "Gets detailed information of a user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("user get command requires user name as its argument")
			}
			o.Name = args[0]
			if runF != nil {
				return runF(o)
			}
			return roleRun(f, func(cli *clientv3.Client, p *printer.Printer) error {
				return runUserGet(o, cli, p)
			})
		},
	}
	c.Flags().BoolVar(&o.Detail, "detail", false, "Show permissions of roles granted to the user")
	return c
}

func runUserGet(o *UserGetOptions, cli *clientv3.Client, p *printer.Printer) error {
	name := o.Name
	ctx, cancel := roleContext()
	resp, err := cli.UserGet(ctx, name)
	cancel()
	if err != nil {
		return err
	}
	if !o.Detail {
		return p.UserGet(name, (*pb.AuthUserGetResponse)(resp))
	}
	p.UserDetailHeader(name)
	for _, role := range resp.Roles {
		p.UserDetailGap()
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

// UserListOptions are the options of `user list` (none but the factory).
type UserListOptions struct {
	F *cmdutil.Factory
}

func newCmdUserList(f *cmdutil.Factory, runF func(*UserListOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Lists all users",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("user list command requires no arguments")
			}
			o := &UserListOptions{F: f}
			if runF != nil {
				return runF(o)
			}
			return runUserList(o)
		},
	}
}

func runUserList(o *UserListOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserListResponse, error) {
			return cli.UserList(ctx)
		},
		func(p *printer.Printer, resp *clientv3.AuthUserListResponse) error {
			return p.UserList((*pb.AuthUserListResponse)(resp))
		})
}

// UserPasswdOptions are the options of `user passwd`; the new password is read by runUserPasswd.
type UserPasswdOptions struct {
	F           *cmdutil.Factory
	Name        string
	Interactive bool
}

func newCmdUserPasswd(f *cmdutil.Factory, runF func(*UserPasswdOptions) error) *cobra.Command {
	o := &UserPasswdOptions{F: f}
	c := &cobra.Command{
		Use:               "passwd <user name> [options]",
		ValidArgsFunction: completeArgs(f, completeUser),
		Short:             "Changes password of user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("user passwd command requires user name as its argument")
			}
			o.Name = args[0]
			if runF != nil {
				return runF(o)
			}
			return runUserPasswd(o)
		},
	}
	c.Flags().BoolVar(&o.Interactive, "interactive", true, "If true, read password from stdin instead of interactive terminal")
	return c
}

func runUserPasswd(o *UserPasswdOptions) error {
	password, err := userReadPassword(o.F, o.Interactive, o.Name)
	if err != nil {
		return err
	}
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserChangePasswordResponse, error) {
			return cli.UserChangePassword(ctx, o.Name, password)
		},
		func(p *printer.Printer, resp *clientv3.AuthUserChangePasswordResponse) error {
			return p.UserChangePassword((*pb.AuthUserChangePasswordResponse)(resp))
		})
}

// UserRoleOptions are the options of `user grant-role` and `user revoke-role`.
type UserRoleOptions struct {
	F    *cmdutil.Factory
	User string
	Role string
}

func newCmdUserGrantRole(f *cmdutil.Factory, runF func(*UserRoleOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "grant-role <user name> <role name>",
		ValidArgsFunction: completeArgs(f, completeUser, completeRole),
		Short:             "Grants a role to a user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 2 {
				return cmdutil.BadArgs("user grant command requires user name and role name as its argument")
			}
			o := &UserRoleOptions{F: f, User: args[0], Role: args[1]}
			if runF != nil {
				return runF(o)
			}
			return runUserGrantRole(o)
		},
	}
}

func runUserGrantRole(o *UserRoleOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserGrantRoleResponse, error) {
			return cli.UserGrantRole(ctx, o.User, o.Role)
		},
		func(p *printer.Printer, resp *clientv3.AuthUserGrantRoleResponse) error {
			return p.UserGrantRole(o.User, o.Role, (*pb.AuthUserGrantRoleResponse)(resp))
		})
}

func newCmdUserRevokeRole(f *cmdutil.Factory, runF func(*UserRoleOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "revoke-role <user name> <role name>",
		ValidArgsFunction: completeArgs(f, completeUser, completeRole),
		Short:             "Revokes a role from a user",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 2 {
				return cmdutil.BadArgs("user revoke-role requires user name and role name as its argument")
			}
			o := &UserRoleOptions{F: f, User: args[0], Role: args[1]}
			if runF != nil {
				return runF(o)
			}
			return runUserRevokeRole(o)
		},
	}
}

func runUserRevokeRole(o *UserRoleOptions) error {
	return cmdutil.Request(o.F, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthUserRevokeRoleResponse, error) {
			return cli.UserRevokeRole(ctx, o.User, o.Role)
		},
		func(p *printer.Printer, resp *clientv3.AuthUserRevokeRoleResponse) error {
			return p.UserRevokeRole(o.User, o.Role, (*pb.AuthUserRevokeRoleResponse)(resp))
		})
}
