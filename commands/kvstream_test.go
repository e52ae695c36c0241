package commands_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
)

// `get --stream` where upstream's server refuses to stream (custom orders, revision filters):
// upstream 3.7.3 exits 1 with the server's Unimplemented error; ours answers (a deliberate
// difference, listed in the README), byte for byte what the same `get` without --stream prints,
// which is also what the reference prints without --stream.
func TestGetStreamWhereUpstreamRefuses(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{})
	env := []string{"ETCDCTL_ENDPOINTS=" + strings.Join(c.Hosts(), ",")}
	for _, kv := range [][2]string{{"a", "3"}, {"b", "1"}, {"c", "2"}, {"d", "0"}} {
		r := difftest.Run(t, difftest.OurBinary(t), []string{"put", kv[0], kv[1]}, difftest.Opts{Env: env})
		require.Equal(t, 0, r.Code)
	}
	for _, q := range []string{"--order DESCEND", "--sort-by VALUE", "--sort-by MODIFY --order DESCEND",
		"--min-mod-rev 3", "--max-mod-rev 3", "--min-create-rev 2 --max-create-rev 4", "--order DESCEND --limit 2"} {
		for _, w := range []string{"simple", "json", "fields", "protobuf"} {
			args := append([]string{"-w", w, "get", "", "--prefix"}, strings.Fields(q)...)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				streamed := difftest.Run(t, difftest.OurBinary(t), append(args, "--stream"), difftest.Opts{Env: env})
				plain := difftest.Run(t, difftest.OurBinary(t), args, difftest.Opts{Env: env})
				ref := difftest.Run(t, difftest.RefBinary(t), args, difftest.Opts{Env: env})
				require.Equal(t, 0, streamed.Code, "stderr: %s", streamed.Stderr)
				assert.Equal(t, plain.Stdout, streamed.Stdout, "--stream changes nothing but how it is read")
				assert.Equal(t, ref.Stdout, streamed.Stdout, "the reference without --stream")
				refStreamed := difftest.Run(t, difftest.RefBinary(t), append(args, "--stream"), difftest.Opts{Env: env})
				if refStreamed.Code == 0 { // upstream streams some orders (ascending by value)
					assert.Equal(t, refStreamed.Stdout, streamed.Stdout)
					return
				}
				assert.Equal(t, 1, refStreamed.Code)
				assert.Contains(t, refStreamed.FirstErrLine(), "Unimplemented")
			})
		}
	}
}

// The README's claim: a large `get` runs in bounded memory (streamed), byte-identical to the
// reference. 48,000 keys of 1 KiB: our peak RSS (the child's, from the kernel) stays under the
// README's 64 MiB, and the reference's goes over it (so the data set is large enough to tell a
// buffered implementation from a streaming one); the outputs are the same bytes.
func TestKVGetBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 48 MiB")
	}
	c := localcluster.StartT(t, localcluster.Options{Size: 1, Configure: func(_ int, cfg *embed.Config) {
		cfg.QuotaBackendBytes = 1 << 30
	}})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	val := strings.Repeat("v", 1024)
	for i := 0; i < 48000; i += 100 {
		var ops []clientv3.Op
		for j := i; j < i+100; j++ {
			ops = append(ops, clientv3.OpPut(fmt.Sprintf("big/%06d", j), val))
		}
		_, err := cli.Txn(context.Background()).Then(ops...).Commit()
		require.NoError(t, err)
	}
	const bound = 64 << 20
	run := func(bin string, args []string) (sum [32]byte, n int64, rss int64) {
		cmd := exec.Command(bin, append([]string{"--endpoints=" + c.Hosts()[0]}, args...)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
		h := sha256.New()
		cw := &countWriter{w: h}
		cmd.Stdout = cw
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		// The child's own high-water mark (VmHWM of its image after exec), read until it ends:
		// the kernel's rusage of a child also counts the test process it was forked from.
		var peak atomic.Int64
		stop := make(chan struct{})
		polled := make(chan struct{})
		go func() {
			defer close(polled)
			for {
				if v := kvVmHWM(cmd.Process.Pid); v > peak.Load() {
					peak.Store(v)
				}
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		}()
		err := cmd.Wait()
		close(stop)
		<-polled
		require.NoError(t, err, "%s %q: %s", bin, args, stderr.Bytes())
		copy(sum[:], h.Sum(nil))
		return sum, cw.n, peak.Load()
	}
	for _, w := range []string{"simple", "json"} {
		args := []string{"-w", w, "get", "big/", "--prefix"}
		t.Run(w, func(t *testing.T) {
			os, on, orss := run(difftest.OurBinary(t), args)
			rs, rn, rrss := run(difftest.RefBinary(t), args)
			t.Logf("%s: ours %d bytes in %d MiB peak, reference %d bytes in %d MiB", w, on, orss>>20, rn, rrss>>20)
			assert.Equal(t, rn, on, "output size")
			assert.Equal(t, rs, os, "output bytes (sha256)")
			assert.Less(t, orss, int64(bound), "our peak RSS")
			assert.Greater(t, rrss, int64(bound), "the reference's peak RSS: the data set must be large enough to tell")
		})
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}

// kvVmHWM is a running process's peak resident set size in bytes (0 once it is gone).
func kvVmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}
