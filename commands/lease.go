package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdLease is the `lease` parent command; its verbs are grant, revoke, timetolive, list and
// keep-alive.
func NewCmdLease(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "lease <subcommand>",
		Short: "Lease related commands. Use `etcdctl lease --help` to see subcommands",
		Long:  "Lease related commands",
	}
	c.AddCommand(
		leaseNewGrant(f),
		leaseNewRevoke(f),
		leaseNewTimeToLive(f),
		leaseNewList(f),
		leaseNewKeepAlive(f),
	)
	return c
}

// leaseParseID reads a lease ID given in hex (as upstream: a signed 64-bit hex number).
func leaseParseID(s string) (clientv3.LeaseID, error) {
	id, err := strconv.ParseInt(s, 16, 64)
	if err != nil {
		return 0, cmdutil.BadArgs("bad lease ID arg (%v), expecting ID in Hex", err)
	}
	return clientv3.LeaseID(id), nil
}

// leaseSetup returns the printer and a client, in upstream's order of failures.
func leaseSetup(f *cmdutil.Factory) (*printer.Printer, *clientv3.Client, error) {
	p, err := f.Printer()
	if err != nil {
		return nil, nil, err
	}
	cli, err := f.Client()
	if err != nil {
		return nil, nil, err
	}
	return p, cli, nil
}

// leasePrintErr maps a printer failure to its exit code (an unencodable response is exit 4).
func leasePrintErr(err error) error {
	var me *printer.LeaseMarshalError
	if errors.As(err, &me) {
		return cmdutil.WithCode(cmdutil.ExitBadFeature, err)
	}
	return err
}

func leaseNewGrant(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "grant <ttl>",
		Short: "Creates leases",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("lease grant command needs TTL argument")
			}
			ttl, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return cmdutil.BadArgs("bad TTL (%v)", err)
			}
			p, cli, err := leaseSetup(f)
			if err != nil {
				return err
			}
			defer cli.Close()
			ctx, cancel := f.CommandContext()
			resp, err := cli.Grant(ctx, ttl)
			cancel()
			if err != nil {
				return fmt.Errorf("failed to grant lease (%v)", err)
			}
			return leasePrintErr(p.LeaseGrant(resp))
		},
	}
}

func leaseNewRevoke(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke <leaseID>",
		Short: "Revokes leases",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("lease revoke command needs 1 argument")
			}
			id, err := leaseParseID(args[0])
			if err != nil {
				return err
			}
			p, cli, err := leaseSetup(f)
			if err != nil {
				return err
			}
			defer cli.Close()
			ctx, cancel := f.CommandContext()
			resp, err := cli.Revoke(ctx, id)
			cancel()
			if err != nil {
				return fmt.Errorf("failed to revoke lease (%v)", err)
			}
			return leasePrintErr(p.LeaseRevoke(id, resp))
		},
	}
}

func leaseNewTimeToLive(f *cmdutil.Factory) *cobra.Command {
	var keys bool
	c := &cobra.Command{
		Use:   "timetolive <leaseID> [options]",
		Short: "Get lease information",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("lease timetolive command needs lease ID as argument")
			}
			id, err := leaseParseID(args[0])
			if err != nil {
				return err
			}
			p, cli, err := leaseSetup(f)
			if err != nil {
				return err
			}
			defer cli.Close()
			var opts []clientv3.LeaseOption
			if keys {
				opts = append(opts, clientv3.WithAttachedKeys())
			}
			ctx, cancel := f.CommandContext()
			resp, err := cli.TimeToLive(ctx, id, opts...)
			cancel()
			if err != nil {
				return fmt.Errorf("failed to get TTL of lease (%v)", err)
			}
			return leasePrintErr(p.LeaseTimeToLive(resp, keys))
		},
	}
	c.Flags().BoolVar(&keys, "keys", false, "Get keys attached to this lease")
	return c
}

func leaseNewList(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List all active leases",
		RunE: func(c *cobra.Command, args []string) error {
			p, cli, err := leaseSetup(f)
			if err != nil {
				return err
			}
			defer cli.Close()
			ctx, cancel := f.CommandContext()
			resp, err := cli.Leases(ctx)
			cancel()
			if err != nil {
				return fmt.Errorf("failed to list leases (%v)", err)
			}
			return leasePrintErr(p.LeaseList(resp))
		},
	}
}

func leaseNewKeepAlive(f *cmdutil.Factory) *cobra.Command {
	var once bool
	c := &cobra.Command{
		Use:   "keep-alive [options] <leaseID>",
		Short: "Keeps leases alive (renew)",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.BadArgs("lease keep-alive command needs lease ID as argument")
			}
			id, err := leaseParseID(args[0])
			if err != nil {
				return err
			}
			p, cli, err := leaseSetup(f)
			if err != nil {
				return err
			}
			defer cli.Close()
			if once {
				return leaseKeepAliveOnce(f, p, cli, id)
			}
			return leaseKeepAliveLoop(p, cli, id)
		},
	}
	c.Flags().BoolVar(&once, "once", false, "Resets the keep-alive time to its original value and cobrautl.Exits immediately")
	return c
}

func leaseKeepAliveOnce(f *cmdutil.Factory, p *printer.Printer, cli *clientv3.Client, id clientv3.LeaseID) error {
	ctx, cancel := f.CommandContext()
	resp, err := cli.KeepAliveOnce(ctx, id)
	cancel()
	if err != nil {
		return cmdutil.WithCode(cmdutil.ExitBadConnection, err)
	}
	return leasePrintErr(p.LeaseKeepAlive(resp))
}

// leaseKeepAliveLoop renews the lease until it expires or is revoked, printing every renewal
// at once. The client library sends the renewals (every TTL/3) and moves to another member when
// one fails; Ctrl-C ends the process by the signal, as upstream.
func leaseKeepAliveLoop(p *printer.Printer, cli *clientv3.Client, id clientv3.LeaseID) error {
	ch, err := cli.KeepAlive(context.Background(), id)
	if err != nil {
		return cmdutil.WithCode(cmdutil.ExitBadConnection, err)
	}
	for resp := range ch {
		if err := p.LeaseKeepAlive(resp); err != nil {
			return leasePrintErr(err)
		}
		if err := p.Flush(); err != nil {
			return cmdutil.WithCode(cmdutil.ExitIO, err)
		}
	}
	p.LeaseExpired(id)
	return nil
}
