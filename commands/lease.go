package commands

import (
	"context"
	"fmt"
	"strconv"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdLease builds `lease` and its subcommands.
func NewCmdLease(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "lease <subcommand>",
		Short: "Lease related commands. Use `etcdctl lease --help` to see subcommands",
		Long:  "Lease related commands",
	}
	c.AddCommand(newCmdLeaseGrant(f, nil), newCmdLeaseRevoke(f, nil), newCmdLeaseTimeToLive(f, nil), newCmdLeaseList(f, nil), newCmdLeaseKeepAlive(f, nil))
	return c
}

// leaseArgID parses a lease ID argument (hex), with upstream's error.
func leaseArgID(s string) (clientv3.LeaseID, error) {
	id, err := strconv.ParseInt(s, 16, 64)
	if err != nil {
		return 0, cmdutil.BadArgs("bad lease ID arg (%v), expecting ID in Hex", err)
	}
	return clientv3.LeaseID(id), nil
}

// LeaseGrantOptions is what `lease grant` parsed and validated before it touches the
// environment, the printer or the cluster.
type LeaseGrantOptions struct {
	F   *cmdutil.Factory
	TTL int64
}

// newCmdLeaseGrant builds `lease grant`. runF, when not nil, receives the parsed options instead
// of runLeaseGrant (tests of parsing and validation, no cluster).
func newCmdLeaseGrant(f *cmdutil.Factory, runF func(*LeaseGrantOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "grant <ttl>",
		Short: "Creates leases",
		RunE: func(c *cobra.Command, args []string) error {
			opts := &LeaseGrantOptions{F: f}
			if len(args) != 1 {
				return cmdutil.BadArgs("lease grant command needs TTL argument")
			}
			ttl, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return cmdutil.BadArgs("bad TTL (%v)", err)
			}
			opts.TTL = ttl
			if runF != nil {
				return runF(opts)
			}
			return runLeaseGrant(opts)
		},
	}
}

func runLeaseGrant(opts *LeaseGrantOptions) error {
	return cmdutil.Request(opts.F, opts.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.LeaseGrantResponse, error) {
			resp, err := cli.Grant(ctx, opts.TTL)
			if err != nil {
				return nil, fmt.Errorf("failed to grant lease (%v)", err)
			}
			return resp, nil
		},
		func(p *printer.Printer, resp *clientv3.LeaseGrantResponse) error { return p.LeaseGrant(resp) })
}

// LeaseRevokeOptions is what `lease revoke` parsed.
type LeaseRevokeOptions struct {
	F  *cmdutil.Factory
	ID clientv3.LeaseID
}

func newCmdLeaseRevoke(f *cmdutil.Factory, runF func(*LeaseRevokeOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "revoke <leaseID>",
		ValidArgsFunction: completeArgs(f, completeLease),
		Short:             "Revokes leases",
		RunE: func(c *cobra.Command, args []string) error {
			opts := &LeaseRevokeOptions{F: f}
			if len(args) != 1 {
				return cmdutil.BadArgs("lease revoke command needs 1 argument")
			}
			id, err := leaseArgID(args[0])
			if err != nil {
				return err
			}
			opts.ID = id
			if runF != nil {
				return runF(opts)
			}
			return runLeaseRevoke(opts)
		},
	}
}

func runLeaseRevoke(opts *LeaseRevokeOptions) error {
	id := opts.ID
	return cmdutil.Request(opts.F, opts.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.LeaseRevokeResponse, error) {
			resp, err := cli.Revoke(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("failed to revoke lease (%v)", err)
			}
			return resp, nil
		},
		func(p *printer.Printer, resp *clientv3.LeaseRevokeResponse) error { return p.LeaseRevoke(id, resp) })
}

// LeaseTimeToLiveOptions is what `lease timetolive` parsed. The ID is parsed in
// runLeaseTimeToLive, after the printer is chosen, as upstream.
type LeaseTimeToLiveOptions struct {
	F     *cmdutil.Factory
	IDArg string
	Keys  bool
}

func newCmdLeaseTimeToLive(f *cmdutil.Factory, runF func(*LeaseTimeToLiveOptions) error) *cobra.Command {
	opts := &LeaseTimeToLiveOptions{F: f}
	c := &cobra.Command{
		Use:               "timetolive <leaseID> [options]",
		ValidArgsFunction: completeArgs(f, completeLease),
		Short:             "Get lease information",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("lease timetolive command needs lease ID as argument")
			}
			opts.IDArg = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runLeaseTimeToLive(opts)
		},
	}
	c.Flags().BoolVar(&opts.Keys, "keys", false, "Get keys attached to this lease")
	return c
}

func runLeaseTimeToLive(o *LeaseTimeToLiveOptions) error {
	f := o.F
	// Upstream chooses the printer (an unknown -w fails) before it parses the ID.
	if _, err := f.Printer(); err != nil {
		return err
	}
	id, err := leaseArgID(o.IDArg)
	if err != nil {
		return err
	}
	var opts []clientv3.LeaseOption
	if o.Keys {
		opts = append(opts, clientv3.WithAttachedKeys())
	}
	// No deadline, as upstream: an unresponsive server makes it wait (like user and role).
	return cmdutil.Request(f, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.LeaseTimeToLiveResponse, error) {
			resp, err := cli.TimeToLive(ctx, id, opts...)
			if err != nil {
				return nil, fmt.Errorf("failed to get TTL of lease (%v)", err)
			}
			return resp, nil
		},
		func(p *printer.Printer, resp *clientv3.LeaseTimeToLiveResponse) error {
			return p.LeaseTimeToLive(resp, o.Keys)
		})
}

// LeaseListOptions is what `lease list` parsed (nothing but the factory: it takes no arguments
// and ignores any).
type LeaseListOptions struct {
	F *cmdutil.Factory
}

func newCmdLeaseList(f *cmdutil.Factory, runF func(*LeaseListOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List all active leases",
		RunE: func(c *cobra.Command, args []string) error {
			opts := &LeaseListOptions{F: f}
			if runF != nil {
				return runF(opts)
			}
			return runLeaseList(opts)
		},
	}
}

func runLeaseList(opts *LeaseListOptions) error {
	f := opts.F
	// No deadline, as upstream.
	return cmdutil.Request(f, roleContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.LeaseLeasesResponse, error) {
			resp, err := cli.Leases(ctx)
			if err != nil && f.Dialect.LeaseListBadConnection {
				return nil, cmdutil.AsBadConnection(err)
			}
			if err != nil {
				return nil, fmt.Errorf("failed to list leases (%v)", err)
			}
			return resp, nil
		},
		func(p *printer.Printer, resp *clientv3.LeaseLeasesResponse) error { return p.LeaseList(resp) })
}

// LeaseKeepAliveOptions is what `lease keep-alive` parsed.
type LeaseKeepAliveOptions struct {
	F    *cmdutil.Factory
	ID   clientv3.LeaseID
	Once bool
}

func newCmdLeaseKeepAlive(f *cmdutil.Factory, runF func(*LeaseKeepAliveOptions) error) *cobra.Command {
	opts := &LeaseKeepAliveOptions{F: f}
	c := &cobra.Command{
		Use:               "keep-alive [options] <leaseID>",
		ValidArgsFunction: completeArgs(f, completeLease),
		Short:             "Keeps leases alive (renew)",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("lease keep-alive command needs lease ID as argument")
			}
			id, err := leaseArgID(args[0])
			if err != nil {
				return err
			}
			opts.ID = id
			if runF != nil {
				return runF(opts)
			}
			return runLeaseKeepAlive(opts)
		},
	}
	c.Flags().BoolVar(&opts.Once, "once", false, "Resets the keep-alive time to its original value and cobrautl.Exits immediately")
	return c
}

func runLeaseKeepAlive(opts *LeaseKeepAliveOptions) error {
	id := opts.ID
	p, cli, err := opts.F.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	if opts.Once {
		ctx, cancel := roleContext() // no deadline, as upstream
		resp, err := cli.KeepAliveOnce(ctx, id)
		cancel()
		if err != nil {
			return cmdutil.AsBadConnection(err)
		}
		return p.LeaseKeepAlive(resp)
	}
	// Runs until the lease is gone; Ctrl-C ends the process as upstream (killed by SIGINT).
	// The client re-establishes the stream through another member if one dies.
	ch, err := cli.KeepAlive(context.Background(), id)
	if err != nil {
		return cmdutil.AsBadConnection(err)
	}
	for resp := range ch {
		if err := p.LeaseKeepAlive(resp); err != nil {
			return err
		}
		if err := p.Flush(); err != nil {
			return cmdutil.AsIO(err)
		}
	}
	return p.LeaseExpired(id)
}
