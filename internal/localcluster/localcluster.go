// Package localcluster runs a real N-member etcd cluster on loopback with go.etcd.io/etcd/server/v3/embed.
// It backs both `make demo` (via cmd/localcluster) and the tests. Ports are always free ports on 127.0.0.1.
package localcluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// Options configure a cluster.
type Options struct {
	Size int    // number of members; 1 when zero
	Dir  string // parent of the members' data dirs; a fresh temp dir when empty
	// ClientScheme is "http" (default) or "https"; with https, Configure must set TLS.
	ClientScheme string
	// Configure, when set, adjusts each member's config before it starts (TLS, quotas, auth...).
	Configure func(i int, cfg *embed.Config)
	// Log receives etcd's own logs; discarded when nil.
	LogLevel string
}

// Member is one etcd member of a Cluster.
type Member struct {
	Name      string
	Dir       string
	ClientURL string
	PeerURL   string

	mu   sync.Mutex
	etcd *embed.Etcd
	cfg  func(state string) *embed.Config
}

// Cluster is a running set of members.
type Cluster struct {
	Members []*Member
	opts    Options
	dir     string
	ownDir  bool
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var errShort = errors.New("a test started a cluster under -short (call localcluster.SkipIfShort first)")

// Start starts a cluster and waits until every member is ready.
func Start(opts Options) (*Cluster, error) {
	if testing.Testing() && testing.Short() {
		// `make test-short` runs no cluster: a test that needs one calls SkipIfShort (StartT
		// and StartProcessT do) before it gets here.
		return nil, errShort
	}
	// A free port can be taken by another process between choosing it and binding it (other
	// tests run in parallel): then start again on other ports.
	for attempt := 0; ; attempt++ {
		c, err := start(opts)
		if err == nil || attempt == 4 || !strings.Contains(err.Error(), "address already in use") {
			return c, err
		}
	}
}

func start(opts Options) (*Cluster, error) {
	if opts.Size <= 0 {
		opts.Size = 1
	}
	if opts.ClientScheme == "" {
		opts.ClientScheme = "http"
	}
	c := &Cluster{opts: opts, dir: opts.Dir}
	if c.dir == "" {
		d, err := os.MkdirTemp("", "localcluster-")
		if err != nil {
			return nil, err
		}
		c.dir, c.ownDir = d, true
	}
	var initial []string
	for i := 0; i < opts.Size; i++ {
		cp, err := FreePort()
		if err != nil {
			return nil, err
		}
		pp, err := FreePort()
		if err != nil {
			return nil, err
		}
		m := &Member{
			Name:      fmt.Sprintf("m%d", i+1),
			ClientURL: fmt.Sprintf("%s://127.0.0.1:%d", opts.ClientScheme, cp),
			PeerURL:   fmt.Sprintf("http://127.0.0.1:%d", pp),
		}
		m.Dir = filepath.Join(c.dir, m.Name+".etcd")
		c.Members = append(c.Members, m)
		initial = append(initial, m.Name+"="+m.PeerURL)
	}
	token := fmt.Sprintf("localcluster-%d", time.Now().UnixNano())
	for i, m := range c.Members {
		i, m := i, m
		m.cfg = func(state string) *embed.Config {
			cfg := embed.NewConfig()
			cfg.Name = m.Name
			cfg.Dir = m.Dir
			cu, _ := url.Parse(m.ClientURL)
			pu, _ := url.Parse(m.PeerURL)
			cfg.ListenClientUrls = []url.URL{*cu}
			cfg.AdvertiseClientUrls = []url.URL{*cu}
			cfg.ListenPeerUrls = []url.URL{*pu}
			cfg.AdvertisePeerUrls = []url.URL{*pu}
			cfg.InitialCluster = strings.Join(initial, ",")
			cfg.InitialClusterToken = token
			cfg.ClusterState = state
			cfg.Logger = "zap"
			cfg.LogLevel = "error"
			if opts.LogLevel != "" {
				cfg.LogLevel = opts.LogLevel
			}
			cfg.LogOutputs = []string{"/dev/null"}
			cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
			cfg.ListenMetricsUrls = nil
			if opts.Configure != nil {
				opts.Configure(i, cfg)
			}
			return cfg
		}
	}
	errs := make([]error, len(c.Members))
	var wg sync.WaitGroup
	for i, m := range c.Members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = m.start(embed.ClusterStateFlagNew)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (m *Member) start(state string) error {
	e, err := embed.StartEtcd(m.cfg(state))
	if err != nil {
		return fmt.Errorf("start %s: %w", m.Name, err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return fmt.Errorf("start %s: %w", m.Name, err)
	case <-time.After(60 * time.Second):
		e.Close()
		return fmt.Errorf("start %s: not ready after 60s", m.Name)
	}
	m.mu.Lock()
	m.etcd = e
	m.mu.Unlock()
	return nil
}

// Stop stops the member, keeping its data so that Restart can bring it back.
func (m *Member) Stop() {
	m.mu.Lock()
	e := m.etcd
	m.etcd = nil
	m.mu.Unlock()
	if e != nil {
		e.Close()
	}
}

// Restart starts a stopped member again on the same ports and data.
func (m *Member) Restart() error {
	if m.Running() {
		return nil
	}
	return m.start(embed.ClusterStateFlagExisting)
}

// Running reports whether the member is started.
func (m *Member) Running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.etcd != nil
}

// ID is the member's ID (zero when stopped).
func (m *Member) ID() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.etcd == nil {
		return 0
	}
	return uint64(m.etcd.Server.MemberID())
}

// IsLeader reports whether the member is running and is the raft leader.
func (m *Member) IsLeader() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.etcd == nil {
		return false
	}
	return m.etcd.Server.Leader() == m.etcd.Server.MemberID()
}

// Endpoints are the client URLs of all members (running or not), in member order.
func (c *Cluster) Endpoints() []string {
	out := make([]string, len(c.Members))
	for i, m := range c.Members {
		out[i] = m.ClientURL
	}
	return out
}

// Hosts are the client endpoints as host:port, without a scheme.
func (c *Cluster) Hosts() []string {
	out := make([]string, len(c.Members))
	for i, m := range c.Members {
		out[i] = strings.TrimPrefix(strings.TrimPrefix(m.ClientURL, "http://"), "https://")
	}
	return out
}

// Leader waits up to timeout for a running member to be leader and returns its index.
func (c *Cluster) Leader(timeout time.Duration) (int, error) {
	deadline := time.Now().Add(timeout)
	for {
		for i, m := range c.Members {
			if m.IsLeader() {
				return i, nil
			}
		}
		if time.Now().After(deadline) {
			return -1, errors.New("no leader elected")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Client returns a plain client to the running members (for test set-up, not for the code under test).
func (c *Cluster) Client() (*clientv3.Client, error) {
	var eps []string
	for _, m := range c.Members {
		if m.Running() {
			eps = append(eps, m.ClientURL)
		}
	}
	return clientv3.New(clientv3.Config{Endpoints: eps, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
}

// WaitHealthy waits until a linearizable read succeeds through every running member.
func (c *Cluster) WaitHealthy(ctx context.Context) error {
	for _, m := range c.Members {
		if !m.Running() {
			continue
		}
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{m.ClientURL}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
		if err != nil {
			return err
		}
		for {
			cctx, cancel := context.WithTimeout(ctx, time.Second)
			_, err = cli.Get(cctx, "health-probe")
			cancel()
			if err == nil || ctx.Err() != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		cli.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// Close stops every member and removes the data dir when the cluster created it.
func (c *Cluster) Close() {
	var wg sync.WaitGroup
	for _, m := range c.Members {
		wg.Add(1)
		go func() { defer wg.Done(); m.Stop() }()
	}
	wg.Wait()
	if c.ownDir {
		os.RemoveAll(c.dir)
	}
}
