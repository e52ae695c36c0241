package commands

import (
	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdAlarm is `alarm`: list and disarm the cluster's alarms.
func NewCmdAlarm(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alarm <subcommand>",
		Short: "Alarm related commands. Use `etcdctl alarm --help` to see subcommands",
		Long:  "Alarm related commands",
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "disarm",
			Short: "Disarms all alarms",
			RunE: func(cmd *cobra.Command, args []string) error {
				return runAlarm(f, "disarm", args)
			},
		},
		&cobra.Command{
			Use:   "list",
			Short: "Lists all alarms",
			RunE: func(cmd *cobra.Command, args []string) error {
				return runAlarm(f, "list", args)
			},
		},
	)
	return cmd
}

// runAlarm lists (action "list") or disarms (action "disarm") every alarm of the cluster.
func runAlarm(f *cmdutil.Factory, action string, args []string) error {
	if len(args) != 0 {
		return cmdutil.BadArgs("alarm %s command accepts no arguments", action)
	}
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := f.CommandContext()
	var resp *clientv3.AlarmResponse
	if action == "disarm" {
		// A zero AlarmMember disarms every alarm the cluster lists.
		resp, err = cli.AlarmDisarm(ctx, &clientv3.AlarmMember{})
	} else {
		resp, err = cli.AlarmList(ctx)
	}
	cancel()
	if err != nil {
		return err
	}
	return p.AlarmList((*pb.AlarmResponse)(resp))
}
