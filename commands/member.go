package commands

import (
	"context"
	"strconv"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/client/pkg/v3/types"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// NewCmdMember is `member`: list, add, remove, update and promote cluster members.
func NewCmdMember(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "member <subcommand>",
		Short: "Membership related commands. Use `etcdctl member --help` to see subcommands",
		Long:  "Membership related commands",
	}
	cmd.AddCommand(
		newCmdMemberAdd(f),
		newCmdMemberRemove(f),
		newCmdMemberUpdate(f),
		newCmdMemberList(f),
		newCmdMemberPromote(f),
	)
	return cmd
}

// memberListOptions are the options of `member list`.
type memberListOptions struct {
	f           *cmdutil.Factory
	consistency string
}

func newCmdMemberList(f *cmdutil.Factory) *cobra.Command {
	o := &memberListOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Lists all members in the cluster",
		Long: "When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.\n" +
			"The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.",
		RunE: func(cmd *cobra.Command, args []string) error { return runMemberList(o) },
	}
	cmd.Flags().StringVar(&o.consistency, "consistency", "l", "Linearizable(l) or Serializable(s)")
	return cmd
}

func runMemberList(o *memberListOptions) error {
	var opts []clientv3.OpOption
	switch o.consistency {
	case "l":
	case "s":
		opts = append(opts, clientv3.WithSerializable())
	default:
		// Upstream names the default value here, whatever was given.
		return cmdutil.Errorf(cmdutil.ExitBadFeature, "unknown consistency flag %q", "l")
	}
	return cmdutil.Request(o.f, o.f.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.MemberListResponse, error) {
			return cli.MemberList(ctx, opts...)
		},
		func(p *printer.Printer, resp *clientv3.MemberListResponse) error {
			return p.MemberList((*pb.MemberListResponse)(resp))
		})
}

// memberAddOptions are the options of `member add`.
type memberAddOptions struct {
	f        *cmdutil.Factory
	name     string
	peerURLs string
	learner  bool
}

func newCmdMemberAdd(f *cmdutil.Factory) *cobra.Command {
	o := &memberAddOptions{f: f}
	cmd := &cobra.Command{
		Use:   "add <memberName> [options]",
		Short: "Adds a member into the cluster",
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) < 1:
				return cmdutil.BadArgs("member name not provided")
			case len(args) > 1:
				return cmdutil.BadArgs("too many arguments")
			}
			o.name = args[0]
			return runMemberAdd(o)
		},
	}
	cmd.Flags().StringVar(&o.peerURLs, "peer-urls", "", "comma separated peer URLs for the new member.")
	cmd.Flags().BoolVar(&o.learner, "learner", false, "indicates if the new member is raft learner")
	return cmd
}

// memberConnect checks --peer-urls and connects, in upstream's order: a missing value (128), the
// printer (an unknown -w, 4), malformed URLs, then the client.
func memberConnect(f *cmdutil.Factory, peerURLs string) (*printer.Printer, []string, *clientv3.Client, error) {
	if peerURLs == "" {
		return nil, nil, nil, cmdutil.BadArgs("member peer urls not provided")
	}
	if err := f.Discover(); err != nil {
		return nil, nil, nil, err
	}
	p, err := f.Printer()
	if err != nil {
		return nil, nil, nil, err
	}
	urls, err := memberPeerURLs(peerURLs)
	if err != nil {
		return nil, nil, nil, err
	}
	cli, err := f.Client()
	if err != nil {
		return nil, nil, nil, err
	}
	return p, urls, cli, nil
}

func runMemberAdd(o *memberAddOptions) error {
	p, urls, cli, err := memberConnect(o.f, o.peerURLs)
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := o.f.CommandContext()
	var resp *clientv3.MemberAddResponse
	if o.learner {
		resp, err = cli.MemberAddAsLearner(ctx, urls)
	} else {
		resp, err = cli.MemberAdd(ctx, urls)
	}
	cancel()
	if err != nil {
		return err
	}
	return p.MemberAdd(o.name, o.peerURLs, (*pb.MemberAddResponse)(resp))
}

// memberPeerURLs splits --peer-urls and checks every URL the way the client library will (so a bad
// URL is reported before any connection is tried). The URLs are sent as given.
func memberPeerURLs(s string) ([]string, error) {
	urls := strings.Split(s, ",")
	if _, err := types.NewURLs(urls); err != nil {
		return nil, err
	}
	return urls, nil
}

// memberParseID reads a member ID given in hex.
func memberParseID(args []string) (uint64, error) {
	if len(args) != 1 {
		return 0, cmdutil.BadArgs("member ID is not provided")
	}
	id, err := strconv.ParseUint(args[0], 16, 64)
	if err != nil {
		return 0, cmdutil.BadArgs("bad member ID arg (%v), expecting ID in Hex", err)
	}
	return id, nil
}

// memberIDOptions are the options of the verbs that act on one member by ID.
type memberIDOptions struct {
	f        *cmdutil.Factory
	id       uint64
	peerURLs string
}

func newCmdMemberRemove(f *cmdutil.Factory) *cobra.Command {
	o := &memberIDOptions{f: f}
	return &cobra.Command{
		Use:   "remove <memberID>",
		Short: "Removes a member from the cluster",
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := memberParseID(args)
			if err != nil {
				return err
			}
			o.id = id
			return runMemberRemove(o)
		},
	}
}

func runMemberRemove(o *memberIDOptions) error {
	return cmdutil.Request(o.f, o.f.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.MemberRemoveResponse, error) {
			return cli.MemberRemove(ctx, o.id)
		},
		func(p *printer.Printer, resp *clientv3.MemberRemoveResponse) error {
			return p.MemberRemove(o.id, (*pb.MemberRemoveResponse)(resp))
		})
}

func newCmdMemberUpdate(f *cmdutil.Factory) *cobra.Command {
	o := &memberIDOptions{f: f}
	cmd := &cobra.Command{
		Use:   "update <memberID> [options]",
		Short: "Updates a member in the cluster",
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := memberParseID(args)
			if err != nil {
				return err
			}
			o.id = id
			return runMemberUpdate(o)
		},
	}
	cmd.Flags().StringVar(&o.peerURLs, "peer-urls", "", "comma separated peer URLs for the updated member.")
	return cmd
}

func runMemberUpdate(o *memberIDOptions) error {
	p, urls, cli, err := memberConnect(o.f, o.peerURLs)
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := o.f.CommandContext()
	resp, err := cli.MemberUpdate(ctx, o.id, urls)
	cancel()
	if err != nil {
		return err
	}
	return p.MemberUpdate(o.id, (*pb.MemberUpdateResponse)(resp))
}

func newCmdMemberPromote(f *cmdutil.Factory) *cobra.Command {
	o := &memberIDOptions{f: f}
	return &cobra.Command{
		Use:   "promote <memberID>",
		Short: "Promotes a non-voting member in the cluster",
		Long:  "Promotes a non-voting learner member to a voting one in the cluster.",
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := memberParseID(args)
			if err != nil {
				return err
			}
			o.id = id
			return runMemberPromote(o)
		},
	}
}

func runMemberPromote(o *memberIDOptions) error {
	return cmdutil.Request(o.f, o.f.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.MemberPromoteResponse, error) {
			return cli.MemberPromote(ctx, o.id)
		},
		func(p *printer.Printer, resp *clientv3.MemberPromoteResponse) error {
			return p.MemberPromote(o.id, (*pb.MemberPromoteResponse)(resp))
		})
}
