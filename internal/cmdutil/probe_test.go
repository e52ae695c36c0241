package cmdutil

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/flags"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/etcdctl-rewritten/etcdctl/internal/testcerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

func TestProbeServerName(t *testing.T) {
	for ep, want := range map[string]string{
		"127.0.0.1:2379":             "127.0.0.1",
		"localhost:2379":             "localhost",
		"https://localhost:2379":     "localhost",
		"https://[::1]:2379":         "::1",
		"[::1]:2379":                 "::1",
		"unixs://localhost:20000":    "localhost",
		"unix://localhost:20000":     "localhost",
		"unixs:localhost:20000":      "localhost",
		"unixs:///tmp/dir/etcd.sock": "etcd.sock",
		"unixs://relative/sock":      "sock",
		"etcd.example:2379":          "etcd.example",
	} {
		assert.Equal(t, want, tlsServerName(ep), ep)
	}
}

// The fail-fast probe is a shortcut that guesses what the client will do: it may let through a
// command that the client then fails (the client reports it), but it must never fail a command
// that the client would have run. Over every endpoint form etcdctl accepts and every TLS setting,
// wherever the probe says "fail", a real client made from the same flags fails too.
func TestProbeNeverFailsWhatTheClientRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts clusters")
	}
	certs := testcerts.New(t)
	other := testcerts.New(t)
	dir := t.TempDir()
	t.Chdir(dir) // etcd makes `unix://localhost:N` sockets in the working directory, as upstream's tests use them

	tlsPort, err := localcluster.FreePort()
	require.NoError(t, err)
	plainPort, err := localcluster.FreePort()
	require.NoError(t, err)
	deadPort, err := localcluster.FreePort()
	require.NoError(t, err)
	tlsSock := fmt.Sprintf("localhost:%d", tlsPort+10000)
	plainSock := fmt.Sprintf("localhost:%d", plainPort+10000)

	localcluster.SkipIfShort(t)
	start := func(scheme, sockScheme, sock string, port int) {
		c, err := localcluster.Start(localcluster.Options{ClientScheme: scheme, Configure: func(_ int, cfg *embed.Config) {
			cfg.ListenClientUrls = append(cfg.ListenClientUrls, url.URL{Scheme: sockScheme, Host: sock})
			if scheme == "https" {
				cfg.ClientTLSInfo = transport.TLSInfo{CertFile: certs.ServerCert, KeyFile: certs.ServerKey}
			}
			// An extra TCP listener on a port this test chose, so endpoint forms can name it.
			cfg.ListenClientUrls = append(cfg.ListenClientUrls, url.URL{Scheme: scheme, Host: fmt.Sprintf("127.0.0.1:%d", port)})
		}})
		require.NoError(t, err)
		t.Cleanup(c.Close)
	}
	start("https", "unixs", tlsSock, tlsPort)
	start("http", "unix", plainSock, plainPort)

	eps := []string{}
	for _, p := range []int{tlsPort, plainPort, deadPort} {
		eps = append(eps,
			fmt.Sprintf("127.0.0.1:%d", p), fmt.Sprintf("localhost:%d", p), fmt.Sprintf("[::1]:%d", p),
			fmt.Sprintf("http://127.0.0.1:%d", p), fmt.Sprintf("https://127.0.0.1:%d", p), fmt.Sprintf("https://localhost:%d", p))
	}
	for _, s := range []string{tlsSock, plainSock, "localhost:1"} {
		abs := filepath.Join(dir, s)
		eps = append(eps, "unix://"+s, "unixs://"+s, "unix:"+s, "unixs:"+s, "unix://"+abs, "unixs://"+abs)
	}
	settings := map[string]func(g *flags.Global){
		"defaults":         func(g *flags.Global) {},
		"cacert":           func(g *flags.Global) { g.CACert = certs.CAFile },
		"other-ca":         func(g *flags.Global) { g.CACert = other.CAFile },
		"skip-verify":      func(g *flags.Global) { g.InsecureSkipTLSVerify = true },
		"no-insecure":      func(g *flags.Global) { g.InsecureTransport = false },
		"cacert-no-insec":  func(g *flags.Global) { g.CACert = certs.CAFile; g.InsecureTransport = false },
		"other-ca-no-skip": func(g *flags.Global) { g.CACert = other.CAFile; g.InsecureSkipTLSVerify = true },
	}
	// The client checks run concurrently: each that fails waits out its timeout.
	var (
		wg                   sync.WaitGroup
		mu                   sync.Mutex
		checked, probeFailed int
		sem                  = make(chan struct{}, 32)
	)
	for _, ep := range eps {
		for name, set := range settings {
			g := &flags.Global{Endpoints: []string{ep}, DialTimeout: 2 * time.Second, CommandTimeout: 3 * time.Second,
				KeepAliveTime: 2 * time.Second, KeepAliveTimeout: 6 * time.Second, InsecureTransport: true, InsecureDiscovery: true}
			set(g)
			cfg, err := g.ClientConfig(zap.NewNop(), nil)
			require.NoError(t, err, "%s %s", ep, name)
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				c := *cfg
				probeErr := ProbeConfig(&c, cfg.DialTimeout, nil)
				mu.Lock()
				checked++
				if probeErr != nil {
					probeFailed++
				}
				mu.Unlock()
				if probeErr != nil {
					assert.Error(t, clientGet(*cfg), "the probe failed %s with %s (%v) but the client works", ep, name, probeErr)
				}
			}()
		}
	}
	wg.Wait()
	t.Logf("%d endpoint x setting pairs, the probe failed %d of them", checked, probeFailed)
	assert.Positive(t, probeFailed, "the matrix has endpoints that cannot work")
	assert.Less(t, probeFailed, checked, "the matrix has endpoints that work")
}

// clientGet makes one read with a real client, as a command would.
func clientGet(cfg clientv3.Config) error {
	cfg.Logger = zap.NewNop()
	cli, err := clientv3.New(cfg)
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err = cli.Get(ctx, "probe")
	return err
}
