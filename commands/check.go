package commands

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/etcdctl-rewritten/etcdctl/internal/iostreams"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	clientv3 "go.etcd.io/etcd/client/v3"
	"golang.org/x/time/rate"
)

// checkPerfLoad is one `check perf` workload: a target write rate shared by a number of clients.
type checkPerfLoad struct {
	limit   int // writes per second
	clients int
}

// checkPerfLoads are upstream's workloads (s, m, l, xl).
func checkPerfLoads(name string) (checkPerfLoad, bool) {
	switch name {
	case "s":
		return checkPerfLoad{limit: 150, clients: 50}, true
	case "m":
		return checkPerfLoad{limit: 1000, clients: 200}, true
	case "l":
		return checkPerfLoad{limit: 8000, clients: 500}, true
	case "xl":
		return checkPerfLoad{limit: 15000, clients: 1000}, true
	}
	return checkPerfLoad{}, false
}

// checkScaleLoad is one `check datascale` workload: how many key-values, written by how many clients.
type checkScaleLoad struct {
	keys    int
	clients int
}

func checkScaleLoads(name string) (checkScaleLoad, bool) {
	switch name {
	case "s":
		return checkScaleLoad{keys: 10000, clients: 50}, true
	case "m":
		return checkScaleLoad{keys: 100000, clients: 200}, true
	case "l":
		return checkScaleLoad{keys: 1000000, clients: 500}, true
	case "xl":
		return checkScaleLoad{keys: 3000000, clients: 1000}, true
	}
	return checkScaleLoad{}, false
}

// Sizes of the keys (after the prefix) and values both checks write.
const (
	checkKeySize   = 256
	checkValueSize = 1024
	// checkPerfDuration is how long `check perf` writes.
	checkPerfDuration = 60 * time.Second
	// Verdict thresholds of `check perf`.
	checkMinThroughputRatio = 0.9
	checkMaxSlowest         = 0.5 // seconds
	checkMaxStddev          = 0.1 // seconds
	// checkMaxConns bounds the gRPC connections shared by the simulated clients.
	checkMaxConns = 16
)

// CheckStorageOptions are the settings both checks share: where their keys go and the clean-up
// after.
type CheckStorageOptions struct {
	Prefix      string
	AutoCompact bool
	AutoDefrag  bool
}

// CheckPerfOptions is what `check perf` parsed and validated before it touches the environment,
// the printer or the cluster.
type CheckPerfOptions struct {
	F    *cmdutil.Factory
	Load string
	CheckStorageOptions
	// Duration is how long the check writes: upstream's 60 seconds. It is not a flag (upstream
	// has none); tests shorten it through the runF seam.
	Duration time.Duration
}

// CheckDatascaleOptions is what `check datascale` parsed and validated before it touches the
// environment, the printer or the cluster.
type CheckDatascaleOptions struct {
	F    *cmdutil.Factory
	Load string
	CheckStorageOptions
}

// NewCmdCheck is `etcdctl check` with its perf and datascale subcommands.
func NewCmdCheck(f *cmdutil.Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "check <subcommand>",
		Short: "commands for checking properties of the etcd cluster. Use `etcdctl check --help` to see subcommands",
		Long:  "commands for checking properties of the etcd cluster",
	}
	c.AddCommand(newCmdCheckPerf(f, nil), newCmdCheckDatascale(f, nil))
	return c
}

// addStorageFlags adds the flags both checks share.
func (o *CheckStorageOptions) addStorageFlags(fl *pflag.FlagSet, prefix, check string) {
	fl.StringVar(&o.Prefix, "prefix", prefix, "The prefix for writing the "+check+" check's keys.")
	fl.BoolVar(&o.AutoCompact, "auto-compact", false, "Compact storage with last revision after test is finished.")
	fl.BoolVar(&o.AutoDefrag, "auto-defrag", false, "Defragment storage after test is finished.")
}

// newCmdCheckPerf builds `check perf`. runF, when not nil, receives the parsed options instead
// of runCheckPerf.
func newCmdCheckPerf(f *cmdutil.Factory, runF func(*CheckPerfOptions) error) *cobra.Command {
	o := &CheckPerfOptions{F: f, Duration: checkPerfDuration}
	c := &cobra.Command{
		Use:   "perf [options]",
		Short: "Check the performance of the etcd cluster",
		RunE: func(c *cobra.Command, args []string) error {
			if _, ok := checkPerfLoads(o.Load); !ok {
				return cmdutil.BadFeature("unknown load option %s", o.Load)
			}
			if runF != nil {
				return runF(o)
			}
			return runCheckPerf(o)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Load, "load", "s", "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge). Different workload models use different configurations in terms of number of clients and expected throughput.")
	o.addStorageFlags(fl, "/etcdctl-check-perf/", "performance")
	completeLoads(c)
	return c
}

// newCmdCheckDatascale builds `check datascale`. runF, when not nil, receives the parsed options
// instead of runCheckDatascale.
func newCmdCheckDatascale(f *cmdutil.Factory, runF func(*CheckDatascaleOptions) error) *cobra.Command {
	o := &CheckDatascaleOptions{F: f}
	c := &cobra.Command{
		Use:   "datascale [options]",
		Short: "Check the memory usage of holding data for different workloads on a given server endpoint.",
		Long:  "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.",
		RunE: func(c *cobra.Command, args []string) error {
			if _, ok := checkScaleLoads(o.Load); !ok {
				return cmdutil.BadFeature("unknown load option %s", o.Load)
			}
			if runF != nil {
				return runF(o)
			}
			return runCheckDatascale(o)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Load, "load", "s", "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)")
	o.addStorageFlags(fl, "/etcdctl-check-datascale/", "datascale")
	completeLoads(c)
	return c
}

// checkKey is prefix + a 256-byte key starting with a random varint, like upstream's keys.
func checkKey(prefix string, r *rand.Rand) string {
	var k [checkKeySize]byte
	binary.PutVarint(k[:], r.Int64N(math.MaxInt64))
	return prefix + string(k[:])
}

// checkClients opens up to checkMaxConns clients for n simulated clients.
func checkClients(f *cmdutil.Factory, cfg clientv3.Config, n int) ([]*clientv3.Client, error) {
	conns := min(n, checkMaxConns)
	out := make([]*clientv3.Client, 0, conns)
	for range conns {
		c, err := f.NewClient(cfg)
		if err != nil {
			for _, c := range out {
				c.Close()
			}
			return nil, cmdutil.AsBadConnection(err)
		}
		out = append(out, c)
	}
	return out, nil
}

// checkPrefixEmpty fails (exit 3) when the prefix already holds keys.
func checkPrefixEmpty(f *cmdutil.Factory, cli *clientv3.Client, prefix string, msg string) error {
	ctx, cancel := f.CommandContext()
	defer cancel()
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		return err
	}
	if resp.Count > 0 {
		return cmdutil.InvalidInput(msg, prefix, prefix)
	}
	return nil
}

func runCheckPerf(o *CheckPerfOptions) error {
	f := o.F
	load, _ := checkPerfLoads(o.Load)
	p, cli, err := f.Connect()
	if err != nil {
		return err
	}
	defer cli.Close()
	if err := checkPrefixEmpty(f, cli, o.Prefix, "prefix %q has keys. Delete with 'etcdctl del --prefix %s' first"); err != nil {
		return err
	}
	cfg, err := f.ClientConfig()
	if err != nil {
		return err
	}
	clients, err := checkClients(f, *cfg, load.clients)
	if err != nil {
		return err
	}
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()

	dur := o.Duration
	if dur <= 0 {
		dur = checkPerfDuration
	}
	bar := newCheckBar(f, int(dur/time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	limiter := rate.NewLimiter(rate.Limit(load.limit), 1)
	value := string(make([]byte, checkValueSize))
	lat := make([][]float64, load.clients)
	var wg sync.WaitGroup
	for i := range load.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(i)))
			c := clients[i%len(clients)]
			for {
				if err := limiter.Wait(ctx); err != nil {
					return
				}
				// A request in flight when the time is up still completes, so that no write
				// lands after the clean-up below.
				rctx, rcancel := context.WithTimeout(context.Background(), f.Global.CommandTimeout)
				st := time.Now()
				_, err := c.Put(rctx, checkKey(o.Prefix, r), value)
				rcancel()
				if err != nil {
					continue
				}
				lat[i] = append(lat[i], time.Since(st).Seconds())
			}
		}()
	}
	bar.run(ctx, time.Second, func() int64 { return 1 })
	wg.Wait()
	bar.finish()

	var all []float64
	for _, l := range lat {
		all = append(all, l...)
	}
	st := checkStatsOf(all)

	if err := checkCleanup(&o.CheckStorageOptions, cli, p); err != nil {
		return err
	}

	tput := int(float64(st.count) / dur.Seconds())
	res := printer.CheckPerfResult{
		Throughput: tput, ThroughputOK: float64(tput) >= checkMinThroughputRatio*float64(load.limit),
		Slowest: st.slowest, SlowestOK: st.slowest <= checkMaxSlowest,
		Stddev: st.stddev, StddevOK: st.stddev <= checkMaxStddev,
	}
	p.CheckPerf(res)
	if !res.ThroughputOK || !res.SlowestOK || !res.StddevOK {
		return &cmdutil.ReportedError{}
	}
	return nil
}

// checkStats summarises request latencies in seconds.
type checkStats struct {
	count   int
	slowest float64
	stddev  float64
}

func checkStatsOf(l []float64) checkStats {
	s := checkStats{count: len(l)}
	if len(l) == 0 {
		return s
	}
	var sum float64
	for _, v := range l {
		sum += v
		s.slowest = max(s.slowest, v)
	}
	mean := sum / float64(len(l))
	var sq float64
	for _, v := range l {
		sq += (v - mean) * (v - mean)
	}
	s.stddev = math.Sqrt(sq / float64(len(l)))
	return s
}

// checkCleanup deletes the check's keys, then compacts and defragments when asked.
func checkCleanup(o *CheckStorageOptions, cli *clientv3.Client, p *printer.Printer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dresp, err := cli.Delete(ctx, o.Prefix, clientv3.WithPrefix())
	if err != nil {
		return err
	}
	if o.AutoCompact {
		rev := dresp.Header.Revision
		p.CheckCompacting(rev)
		p.Flush()
		if _, err := cli.Compact(ctx, rev, clientv3.WithCompactPhysical()); err != nil {
			return err
		}
		p.CheckCompacted(rev)
		p.Flush()
	}
	if o.AutoDefrag {
		for _, ep := range cli.Endpoints() {
			p.CheckDefragmenting(ep)
			p.Flush()
			if _, err := cli.Defragment(ctx, ep); err != nil {
				return err
			}
			p.CheckDefragmented(ep)
			p.Flush()
		}
	}
	return nil
}

func runCheckDatascale(o *CheckDatascaleOptions) error {
	f := o.F
	load, _ := checkScaleLoads(o.Load)
	p, err := f.Printer()
	if err != nil {
		return err
	}
	cfg, err := f.ClientConfig()
	if err != nil {
		return err
	}
	c := *cfg
	c.Endpoints = c.Endpoints[:1]
	cli, err := f.ClientFor(c)
	if err != nil {
		return err
	}
	defer cli.Close()
	if err := checkPrefixEmpty(f, cli, o.Prefix, "prefix %q has keys. Delete with etcdctl del --prefix %s first"); err != nil {
		return err
	}
	before, err := checkMemory(f, &c)
	if err != nil {
		return err
	}
	clients, err := checkClients(f, c, load.clients)
	if err != nil {
		return err
	}
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()

	p.CheckDatascaleStart(load.keys, checkValueSize, load.clients)
	p.Flush()

	bar := newCheckBar(f, load.keys)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	value := string(make([]byte, checkValueSize))
	var next atomic.Int64
	var done atomic.Int64
	errc := make(chan error, load.clients)
	var wg sync.WaitGroup
	for i := range load.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(i)))
			cl := clients[i%len(clients)]
			for next.Add(1) <= int64(load.keys) {
				if _, err := cl.Put(ctx, checkKey(o.Prefix, r), value); err != nil {
					errc <- err
					cancel()
					return
				}
				done.Add(1)
			}
		}()
	}
	barCtx, barStop := context.WithCancel(ctx)
	go func() { wg.Wait(); barStop() }()
	var last int64
	bar.run(barCtx, 200*time.Millisecond, func() int64 { n := done.Load(); d := n - last; last = n; return d })
	wg.Wait()
	bar.add(done.Load() - last)
	bar.finish()
	select {
	case err := <-errc:
		return err
	default:
	}

	after, err := checkMemory(f, &c)
	if err != nil {
		return err
	}
	if err := checkCleanup(&o.CheckStorageOptions, cli, p); err != nil {
		return err
	}
	used := (after - before) / (1024 * 1024)
	p.CheckDatascalePass(used)
	return nil
}

// checkMemory reads the server's resident memory (bytes) from its /metrics endpoint.
func checkMemory(f *cmdutil.Factory, cfg *clientv3.Config) (float64, error) {
	ep := cfg.Endpoints[0]
	url := ep
	if !strings.Contains(ep, "://") {
		if cfg.TLS != nil {
			url = "https://" + ep
		} else {
			url = "http://" + ep
		}
	}
	client := &http.Client{Timeout: f.Global.CommandTimeout}
	if cfg.TLS != nil {
		client.Transport = &http.Transport{TLSClientConfig: cfg.TLS}
	}
	resp, err := client.Get(strings.TrimSuffix(url, "/") + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return checkParseMemory(resp.Body)
}

// checkParseMemory finds process_resident_memory_bytes in a Prometheus text exposition.
func checkParseMemory(r io.Reader) (float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "process_resident_memory_bytes "); ok {
			return strconv.ParseFloat(strings.TrimSpace(rest), 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("process_resident_memory_bytes not found in metrics")
}

// checkBar is a progress bar on stderr, drawn only when stderr is a terminal.
type checkBar struct {
	prog  *iostreams.Progress
	total int64
	cur   int64
	start time.Time
}

func newCheckBar(f *cmdutil.Factory, total int) *checkBar {
	return &checkBar{prog: f.IO.Progress(0), total: int64(total), start: time.Now()}
}

// run adds step() every tick until ctx ends.
func (b *checkBar) run(ctx context.Context, tick time.Duration, step func() int64) {
	b.draw()
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.add(step())
		}
	}
}

func (b *checkBar) add(n int64) {
	b.cur = min(b.cur+n, b.total)
	b.draw()
}

func (b *checkBar) draw() {
	if !b.prog.Active() {
		return
	}
	const width = 60
	pct := 0.0
	if b.total > 0 {
		pct = float64(b.cur) / float64(b.total)
	}
	filled := int(pct * width)
	bar := strings.Repeat("-", filled)
	if filled < width {
		bar += ">" + strings.Repeat("_", width-filled-1)
	}
	speed := "?"
	if el := time.Since(b.start).Seconds(); el >= 1 && b.cur > 0 {
		speed = strconv.Itoa(int(float64(b.cur) / el))
	}
	b.prog.Draw("%d / %d [%s] %.2f%% %s p/s", b.cur, b.total, bar, pct*100, speed)
}

// finish draws the full bar and keeps it on its line.
func (b *checkBar) finish() {
	b.cur = b.total
	b.draw()
	b.prog.Keep()
}
