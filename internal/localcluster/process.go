package localcluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Process is a one-member etcd run from a server binary (an older release: Debian's etcd 3.4,
// or 3.5/3.6 built by `make reference`), on free loopback ports, for tests against older servers.
type Process struct {
	Endpoint string // host:port of its client URL
	cmd      *exec.Cmd
}

// StartProcessT starts bin as a fresh one-member cluster and stops it when the test ends.
func StartProcessT(t testing.TB, bin string) *Process {
	t.Helper()
	SkipIfShort(t)
	cp, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	pp, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	client := fmt.Sprintf("http://127.0.0.1:%d", cp)
	peer := fmt.Sprintf("http://127.0.0.1:%d", pp)
	cmd := exec.Command(bin, "--name", "m1", "--data-dir", filepath.Join(dir, "data"),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", "m1="+peer, "--initial-cluster-token", fmt.Sprintf("proc-%d", time.Now().UnixNano()),
		"--log-level", "error")
	log, err := os.Create(filepath.Join(dir, "etcd.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	p := &Process{Endpoint: fmt.Sprintf("127.0.0.1:%d", cp), cmd: cmd}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		log.Close()
	})
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{p.Endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		c, cc := context.WithTimeout(ctx, time.Second)
		_, err = cli.Get(c, "health-probe")
		cc()
		if err == nil {
			return p
		}
		if ctx.Err() != nil {
			out, _ := os.ReadFile(log.Name())
			t.Fatalf("%s not healthy: %v\n%s", bin, err, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
