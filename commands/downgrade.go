package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdDowngrade is `downgrade`: validate, enable or cancel a cluster downgrade.
func NewCmdDowngrade(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "downgrade <TARGET_VERSION>",
		Short: "Downgrade related commands. Use `etcdctl downgrade --help` to see subcommands",
		Long:  "Downgrade related commands",
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "validate <TARGET_VERSION>",
			Short: "Validate downgrade capability before starting downgrade",
			RunE: func(cmd *cobra.Command, args []string) error {
				return runDowngrade(f, "validate", clientv3.DowngradeValidate, args)
			},
		},
		&cobra.Command{
			Use:   "enable <TARGET_VERSION>",
			Short: "Start a downgrade action to cluster",
			RunE: func(cmd *cobra.Command, args []string) error {
				return runDowngrade(f, "enable", clientv3.DowngradeEnable, args)
			},
		},
		&cobra.Command{
			Use:   "cancel",
			Short: "Cancel the ongoing downgrade action to cluster",
			RunE: func(cmd *cobra.Command, args []string) error {
				return runDowngrade(f, "cancel", clientv3.DowngradeCancel, nil)
			},
		},
	)
	return cmd
}

// runDowngrade sends one downgrade action. validate and enable take the target version; cancel
// ignores any argument, as upstream does. The version string goes to the server as given (the
// server judges its format).
func runDowngrade(f *cmdutil.Factory, name string, action clientv3.DowngradeAction, args []string) error {
	version := ""
	if action != clientv3.DowngradeCancel {
		switch {
		case len(args) < 1:
			return cmdutil.BadArgs("TARGET_VERSION not provided")
		case len(args) > 1:
			return cmdutil.BadArgs("too many arguments")
		}
		version = args[0]
		if version == "" {
			return cmdutil.BadArgs("target version not provided")
		}
	}
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := f.CommandContext()
	resp, err := cli.Downgrade(ctx, action, version)
	cancel()
	if err != nil {
		return err
	}
	return p.Downgrade(name, (*pb.DowngradeResponse)(resp))
}
