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
	cmd.AddCommand(newCmdAlarmDisarm(f, nil), newCmdAlarmList(f, nil))
	return cmd
}

// AlarmOptions is what `alarm list` and `alarm disarm` parsed: which of the two (they take no
// arguments).
type AlarmOptions struct {
	F      *cmdutil.Factory
	Action string // "list" or "disarm"
}

func newCmdAlarmDisarm(f *cmdutil.Factory, runF func(*AlarmOptions) error) *cobra.Command {
	return newCmdAlarmVerb(f, &cobra.Command{Use: "disarm", Short: "Disarms all alarms"}, "disarm", runF)
}

func newCmdAlarmList(f *cmdutil.Factory, runF func(*AlarmOptions) error) *cobra.Command {
	return newCmdAlarmVerb(f, &cobra.Command{Use: "list", Short: "Lists all alarms"}, "list", runF)
}

func newCmdAlarmVerb(f *cmdutil.Factory, c *cobra.Command, action string, runF func(*AlarmOptions) error) *cobra.Command {
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) != 0 {
			return cmdutil.BadArgs("alarm %s command accepts no arguments", action)
		}
		o := &AlarmOptions{F: f, Action: action}
		if runF != nil {
			return runF(o)
		}
		return runAlarm(o)
	}
	return c
}

// runAlarm lists (action "list") or disarms (action "disarm") every alarm of the cluster.
func runAlarm(o *AlarmOptions) error {
	f := o.F
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := f.CommandContext()
	var resp *clientv3.AlarmResponse
	if o.Action == "disarm" {
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
