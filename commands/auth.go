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
	c.AddCommand(newCmdAuthEnable(f), newCmdAuthDisable(f), newCmdAuthStatus(f))
	return c
}

func newCmdAuthEnable(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "enable",
		Short: "Enables authentication",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("auth enable command does not accept any arguments")
			}
			return cmdutil.Request(f, f.CommandContext,
				authEnable,
				func(p *printer.Printer, _ *clientv3.AuthEnableResponse) error { p.AuthEnable(); return nil })
		},
	}
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

func newCmdAuthDisable(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "disable",
		Short: "Disables authentication",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("auth disable command does not accept any arguments")
			}
			return cmdutil.Request(f, f.CommandContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthDisableResponse, error) {
					return cli.AuthDisable(ctx)
				},
				func(p *printer.Printer, _ *clientv3.AuthDisableResponse) error { p.AuthDisable(); return nil })
		},
	}
}

func newCmdAuthStatus(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Returns authentication status",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return cmdutil.BadArgs("auth status command does not accept any arguments")
			}
			return cmdutil.Request(f, f.CommandContext,
				func(ctx context.Context, cli *clientv3.Client) (*clientv3.AuthStatusResponse, error) {
					return cli.AuthStatus(ctx)
				},
				func(p *printer.Printer, resp *clientv3.AuthStatusResponse) error {
					return p.AuthStatus((*pb.AuthStatusResponse)(resp))
				})
		},
	}
}
