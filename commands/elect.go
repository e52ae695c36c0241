package commands

import (
	"errors"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/client/v3/concurrency"
)

type electOptions struct {
	f        *cmdutil.Factory
	listen   bool
	name     string
	proposal string
}

// NewCmdElect is `etcdctl elect <election-name> [proposal]`: campaign, or observe with -l.
func NewCmdElect(f *cmdutil.Factory) *cobra.Command {
	o := &electOptions{f: f}
	c := &cobra.Command{
		Use:   "elect <election-name> [proposal]",
		Short: "Observes and participates in leader election",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 && len(args) != 2 {
				return cmdutil.BadArgs("elect takes one election name argument and an optional proposal argument")
			}
			// Upstream chooses the printer (an unknown -w fails) before the proposal checks.
			if _, err := f.Printer(); err != nil {
				return err
			}
			o.name = args[0]
			if len(args) == 2 {
				if o.listen {
					return cmdutil.BadArgs("proposal given but -l is set")
				}
				o.proposal = args[1]
			} else if !o.listen {
				return cmdutil.BadArgs("no proposal argument but -l not set")
			}
			return runElect(o)
		},
	}
	c.Flags().BoolVarP(&o.listen, "listen", "l", false, "observation mode")
	return c
}

func runElect(o *electOptions) error {
	f := o.f
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
	e := concurrency.NewElection(s, o.name)

	if o.listen {
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

	if err := e.Campaign(ctx, o.proposal); err != nil {
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
