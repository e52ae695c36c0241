package commands

import (
	"context"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdAuth is the parent of auth enable/disable/status; it only prints its help.
func NewCmdAuth(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "auth <enable or disable>",
		Short: "Enable or disable authentication. Use `etcdctl auth --help` to see subcommands",
		Long:  "Enable or disable authentication",
	}
	c.AddCommand(newCmdAuthEnable(f, nil), newCmdAuthDisable(f, nil), newCmdAuthStatus(f, nil))
	return c
}

// AuthOptions are the options of `auth enable`, `auth disable` and `auth status` (none but the
// factory: they take no arguments).
type AuthOptions struct {
	F *cmdutil.Factory
}

// newCmdAuthVerb builds an auth verb: the argument check, then runF or run.
func newCmdAuthVerb(f *cmdutil.Factory, c *cobra.Command, name string, runF, run func(*AuthOptions) error) *cobra.Command {
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) != 0 {
			return cmdutil.BadArgs("auth %s command does not accept any arguments", name)
		}
		o := &AuthOptions{F: f}
		if runF != nil {
			return runF(o)
		}
		return run(o)
	}
	return c
}

func newCmdAuthEnable(f *cmdutil.Factory, runF func(*AuthOptions) error) *cobra.Command {
	return newCmdAuthVerb(f, &cobra.Command{Use: "enable", Short: "Enables authentication"}, "enable", runF, runAuthEnable)
}

func runAuthEnable(o *AuthOptions) error {
	return cmdutil.Request(o.F, o.F.CommandContext,
		authEnable,
		func(p *printer.Printer, _ *clientv3.AuthEnableResponse) error { p.AuthEnable(); return nil })
}

// authEnable enables authentication. When the root user exists without the root role, upstream
// creates the role, grants it and enables again; so do we (a failure there is the error shown).
func authEnable(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthEnableResponse, error) {
	resp, err := cli.AuthEnable(ctx)
	if err == nil || rpctypes.ErrorDesc(err) != rpctypes.ErrorDesc(rpctypes.ErrRootRoleNotExist) {
		return resp, err
	}
	if _, err := cli.RoleAdd(ctx, "root"); err != nil {
		return nil, err
	}
	if _, err := cli.UserGrantRole(ctx, "root", "root"); err != nil {
		return nil, err
	}
	return cli.AuthEnable(ctx)
}

func newCmdAuthDisable(f *cmdutil.Factory, runF func(*AuthOptions) error) *cobra.Command {
	return newCmdAuthVerb(f, &cobra.Command{Use: "disable", Short: "Disables authentication"}, "disable", runF, runAuthDisable)
}

func runAuthDisable(o *AuthOptions) error {
	return cmdutil.Request(o.F, o.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthDisableResponse, error) {
			return cli.AuthDisable(ctx)
		},
		func(p *printer.Printer, _ *clientv3.AuthDisableResponse) error { p.AuthDisable(); return nil })
}

func newCmdAuthStatus(f *cmdutil.Factory, runF func(*AuthOptions) error) *cobra.Command {
	return newCmdAuthVerb(f, &cobra.Command{Use: "status", Short: "Returns authentication status"}, "status", runF, runAuthStatus)
}

func runAuthStatus(o *AuthOptions) error {
	return cmdutil.Request(o.F, o.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthStatusResponse, error) {
			return cli.AuthStatus(ctx)
		},
		func(p *printer.Printer, resp *clientv3.AuthStatusResponse) error {
			return p.AuthStatus((*pb.AuthStatusResponse)(resp))
		})
}
