package bench

import (
	"context"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/etcdctl-rewritten/etcdctl/internal/testcerts"
	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// authTLSCluster starts a TLS-only member with auth enabled (root:rootpw) and returns its
// endpoint and the certificate files.
func authTLSCluster(b *testing.B) (string, *testcerts.Files) {
	certs := testcerts.New(b)
	c, err := localcluster.Start(localcluster.Options{ClientScheme: "https", Configure: func(i int, cfg *embed.Config) {
		cfg.ClientTLSInfo = transport.TLSInfo{CertFile: certs.ServerCert, KeyFile: certs.ServerKey}
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	tc, err := (&transport.TLSInfo{TrustedCAFile: certs.CAFile}).ClientConfig()
	if err != nil {
		b.Fatal(err)
	}
	cli, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints(), TLS: tc, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, step := range []func() error{
		func() error { _, err := cli.UserAdd(ctx, "root", "rootpw"); return err },
		func() error { _, err := cli.RoleAdd(ctx, "root"); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "root", "root"); return err },
		func() error { _, err := cli.AuthEnable(ctx); return err },
	} {
		if err := step(); err != nil {
			b.Fatal(err)
		}
	}
	return c.Endpoints()[0], certs
}

// BenchmarkAuthUserListTLS: whole-process `user list` over TLS with a password (TLS handshake,
// our extra handshake probe, authentication, one RPC), ours vs reference, interleaved.
func BenchmarkAuthUserListTLS(b *testing.B) {
	ep, certs := authTLSCluster(b)
	env := []string{"ETCDCTL_ENDPOINTS=" + ep, "ETCDCTL_CACERT=" + certs.CAFile, "ETCDCTL_USER=root:rootpw"}
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)
	var os, rs []Sample
	for i := 0; i < 30; i++ {
		os = append(os, RunProcess(b, ours, env, "user", "list"))
		rs = append(rs, RunProcess(b, ref, env, "user", "list"))
	}
	for _, s := range append(os, rs...) {
		if s.Code != 0 {
			b.Fatalf("user list exited %d", s.Code)
		}
	}
	om, orss := Stats(os)
	rm, rrss := Stats(rs)
	b.ReportMetric(float64(om.Microseconds())/1000, "ours-ms")
	b.ReportMetric(float64(rm.Microseconds())/1000, "ref-ms")
	b.ReportMetric(float64(om)/float64(rm), "wall-ratio")
	b.ReportMetric(float64(orss)/float64(rrss), "rss-ratio")
}

// BenchmarkAuthTLSWrongCA: time until the error when the server's certificate is not trusted
// (upstream waits for the whole command timeout, 5 s).
func BenchmarkAuthTLSWrongCA(b *testing.B) {
	ep, _ := authTLSCluster(b)
	other := testcerts.New(b)
	env := []string{"ETCDCTL_ENDPOINTS=" + ep, "ETCDCTL_CACERT=" + other.CAFile}
	ours, ref := difftest.OurBinary(b), difftest.RefBinary(b)
	var os []Sample
	for i := 0; i < 10; i++ {
		s := RunProcess(b, ours, env, "auth", "status")
		if s.Code != 1 {
			b.Fatalf("ours exited %d, want 1", s.Code)
		}
		os = append(os, s)
	}
	r := RunProcess(b, ref, env, "auth", "status")
	om, _ := Stats(os)
	b.ReportMetric(float64(om.Microseconds())/1000, "ours-ms")
	b.ReportMetric(float64(r.Wall.Microseconds())/1000, "ref-ms")
	b.ReportMetric(float64(om)/float64(r.Wall), "wall-ratio")
}
