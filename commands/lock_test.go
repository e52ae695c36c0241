package commands_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// lockSyncBuffer is a bytes.Buffer safe for a process writing while the test reads.
type lockSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *lockSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *lockSyncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.b.Bytes()...)
}

// lockProc is a long-running etcdctl (lock, elect, make-mirror) driven by signals.
type lockProc struct {
	t    testing.TB
	cmd  *exec.Cmd
	out  *lockSyncBuffer
	err  *lockSyncBuffer
	done chan struct{}
	res  difftest.Result
}

// lockStart starts bin with args and the minimal environment difftest uses, plus env.
func lockStart(t testing.TB, bin string, args []string, env ...string) *lockProc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}, env...)
	p := &lockProc{t: t, cmd: cmd, out: &lockSyncBuffer{}, err: &lockSyncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.err
	require.NoError(t, cmd.Start())
	go func() {
		err := cmd.Wait()
		p.res = difftest.Result{Stdout: p.out.Bytes(), Stderr: p.err.Bytes()}
		if ee, ok := err.(*exec.ExitError); ok {
			p.res.Code = ee.ExitCode()
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// waitOut waits until stdout matches re (or the process ends, or timeout).
func (p *lockProc) waitOut(re *regexp.Regexp, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if re.Match(p.out.Bytes()) {
			return true
		}
		select {
		case <-p.done:
			return re.Match(p.out.Bytes())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return false
}

// stop sends sig and waits for the process to end.
func (p *lockProc) stop(sig os.Signal) difftest.Result {
	p.t.Helper()
	select {
	case <-p.done:
	default:
		p.cmd.Process.Signal(sig)
	}
	return p.wait(15 * time.Second)
}

func (p *lockProc) wait(timeout time.Duration) difftest.Result {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.cmd.Process.Kill()
		<-p.done
		p.t.Errorf("%v did not end within %v", p.cmd.Args, timeout)
	}
	return p.res
}

// exited reports whether the process has ended.
func (p *lockProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

var (
	lockAnyLine = regexp.MustCompile(`\n`)
	// lockIDs normalizes what differs between two sessions: lease IDs, revisions, base64 keys.
	lockHex16 = regexp.MustCompile(`[0-9a-f]{12,16}`)
	lockNum   = regexp.MustCompile(`[0-9]+`)
	lockB64   = regexp.MustCompile(`"key":"[A-Za-z0-9+/=]+"`)
	lockHexEs = regexp.MustCompile(`(\\x[0-9a-f]{2})+`)
)

func lockNormalize(b []byte) []byte {
	b = lockB64.ReplaceAll(b, []byte(`"key":"K"`))
	b = lockHexEs.ReplaceAll(b, []byte(`HEX`))
	b = lockHex16.ReplaceAll(b, []byte("ID"))
	return lockNum.ReplaceAll(b, []byte("N"))
}

// lockHeld reports how many keys are under the lock's (or election's) prefix.
func lockHeld(t testing.TB, cli *clientv3.Client, name string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, name+"/", clientv3.WithPrefix(), clientv3.WithCountOnly())
	require.NoError(t, err)
	return resp.Count
}

func TestLockArgsAndHelp(t *testing.T) {
	for _, args := range [][]string{
		{"lock", "--help"}, {"lock"}, {"lock", "--ttl"}, {"lock", "--bogus", "x"},
	} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			difftest.Compare(t, args, difftest.Opts{})
		})
	}
}

func TestLockCluster(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ep := "--endpoints=" + c.Hosts()[0]
	ours, ref := difftest.OurBinary(t), difftest.RefBinary(t)

	// Running a command under the lock: its output, exit code (or signal), start failures.
	t.Run("command", func(t *testing.T) {
		for i, argv := range [][]string{
			{"sh", "-c", "echo hi; exit 3"},
			{"sh", "-c", "echo out; echo err >&2"},
			{"sh", "-c", "kill -9 $$"},
			{"/nonexistent-lockmirror"},
			{"nonexistent-lockmirror"},
			{"sh", "-c", `echo "$ETCD_LOCK_KEY $ETCD_LOCK_REV"`},
		} {
			name := "cmdlock" + string(rune('a'+i))
			args := append([]string{ep, "lock", name, "--"}, argv...)
			difftest.Compare(t, args, difftest.Opts{}, lockNormalize)
			assert.Zero(t, lockHeld(t, cli, name), "lock %s released after %v", name, argv)
		}
	})

	// The environment: the lock variables come first, an inherited one of the same name wins.
	t.Run("environment", func(t *testing.T) {
		args := []string{ep, "lock", "envlock", "--", "env"}
		norm := func(b []byte) []byte {
			return regexp.MustCompile(`(?m)^ETCD_LOCK_(KEY|REV)=envlock.*$|^ETCD_LOCK_REV=\d+$`).ReplaceAll(b, []byte("ETCD_LOCK_$1=X"))
		}
		difftest.Compare(t, args, difftest.Opts{Env: []string{"A=1"}}, norm)
		difftest.Compare(t, args, difftest.Opts{Env: []string{"ETCD_LOCK_KEY=mine"}}, norm)
	})

	// Holding without a command: the key is printed in every output format; SIGINT and SIGTERM
	// both end with 0 and release the lock.
	t.Run("hold", func(t *testing.T) {
		for _, tc := range []struct {
			flags []string
			sig   os.Signal
		}{
			{nil, os.Interrupt}, {nil, syscall.SIGTERM}, {[]string{"--hex"}, os.Interrupt},
			{[]string{"-w", "json"}, os.Interrupt}, {[]string{"-w", "fields"}, os.Interrupt},
			{[]string{"-w", "fields", "--hex"}, os.Interrupt}, {[]string{"-w", "protobuf"}, os.Interrupt},
		} {
			var res [2]difftest.Result
			for i, bin := range []string{ours, ref} {
				name := "holdlock"
				args := append(append([]string{ep}, tc.flags...), "lock", name)
				p := lockStart(t, bin, args)
				require.True(t, p.waitOut(regexp.MustCompile(`.`), 10*time.Second), "%s printed the key", bin)
				time.Sleep(100 * time.Millisecond) // the whole response is written at once; let it land
				res[i] = p.stop(tc.sig)
				assert.Zero(t, lockHeld(t, cli, name), "%s released %v", bin, tc.flags)
			}
			if tc.flags != nil && tc.flags[len(tc.flags)-1] == "protobuf" {
				assert.Equal(t, res[1].Code, res[0].Code)
				assert.NotEmpty(t, res[0].Stdout)
				continue
			}
			difftest.AssertSame(t, tc.flags, difftest.Pair{Ours: res[0], Ref: res[1]}, lockNormalize)
		}
	})

	// -w table: upstream acquires, then fails with exit 4 (we also release the lock).
	t.Run("table", func(t *testing.T) {
		difftest.Compare(t, []string{ep, "-w", "table", "lock", "tablelock"}, difftest.Opts{})
		difftest.Compare(t, []string{ep, "-w", "bogus", "lock", "tablelock"}, difftest.Opts{})
	})

	// Waiting for a held lock, then interrupted: "context canceled", exit 1.
	t.Run("interrupted-waiter", func(t *testing.T) {
		holder := lockStart(t, ours, []string{ep, "lock", "busylock"})
		require.True(t, holder.waitOut(lockAnyLine, 10*time.Second))
		var res [2]difftest.Result
		for i, bin := range []string{ours, ref} {
			w := lockStart(t, bin, []string{ep, "lock", "busylock", "--", "echo", "never"})
			time.Sleep(300 * time.Millisecond)
			assert.False(t, w.exited(), "waiter must block")
			res[i] = w.stop(os.Interrupt)
		}
		difftest.AssertSame(t, []string{"lock busylock (waiting)"}, difftest.Pair{Ours: res[0], Ref: res[1]})
		holder.stop(os.Interrupt)
	})

	// Another locker gets the lock right after the holder exits, whatever the exit path.
	t.Run("handover", func(t *testing.T) {
		for _, exit := range []struct {
			name string
			args []string
			end  func(p *lockProc)
		}{
			{"sigint", []string{"lock", "hand"}, func(p *lockProc) { p.stop(os.Interrupt) }},
			{"sigterm", []string{"lock", "hand"}, func(p *lockProc) { p.stop(syscall.SIGTERM) }},
			{"command-ok", []string{"lock", "hand", "--", "sh", "-c", "echo held; sleep 0.5"}, func(p *lockProc) { p.wait(10 * time.Second) }},
			{"command-fails", []string{"lock", "hand", "--", "sh", "-c", "echo held; sleep 0.5; exit 4"}, func(p *lockProc) { p.wait(10 * time.Second) }},
		} {
			holder := lockStart(t, ours, append([]string{ep}, exit.args...))
			require.True(t, holder.waitOut(lockAnyLine, 10*time.Second), exit.name)
			next := lockStart(t, ours, []string{ep, "lock", "hand", "--", "echo", "next"})
			time.Sleep(200 * time.Millisecond)
			assert.False(t, next.exited(), "%s: the second locker waits", exit.name)
			exit.end(holder)
			// The session TTL is 10s: getting the lock within 3s proves it was released, not expired.
			res := next.wait(3 * time.Second)
			assert.Equal(t, "next\n", string(res.Stdout), exit.name)
			assert.Equal(t, 0, res.Code, exit.name)
		}
	})

	// The session's lease is revoked under a holder: "session expired", exit 1.
	t.Run("session-expired", func(t *testing.T) {
		var res [2]difftest.Result
		for i, bin := range []string{ours, ref} {
			p := lockStart(t, bin, []string{ep, "lock", "expiring"})
			require.True(t, p.waitOut(lockAnyLine, 10*time.Second))
			resp, err := cli.Get(context.Background(), "expiring/", clientv3.WithPrefix())
			require.NoError(t, err)
			require.Len(t, resp.Kvs, 1)
			_, err = cli.Revoke(context.Background(), clientv3.LeaseID(resp.Kvs[0].Lease))
			require.NoError(t, err)
			res[i] = p.wait(10 * time.Second)
		}
		difftest.AssertSame(t, []string{"lock expiring"}, difftest.Pair{Ours: res[0], Ref: res[1]}, lockNormalize)
	})
}
