package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// EndpointHealthOptions is what `endpoint health` parsed before it touches the environment,
// the printer or the cluster.
type EndpointHealthOptions struct {
	F       *cmdutil.Factory
	Cluster bool
}

// EndpointStatusOptions is what `endpoint status` parsed.
type EndpointStatusOptions struct {
	F       *cmdutil.Factory
	Cluster bool
}

// EndpointHashKVOptions is what `endpoint hashkv` parsed.
type EndpointHashKVOptions struct {
	F       *cmdutil.Factory
	Cluster bool
	Rev     int64
}

// NewCmdEndpoint is `etcdctl endpoint` with its status, health and hashkv subcommands.
func NewCmdEndpoint(f *cmdutil.Factory) *cobra.Command {
	return newCmdEndpointWith(newCmdEndpointHealth(f, nil), newCmdEndpointStatus(f, nil), newCmdEndpointHashKV(f, nil))
}

// newCmdEndpointWith is the `endpoint` parent over subs: it carries --cluster, which every
// subcommand reads (endpointCluster).
func newCmdEndpointWith(subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{
		Use:   "endpoint <subcommand>",
		Short: "Endpoint related commands. Use `etcdctl endpoint --help` to see subcommands",
		Long:  "Endpoint related commands",
	}
	c.PersistentFlags().Bool("cluster", false, "use all endpoints from the cluster member list")
	for _, sub := range subs {
		sub.SetUsageFunc(endpointUsage)
		c.AddCommand(sub)
	}
	return c
}

// endpointCluster is the parent's --cluster as the subcommand c parsed it.
func endpointCluster(c *cobra.Command) bool {
	v, _ := c.Flags().GetBool("cluster")
	return v
}

// newCmdEndpointHealth builds `endpoint health`. runF, when not nil, receives the parsed options
// instead of runEndpointHealth.
func newCmdEndpointHealth(f *cmdutil.Factory, runF func(*EndpointHealthOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "health",
		Short: "Checks the healthiness of endpoints specified in `--endpoints` flag",
		RunE: func(c *cobra.Command, _ []string) error {
			opts := &EndpointHealthOptions{F: f, Cluster: endpointCluster(c)}
			if runF != nil {
				return runF(opts)
			}
			return runEndpointHealth(opts)
		},
	}
}

// newCmdEndpointStatus builds `endpoint status`. runF, when not nil, receives the parsed options
// instead of runEndpointStatus.
func newCmdEndpointStatus(f *cmdutil.Factory, runF func(*EndpointStatusOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Prints out the status of endpoints specified in `--endpoints` flag",
		Long: "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\n" +
			"The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.\n",
		RunE: func(c *cobra.Command, _ []string) error {
			opts := &EndpointStatusOptions{F: f, Cluster: endpointCluster(c)}
			if runF != nil {
				return runF(opts)
			}
			return runEndpointStatus(opts)
		},
	}
}

// newCmdEndpointHashKV builds `endpoint hashkv`. runF, when not nil, receives the parsed options
// instead of runEndpointHashKV.
func newCmdEndpointHashKV(f *cmdutil.Factory, runF func(*EndpointHashKVOptions) error) *cobra.Command {
	opts := &EndpointHashKVOptions{F: f}
	c := &cobra.Command{
		Use:   "hashkv",
		Short: "Prints the KV history hash for each endpoint in --endpoints",
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Cluster = endpointCluster(c)
			if runF != nil {
				return runF(opts)
			}
			return runEndpointHashKV(opts)
		},
	}
	c.Flags().Int64Var(&opts.Rev, "rev", 0, "maximum revision to hash (default: latest revision)")
	return c
}

// endpointUsage renders a subcommand's usage with the parent's own persistent flags (--cluster)
// listed under "Global Flags", as upstream does; the root's global flags stay in `etcdctl options`.
func endpointUsage(c *cobra.Command) error {
	parent := c.Parent()
	tmpl := parent.UsageTemplate()
	if inherited := strings.TrimRight(parent.PersistentFlags().FlagUsages(), " \n"); inherited != "" {
		section := "\n\nGlobal Flags:\n" + strings.ReplaceAll(inherited, "{{", "{{`{{`}}")
		const anchor = "{{if .HasHelpSubCommands}}"
		if i := strings.Index(tmpl, anchor); i >= 0 {
			tmpl = tmpl[:i] + section + tmpl[i:]
		} else {
			tmpl = strings.TrimSuffix(tmpl, "\n") + section + "\n"
		}
	}
	c.SetUsageTemplate(tmpl)
	c.SetUsageFunc(nil)
	return c.UsageFunc()(c)
}

// endpointTargets are the endpoints a command addresses: --endpoints, or with --cluster the client
// URLs of every member in the member list (in member-list order).
func endpointTargets(f *cmdutil.Factory, cluster bool) (*clientv3.Config, []string, error) {
	cfg, err := f.ClientConfig()
	if err != nil {
		return nil, nil, err
	}
	if !cluster {
		return cfg, cfg.Endpoints, nil
	}
	fail := func(err error) error {
		return fmt.Errorf("failed to fetch endpoints from etcd cluster member list: %w", err)
	}
	cli, err := f.ClientFor(*cfg)
	if err != nil {
		if cmdutil.ProbeFailed(err) {
			// Every endpoint refused: upstream waits for the command timeout and reports it.
			return nil, nil, cmdutil.Failed(fail(context.DeadlineExceeded))
		}
		// The client could not be built (authentication, for one): exit 1 with the bare error.
		return nil, nil, cmdutil.Unkind(err)
	}
	defer cli.Close()
	ctx, cancel := f.CommandContext()
	defer cancel()
	resp, err := cli.MemberList(ctx)
	if err != nil {
		return nil, nil, cmdutil.Failed(fail(endpointErr(err)))
	}
	var eps []string
	for _, m := range resp.Members {
		eps = append(eps, m.ClientURLs...)
	}
	return cfg, eps, nil
}

// endpointFatal is the first error that upstream would have hit while building its client for
// all endpoints (authentication failures and the like): exit 2 before printing anything.
func endpointFatal(errs []error) error {
	for _, err := range errs {
		if _, ok := cmdutil.Kind(err).(*cmdutil.BadConnectionError); ok {
			return err
		}
	}
	return nil
}

// endpointErr is the text-level error upstream shows for a client error.
func endpointErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return context.DeadlineExceeded
	}
	return err
}

// endpointEach runs fn against every endpoint concurrently, each with its own single-endpoint
// client and --command-timeout. An endpoint that refuses connections fails at once with the error
// upstream reports after its timeout (context deadline exceeded). done, when set, is called as
// each endpoint finishes (from its goroutine).
func endpointEach(f *cmdutil.Factory, cfg *clientv3.Config, eps []string,
	fn func(ctx context.Context, cli *clientv3.Client, i int) error, done func(i int, err error)) []error {
	errs := make([]error, len(eps))
	var wg sync.WaitGroup
	for i, ep := range eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = endpointOne(f, cfg, ep, func(ctx context.Context, cli *clientv3.Client) error {
				return fn(ctx, cli, i)
			})
			if done != nil {
				done(i, errs[i])
			}
		}()
	}
	wg.Wait()
	return errs
}

func endpointOne(f *cmdutil.Factory, cfg *clientv3.Config, ep string,
	fn func(ctx context.Context, cli *clientv3.Client) error) error {
	c := *cfg
	c.Endpoints = []string{ep}
	cli, err := f.ClientFor(c)
	if err != nil {
		if cmdutil.ProbeFailed(err) {
			return context.DeadlineExceeded // what upstream reports once its timeout runs out
		}
		return err
	}
	defer cli.Close()
	ctx, cancel := f.CommandContext()
	defer cancel()
	return endpointErr(fn(ctx, cli))
}

func runEndpointStatus(o *EndpointStatusOptions) error {
	p, err := o.F.Printer()
	if err != nil {
		return err
	}
	cfg, eps, err := endpointTargets(o.F, o.Cluster)
	if err != nil {
		return err
	}
	statuses := make([]*pb.StatusResponse, len(eps))
	errs := endpointEach(o.F, cfg, eps, func(ctx context.Context, cli *clientv3.Client, i int) error {
		resp, err := cli.Status(ctx, eps[i])
		if err == nil {
			statuses[i] = (*pb.StatusResponse)(resp)
		}
		return err
	}, nil)
	if err := endpointFatal(errs); err != nil {
		return err
	}
	var rows []printer.EndpointStatusRow
	failed := false
	for i, ep := range eps {
		if errs[i] != nil {
			failed = true
			fmt.Fprintf(o.F.IO.ErrOut, "Failed to get the status of endpoint %s (%v)\n", ep, errs[i])
			continue
		}
		rows = append(rows, printer.EndpointStatusRow{Endpoint: ep, Status: statuses[i]})
	}
	if err := p.EndpointStatus(rows); err != nil {
		return err
	}
	if failed {
		return &cmdutil.ReportedError{}
	}
	return nil
}

func runEndpointHashKV(o *EndpointHashKVOptions) error {
	p, err := o.F.Printer()
	if err != nil {
		return err
	}
	cfg, eps, err := endpointTargets(o.F, o.Cluster)
	if err != nil {
		return err
	}
	hashes := make([]*pb.HashKVResponse, len(eps))
	errs := endpointEach(o.F, cfg, eps, func(ctx context.Context, cli *clientv3.Client, i int) error {
		resp, err := cli.HashKV(ctx, eps[i], o.Rev)
		if err == nil {
			hashes[i] = (*pb.HashKVResponse)(resp)
		}
		return err
	}, nil)
	if err := endpointFatal(errs); err != nil {
		return err
	}
	var rows []printer.EndpointHashKVRow
	var last error
	for i, ep := range eps {
		if errs[i] != nil {
			last = errs[i]
			fmt.Fprintf(o.F.IO.ErrOut, "Failed to get the hash of endpoint %s (%v)\n", ep, errs[i])
			continue
		}
		rows = append(rows, printer.EndpointHashKVRow{Endpoint: ep, HashKV: hashes[i]})
	}
	if err := p.EndpointHashKV(rows); err != nil {
		return err
	}
	if last != nil {
		return cmdutil.Failed(last)
	}
	return nil
}

// endpointUnhealthy is upstream's final error when any endpoint is unhealthy.
func endpointUnhealthy() error {
	return errors.New("unhealthy cluster")
}

func runEndpointHealth(o *EndpointHealthOptions) error {
	p, err := o.F.Printer()
	if err != nil {
		return err
	}
	if p.Format == printer.Protobuf {
		return p.Unsupported()
	}
	cfg, eps, err := endpointTargets(o.F, o.Cluster)
	if err != nil {
		return err
	}
	// Results are reported in the order they complete, as upstream does.
	var mu sync.Mutex
	var rows []printer.EndpointHealthRow
	healthy := true
	starts := make([]time.Time, len(eps))
	for i := range starts {
		starts[i] = time.Now()
	}
	endpointEach(o.F, cfg, eps, func(ctx context.Context, cli *clientv3.Client, i int) error {
		starts[i] = time.Now()
		return endpointCheckHealth(ctx, cli)
	}, func(i int, err error) {
		row := printer.EndpointHealthRow{Endpoint: eps[i], Health: err == nil, Took: time.Since(starts[i]).String()}
		if err != nil {
			row.Error = err.Error()
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			healthy = false
		}
		if p.Format == printer.Simple {
			if row.Health {
				p.EndpointHealthy(row)
				p.Flush()
			} else {
				line, _ := printer.EndpointHealthLine(row)
				fmt.Fprint(o.F.IO.ErrOut, line)
			}
			return
		}
		rows = append(rows, row)
	})
	if p.Format != printer.Simple {
		if err := p.EndpointHealth(rows); err != nil {
			return err
		}
	}
	if !healthy {
		return endpointUnhealthy()
	}
	return nil
}

// endpointCheckHealth commits a read through raft (a permission error still proves the cluster
// answers) and then checks that no alarm is raised.
func endpointCheckHealth(ctx context.Context, cli *clientv3.Client) error {
	_, err := cli.Get(ctx, "health")
	if err != nil && !errors.Is(err, rpctypes.ErrPermissionDenied) {
		return endpointErr(err)
	}
	resp, err := cli.AlarmList(ctx)
	if err != nil {
		return errors.New("Unable to fetch the alarm list")
	}
	if len(resp.Alarms) > 0 {
		var sb strings.Builder
		sb.WriteString("Active Alarm(s): ")
		for _, a := range resp.Alarms {
			sb.WriteString(a.Alarm.String())
			sb.WriteByte(' ')
		}
		return errors.New(sb.String())
	}
	return nil
}
