package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/cobra"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Rolling defragmentation: how close a member's applied index must come to the leader's before
// the next member is touched, how often that is polled, and how long a member may take to get
// there after its defragmentation.
const (
	rollingMaxLag      = 20
	rollingPoll        = 100 * time.Millisecond
	rollingCatchUpWait = time.Minute
)

// rollingMember is one member of the cluster, with its own single-endpoint client.
type rollingMember struct {
	id   uint64
	name string
	ep   string
	cli  *clientv3.Client
	err  error // why there is no client
}

func (m *rollingMember) label() string {
	if m.name == "" {
		return fmt.Sprintf("%x", m.id)
	}
	return fmt.Sprintf("%s (%x)", m.name, m.id)
}

// rollingCheck is a member's health as the rolling defragmentation sees it: a linearizable read
// through the member succeeds and no alarm but NOSPACE is raised (defragmentation is the way
// out of NOSPACE, so it does not block). It returns the member's status.
func rollingCheck(ctx context.Context, m *rollingMember) (*clientv3.StatusResponse, error) {
	if _, err := m.cli.Get(ctx, "health"); err != nil && !errors.Is(err, rpctypes.ErrPermissionDenied) {
		return nil, endpointErr(err)
	}
	alarms, err := m.cli.AlarmList(ctx)
	if err != nil {
		return nil, endpointErr(err)
	}
	for _, a := range alarms.Alarms {
		if a.Alarm != pb.AlarmType_NOSPACE {
			return nil, fmt.Errorf("active alarm %s", a.Alarm)
		}
	}
	st, err := m.cli.Status(ctx, m.ep)
	if err != nil {
		return nil, endpointErr(err)
	}
	var errs []string
	for _, e := range st.Errors {
		if !strings.HasSuffix(e, "alarm:"+pb.AlarmType_NOSPACE.String()) { // alarms are listed here too
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("member reports errors: %s", strings.Join(errs, "; "))
	}
	return st, nil
}

// runDefragRolling defragments every member of the cluster, one at a time, followers first and
// the leader last, waiting after each until it is healthy and caught up with the leader.
func runDefragRolling(o *DefragOptions) error {
	p, err := o.F.Printer()
	if err != nil {
		return err
	}
	cfg, err := o.F.ClientConfig()
	if err != nil {
		return err
	}
	members, err := rollingMembers(o.F, cfg)
	if err != nil {
		return err
	}
	defer func() {
		for _, m := range members {
			if m.cli != nil {
				m.cli.Close()
			}
		}
	}()

	// Every member must answer healthy before anything is changed.
	statuses := make([]*clientv3.StatusResponse, len(members))
	errs := make([]error, len(members))
	var wg sync.WaitGroup
	for i, m := range members {
		if m.cli == nil {
			errs[i] = m.err
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := o.F.CommandContext()
			defer cancel()
			statuses[i], errs[i] = rollingCheck(ctx, m)
		}()
	}
	wg.Wait()
	var unhealthy []string
	for i, m := range members {
		if errs[i] != nil {
			unhealthy = append(unhealthy, fmt.Sprintf("  %s %s: %v", m.label(), m.ep, errs[i]))
		}
	}
	if len(unhealthy) > 0 {
		return fmt.Errorf("not every member is healthy, nothing was defragmented; unhealthy:\n%s",
			strings.Join(unhealthy, "\n"))
	}

	// Followers in member-list order, then the leader. The leader is asked again before each
	// member, so that a leader elected meanwhile still goes last.
	leader := statuses[0].Leader
	var order []*rollingMember
	var lead *rollingMember
	for _, m := range members {
		if m.id == leader {
			lead = m
			continue
		}
		order = append(order, m)
	}
	if lead != nil {
		order = append(order, lead)
	}

	var totalBefore, totalAfter int64
	for i := 0; i < len(order); i++ {
		if i > 0 && o.WaitBetween > 0 {
			time.Sleep(o.WaitBetween)
		}
		var (
			m  *rollingMember
			st *clientv3.StatusResponse
		)
		for tries := 0; ; tries++ {
			m = order[i]
			ctx, cancel := o.F.CommandContext()
			st, err = m.cli.Status(ctx, m.ep)
			cancel()
			if err != nil {
				return rollingFailed(o, m, order[i+1:], fmt.Errorf("status before: %w", endpointErr(err)))
			}
			if st.Leader != m.id || i == len(order)-1 || tries >= len(order) {
				break
			}
			// m has become the leader: it goes last.
			order = append(append(order[:i:i], order[i+1:]...), m)
		}
		role := "follower"
		if st.Leader == m.id {
			role = "leader"
		}
		before := st.DbSize

		stop := rollingProgress(o, m, i+1, len(order))
		start := time.Now()
		ctx, cancel := o.F.CommandContext()
		_, err = m.cli.Defragment(ctx, m.ep)
		cancel()
		took := time.Since(start)
		stop()
		if err != nil {
			return rollingFailed(o, m, order[i+1:], endpointErr(err))
		}
		st, err = rollingWaitCaughtUp(o, m, members)
		if err != nil {
			return rollingFailed(o, m, order[i+1:], err)
		}
		after := st.DbSize
		totalBefore += before
		totalAfter += after
		p.DefragRollingMember(m.label(), role, m.ep, before, after, took)
		p.Flush()
		if o.afterStep != nil {
			if err := o.afterStep(m.id); err != nil {
				return err
			}
		}
	}
	p.DefragRollingTotal(len(order), totalBefore, totalAfter)
	return p.Flush()
}

// rollingMembers lists the members (one entry per member ID, whatever its number of client URLs)
// and opens a single-endpoint client to each. A member without a client URL gets no client.
func rollingMembers(f *cmdutil.Factory, cfg *clientv3.Config) ([]*rollingMember, error) {
	fail := func(err error) error {
		return cmdutil.Failed(fmt.Errorf("failed to fetch endpoints from etcd cluster member list: %w", err))
	}
	cli, err := f.ClientFor(*cfg)
	if err != nil {
		if cmdutil.ProbeFailed(err) {
			return nil, fail(context.DeadlineExceeded)
		}
		return nil, cmdutil.Unkind(err)
	}
	defer cli.Close()
	ctx, cancel := f.CommandContext()
	resp, err := cli.MemberList(ctx)
	cancel()
	if err != nil {
		return nil, fail(endpointErr(err))
	}
	seen := map[uint64]bool{}
	var out []*rollingMember
	for _, m := range resp.Members {
		if seen[m.ID] {
			continue
		}
		seen[m.ID] = true
		rm := &rollingMember{id: m.ID, name: m.Name, err: errors.New("no client URL (member not started)")}
		if len(m.ClientURLs) > 0 {
			rm.ep = m.ClientURLs[0]
			c := *cfg
			c.Endpoints = []string{rm.ep}
			rm.cli, rm.err = f.NewClient(c)
		}
		out = append(out, rm)
	}
	return out, nil
}

// rollingWaitCaughtUp polls until m answers healthy and its applied index is within
// rollingMaxLag of the leader's; it returns m's last status.
func rollingWaitCaughtUp(o *DefragOptions, m *rollingMember, members []*rollingMember) (*clientv3.StatusResponse, error) {
	deadline := time.Now().Add(rollingCatchUpWait)
	byID := map[uint64]*rollingMember{}
	for _, x := range members {
		byID[x.id] = x
	}
	var last error
	for {
		ctx, cancel := o.F.CommandContext()
		st, err := rollingCheck(ctx, m)
		if err == nil {
			lead := byID[st.Leader]
			switch {
			case lead == nil || lead.cli == nil:
				err = fmt.Errorf("leader %x unknown", st.Leader)
			case lead == m:
				cancel()
				return st, nil
			default:
				var ls *clientv3.StatusResponse
				if ls, err = lead.cli.Status(ctx, lead.ep); err == nil {
					lag := int64(ls.RaftAppliedIndex) - int64(st.RaftAppliedIndex)
					if lag <= rollingMaxLag {
						cancel()
						return st, nil
					}
					err = fmt.Errorf("applied index %d is %d behind the leader's", st.RaftAppliedIndex, lag)
				}
			}
		}
		cancel()
		last = err
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("not healthy and caught up %v after its defragmentation: %w", rollingCatchUpWait, last)
		}
		time.Sleep(rollingPoll)
	}
}

// rollingFailed reports the member that failed and the members left untouched (exit 1).
func rollingFailed(o *DefragOptions, m *rollingMember, rest []*rollingMember, err error) error {
	msg := fmt.Sprintf("failed to defragment etcd member %s %s: %v", m.label(), m.ep, err)
	if len(rest) > 0 {
		var names []string
		for _, r := range rest {
			names = append(names, r.label())
		}
		msg += "; not defragmented: " + strings.Join(names, ", ")
	}
	return errors.New(msg)
}

// rollingProgress shows, on a terminal only, which member is being defragmented and for how
// long (one stderr line, rewritten). The returned function clears it.
func rollingProgress(o *DefragOptions, m *rollingMember, n, total int) func() {
	start := time.Now()
	return o.F.IO.Progress(0).Run(200*time.Millisecond, func() string {
		return fmt.Sprintf("Defragmenting etcd member %s (%d/%d)... %s", m.label(), n, total,
			time.Since(start).Round(100*time.Millisecond))
	})
}

// defragRollingFlags adds --rolling and --wait-between to defrag, listed after upstream's flags
// so that upstream's help lines stay as they are.
func defragRollingFlags(c *cobra.Command, o *DefragOptions) {
	c.Flags().BoolVar(&o.Rolling, "rolling", false, "with --cluster: defragment one member at a time, followers first and the leader last, each healthy and caught up before the next")
	c.Flags().DurationVar(&o.WaitBetween, "wait-between", 0, "with --rolling: pause between two members")
	withAddedFlags(c, "rolling", "wait-between")
}

// defragCheckRolling rejects --rolling without --cluster and --wait-between without --rolling.
func defragCheckRolling(c *cobra.Command, o *DefragOptions) error {
	if o.Rolling && !o.Cluster {
		return cmdutil.BadArgs("--rolling requires --cluster")
	}
	if c.Flags().Changed("wait-between") && !o.Rolling {
		return cmdutil.BadArgs("--wait-between requires --rolling")
	}
	if o.WaitBetween < 0 {
		return cmdutil.BadArgs("--wait-between must not be negative")
	}
	return nil
}
