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
		newCmdMemberAdd(f, nil),
		newCmdMemberRemove(f, nil),
		newCmdMemberUpdate(f, nil),
		newCmdMemberList(f, nil),
		newCmdMemberPromote(f, nil),
	)
	return cmd
}

// MemberListOptions are the options of `member list`.
type MemberListOptions struct {
	F           *cmdutil.Factory
	Consistency string
}

func newCmdMemberList(f *cmdutil.Factory, runF func(*MemberListOptions) error) *cobra.Command {
	o := &MemberListOptions{F: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Lists all members in the cluster",
		Long: "When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.\n" +
			"The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Consistency != "l" && o.Consistency != "s" {
				// Upstream names the default value here, whatever was given.
				return cmdutil.BadFeature("unknown consistency flag %q", "l")
			}
			if runF != nil {
				return runF(o)
			}
			return runMemberList(o)
		},
	}
	cmd.Flags().StringVar(&o.Consistency, "consistency", "l", "Linearizable(l) or Serializable(s)")
	return cmd
}

func runMemberList(o *MemberListOptions) error {
	var opts []clientv3.OpOption
	if o.Consistency == "s" {
		opts = append(opts, clientv3.WithSerializable())
	}
	return cmdutil.Request(o.F, o.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.MemberListResponse, error) {
			return cli.MemberList(ctx, opts...)
		},
		func(p *printer.Printer, resp *clientv3.MemberListResponse) error {
			return p.MemberList((*pb.MemberListResponse)(resp))
		})
}

// msgNoPeerURLs is add's and update's error without --peer-urls.
const msgNoPeerURLs = "member peer urls not provided"

// MemberAddOptions are the options of `member add`.
type MemberAddOptions struct {
	F        *cmdutil.Factory
	Name     string
	PeerURLs string
	Learner  bool
}

func newCmdMemberAdd(f *cmdutil.Factory, runF func(*MemberAddOptions) error) *cobra.Command {
	o := &MemberAddOptions{F: f}
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
			o.Name = args[0]
			if o.PeerURLs == "" {
				return cmdutil.BadArgs(msgNoPeerURLs)
			}
			if runF != nil {
				return runF(o)
			}
			return runMemberAdd(o)
		},
	}
	cmd.Flags().StringVar(&o.PeerURLs, "peer-urls", "", "comma separated peer URLs for the new member.")
	cmd.Flags().BoolVar(&o.Learner, "learner", false, "indicates if the new member is raft learner")
	return cmd
}

// memberConnect checks --peer-urls (already known not to be empty) and connects, in upstream's
// order: the printer (an unknown -w, 4), malformed URLs, then the client.
func memberConnect(f *cmdutil.Factory, peerURLs string) (*printer.Printer, []string, *clientv3.Client, error) {
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

func runMemberAdd(o *MemberAddOptions) error {
	p, urls, cli, err := memberConnect(o.F, o.PeerURLs)
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := o.F.CommandContext()
	var resp *clientv3.MemberAddResponse
	if o.Learner {
		resp, err = cli.MemberAddAsLearner(ctx, urls)
	} else {
		resp, err = cli.MemberAdd(ctx, urls)
	}
	cancel()
	if err != nil {
		return err
	}
	return p.MemberAdd(o.Name, o.PeerURLs, (*pb.MemberAddResponse)(resp))
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

// MemberRemoveOptions are the options of `member remove`.
type MemberRemoveOptions struct {
	F  *cmdutil.Factory
	ID uint64
}

func newCmdMemberRemove(f *cmdutil.Factory, runF func(*MemberRemoveOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "remove <memberID>",
		ValidArgsFunction: completeArgs(f, completeMember),
		Short:             "Removes a member from the cluster",
		RunE: func(cmd *cobra.Command, args []string) error {
			o := &MemberRemoveOptions{F: f}
			id, err := memberParseID(args)
			if err != nil {
				return err
			}
			o.ID = id
			if runF != nil {
				return runF(o)
			}
			return runMemberRemove(o)
		},
	}
}

func runMemberRemove(o *MemberRemoveOptions) error {
	return cmdutil.Request(o.F, o.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.MemberRemoveResponse, error) {
			return cli.MemberRemove(ctx, o.ID)
		},
		func(p *printer.Printer, resp *clientv3.MemberRemoveResponse) error {
			return p.MemberRemove(o.ID, (*pb.MemberRemoveResponse)(resp))
		})
}

// MemberUpdateOptions are the options of `member update`.
type MemberUpdateOptions struct {
	F        *cmdutil.Factory
	ID       uint64
	PeerURLs string
}

func newCmdMemberUpdate(f *cmdutil.Factory, runF func(*MemberUpdateOptions) error) *cobra.Command {
	o := &MemberUpdateOptions{F: f}
	cmd := &cobra.Command{
		Use:               "update <memberID> [options]",
		ValidArgsFunction: completeArgs(f, completeMember),
		Short:             "Updates a member in the cluster",
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := memberParseID(args)
			if err != nil {
				return err
			}
			o.ID = id
			if o.PeerURLs == "" {
				return cmdutil.BadArgs(msgNoPeerURLs)
			}
			if runF != nil {
				return runF(o)
			}
			return runMemberUpdate(o)
		},
	}
	cmd.Flags().StringVar(&o.PeerURLs, "peer-urls", "", "comma separated peer URLs for the updated member.")
	return cmd
}

func runMemberUpdate(o *MemberUpdateOptions) error {
	p, urls, cli, err := memberConnect(o.F, o.PeerURLs)
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := o.F.CommandContext()
	resp, err := cli.MemberUpdate(ctx, o.ID, urls)
	cancel()
	if err != nil {
		return err
	}
	return p.MemberUpdate(o.ID, (*pb.MemberUpdateResponse)(resp))
}

// MemberPromoteOptions are the options of `member promote`.
type MemberPromoteOptions struct {
	F  *cmdutil.Factory
	ID uint64
}

func newCmdMemberPromote(f *cmdutil.Factory, runF func(*MemberPromoteOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "promote <memberID>",
		ValidArgsFunction: completeArgs(f, completeMember),
		Short:             "Promotes a non-voting member in the cluster",
		Long:              "Promotes a non-voting learner member to a voting one in the cluster.",
		RunE: func(cmd *cobra.Command, args []string) error {
			o := &MemberPromoteOptions{F: f}
			id, err := memberParseID(args)
			if err != nil {
				return err
			}
			o.ID = id
			if runF != nil {
				return runF(o)
			}
			return runMemberPromote(o)
		},
	}
}

func runMemberPromote(o *MemberPromoteOptions) error {
	return cmdutil.Request(o.F, o.F.CommandContext,
		func(ctx context.Context, cli *clientv3.Client) (*clientv3.MemberPromoteResponse, error) {
			return cli.MemberPromote(ctx, o.ID)
		},
		func(p *printer.Printer, resp *clientv3.MemberPromoteResponse) error {
			return p.MemberPromote(o.ID, (*pb.MemberPromoteResponse)(resp))
		})
}
