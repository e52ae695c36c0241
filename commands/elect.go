package commands

import (
	"errors"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// ElectOptions is what `elect` parsed: the election's name and the proposal (campaign) or -l
// (observe). Whether they agree is checked by runElect, after the printer is chosen (as upstream).
type ElectOptions struct {
	F           *cmdutil.Factory
	Listen      bool
	Name        string
	Proposal    string
	HasProposal bool
}

// NewCmdElect is `etcdctl elect <election-name> [proposal]`: campaign, or observe with -l.
func NewCmdElect(f *cmdutil.Factory) *cobra.Command { return newCmdElect(f, nil) }

// newCmdElect builds it; runF, when not nil, receives the parsed options instead of runElect
// (tests of parsing and validation, no cluster).
func newCmdElect(f *cmdutil.Factory, runF func(*ElectOptions) error) *cobra.Command {
	o := &ElectOptions{F: f}
	c := &cobra.Command{
		Use:   "elect <election-name> [proposal]",
		Short: "Observes and participates in leader election",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 && len(args) != 2 {
				return cmdutil.BadArgs("elect takes one election name argument and an optional proposal argument")
			}
			o.Name = args[0]
			if len(args) == 2 {
				o.Proposal, o.HasProposal = args[1], true
			}
			if runF != nil {
				return runF(o)
			}
			return runElect(o)
		},
	}
	c.Flags().BoolVarP(&o.Listen, "listen", "l", false, "observation mode")
	return c
}

func runElect(o *ElectOptions) error {
	f := o.F
	// Upstream chooses the printer (an unknown -w fails) before the proposal checks.
	if _, err := f.Printer(); err != nil {
		return err
	}
	switch {
	case o.HasProposal && o.Listen:
		return cmdutil.BadArgs("proposal given but -l is set")
	case !o.HasProposal && !o.Listen:
		return cmdutil.BadArgs("no proposal argument but -l not set")
	}
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()

	ctx, stop := lockSignalContext()
	defer stop()

	s, err := concurrency.NewSession(cli)
	if err != nil {
		return err
	}
	defer lockCloseSession(s)
	e := concurrency.NewElection(s, o.Name)

	if o.Listen {
		for resp := range e.Observe(ctx) {
			if err := p.ElectLeader((*pb.RangeResponse)(resp)); err != nil {
				return err
			}
			p.Flush()
		}
		if ctx.Err() != nil {
			return nil
		}
		return errors.New("observer unexpectedly closed")
	}

	if err := e.Campaign(ctx, o.Proposal); err != nil {
		return err
	}
	defer func() {
		rctx, cancel := lockReleaseContext()
		defer cancel()
		e.Resign(rctx)
	}()
	resp, err := cli.Get(ctx, e.Key())
	if err != nil {
		return err
	}
	if err := p.ElectLeader((*pb.RangeResponse)(resp)); err != nil {
		return err
	}
	p.Flush()

	select {
	case <-ctx.Done():
		return nil
	case <-s.Done():
		return errors.New("elect: session expired")
	}
}
