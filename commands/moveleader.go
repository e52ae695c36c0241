package commands

import (
	"context"
	"strconv"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// MoveLeaderOptions is what `move-leader` parsed: the member to hand leadership to.
type MoveLeaderOptions struct {
	F      *cmdutil.Factory
	Target uint64
}

// NewCmdMoveLeader is `move-leader <id>`: hand raft leadership to another member.
func NewCmdMoveLeader(f *cmdutil.Factory) *cobra.Command { return newCmdMoveLeader(f, nil) }

// newCmdMoveLeader builds it; runF, when not nil, receives the parsed options instead of runMoveLeader
// (tests of parsing and validation, no cluster).
func newCmdMoveLeader(f *cmdutil.Factory, runF func(*MoveLeaderOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "move-leader <transferee-member-id>",
		ValidArgsFunction: completeArgs(f, completeMember),
		Short:             "Transfers leadership to another etcd cluster member.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("move-leader command needs 1 argument")
			}
			target, err := strconv.ParseUint(args[0], 16, 64)
			if err != nil {
				return cmdutil.BadArgs("%v", err)
			}
			o := &MoveLeaderOptions{F: f, Target: target}
			if runF != nil {
				return runF(o)
			}
			return runMoveLeader(o)
		},
	}
}

// moveLeaderStatus is what one endpoint answered about itself.
type moveLeaderStatus struct {
	cli  *clientv3.Client
	resp *clientv3.StatusResponse
	err  error
}

// runMoveLeader finds the leader among --endpoints and asks it to transfer leadership to target.
//
// Endpoints are judged in the order given, as upstream does: the first one that fails ends the
// command with its error, the first one that is the leader is used. They are asked concurrently,
// so a later endpoint never delays an earlier answer, and an endpoint that refuses connections is
// an immediate "context deadline exceeded" (upstream's words after waiting out the timeout).
func runMoveLeader(o *MoveLeaderOptions) error {
	f, target := o.F, o.Target
	p, err := f.Printer()
	if err != nil {
		return err
	}
	cfg, err := f.ClientConfig()
	if err != nil {
		return err
	}
	ctx, cancel := f.CommandContext()
	defer cancel()

	eps := cfg.Endpoints
	results := make([]chan moveLeaderStatus, len(eps))
	for i, ep := range eps {
		results[i] = make(chan moveLeaderStatus, 1)
		go func() { results[i] <- moveLeaderAsk(ctx, f, *cfg, ep) }()
	}
	// Every client is closed once its endpoint has answered, whether or not it was looked at;
	// nobody waits for the stragglers.
	defer func() {
		cancel()
		go func() {
			for _, ch := range results {
				if st := <-ch; st.cli != nil {
					st.cli.Close()
				}
			}
		}()
	}()

	for i := range eps {
		st := <-results[i]
		results[i] <- st // put back for the clean-up above
		if st.err != nil {
			return st.err
		}
		if st.resp.Header.GetMemberId() != st.resp.Leader {
			continue
		}
		leader := st.resp.Leader
		resp, err := st.cli.MoveLeader(ctx, target)
		if err != nil {
			return err
		}
		return p.MoveLeader(leader, target, (*pb.MoveLeaderResponse)(resp))
	}
	return cmdutil.BadArgs("no leader endpoint given at %v", eps)
}

// moveLeaderAsk connects to one endpoint and asks for its status.
func moveLeaderAsk(ctx context.Context, f *cmdutil.Factory, cfg clientv3.Config, ep string) moveLeaderStatus {
	if err := cmdutil.ProbeEndpoints([]string{ep}, cfg.DialTimeout); err != nil {
		return moveLeaderStatus{err: context.DeadlineExceeded}
	}
	cfg.Endpoints = []string{ep}
	cli, err := f.ClientFor(cfg)
	if err != nil {
		return moveLeaderStatus{err: err}
	}
	resp, err := cli.Status(ctx, ep)
	return moveLeaderStatus{cli: cli, resp: resp, err: err}
}
