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
	cmd.AddCommand(newCmdDowngradeValidate(f, nil), newCmdDowngradeEnable(f, nil), newCmdDowngradeCancel(f, nil))
	return cmd
}

// DowngradeOptions is what a downgrade verb parsed: the action (Name is its word) and, for
// validate and enable, the target version as given (the server judges its format).
type DowngradeOptions struct {
	F       *cmdutil.Factory
	Name    string
	Action  clientv3.DowngradeAction
	Version string
}

func newCmdDowngradeValidate(f *cmdutil.Factory, runF func(*DowngradeOptions) error) *cobra.Command {
	return newCmdDowngradeVerb(f, &cobra.Command{
		Use:   "validate <TARGET_VERSION>",
		Short: "Validate downgrade capability before starting downgrade",
	}, "validate", clientv3.DowngradeValidate, runF)
}

func newCmdDowngradeEnable(f *cmdutil.Factory, runF func(*DowngradeOptions) error) *cobra.Command {
	return newCmdDowngradeVerb(f, &cobra.Command{
		Use:   "enable <TARGET_VERSION>",
		Short: "Start a downgrade action to cluster",
	}, "enable", clientv3.DowngradeEnable, runF)
}

// newCmdDowngradeCancel builds `downgrade cancel`, which ignores any argument, as upstream does.
func newCmdDowngradeCancel(f *cmdutil.Factory, runF func(*DowngradeOptions) error) *cobra.Command {
	return newCmdDowngradeVerb(f, &cobra.Command{
		Use:   "cancel",
		Short: "Cancel the ongoing downgrade action to cluster",
	}, "cancel", clientv3.DowngradeCancel, runF)
}

func newCmdDowngradeVerb(f *cmdutil.Factory, c *cobra.Command, name string, action clientv3.DowngradeAction, runF func(*DowngradeOptions) error) *cobra.Command {
	c.RunE = func(cmd *cobra.Command, args []string) error {
		o := &DowngradeOptions{F: f, Name: name, Action: action}
		if action != clientv3.DowngradeCancel {
			switch {
			case len(args) < 1:
				return cmdutil.BadArgs("TARGET_VERSION not provided")
			case len(args) > 1:
				return cmdutil.BadArgs("too many arguments")
			}
			o.Version = args[0]
			if o.Version == "" {
				return cmdutil.BadArgs("target version not provided")
			}
		}
		if runF != nil {
			return runF(o)
		}
		return runDowngrade(o)
	}
	return c
}

// runDowngrade sends one downgrade action.
func runDowngrade(o *DowngradeOptions) error {
	f := o.F
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := f.CommandContext()
	resp, err := cli.Downgrade(ctx, o.Action, o.Version)
	cancel()
	if err != nil {
		return err
	}
	return p.Downgrade(o.Name, (*pb.DowngradeResponse)(resp))
}
