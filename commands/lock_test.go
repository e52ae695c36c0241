package commands_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/protobuf/encoding/protowire"
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
	// lockKeyRe is a lock's or election's key in the simple format: the name, then the session's
	// random lease ID in hexadecimal (no leading zeros).
	lockKeyRe = regexp.MustCompile(`([A-Za-z]+)/[0-9a-f]{1,16}\b`)
)

// lockNormalize masks the lease ID in lock and election keys printed as text (twin clusters keep
// every other number, the revisions included, equal). Formats that encode the key (json, --hex,
// protobuf) go through lockHoldTwin, which masks the key read from the cluster.
func lockNormalize(b []byte) []byte { return lockKeyRe.ReplaceAll(b, []byte("$1/<lease>")) }

// lockFieldsEnd is the last line of a key-value response in the fields format.
var lockFieldsEnd = regexp.MustCompile(`"Count" : \d+\n$`)

// lockRecordDone reports whether out ends with a whole key-value response (the held key of lock
// or elect, or an observed proposal) in the format args ask for, as the reference prints it:
// simple, a key and a value line each; json, a line of valid JSON; fields, down to "Count";
// protobuf, whole messages.
func lockRecordDone(args []string, out []byte) bool {
	format := "simple"
	for i, a := range args {
		if a == "-w" && i+1 < len(args) {
			format = args[i+1]
		}
	}
	switch format {
	case "json":
		body, ok := bytes.CutSuffix(out, []byte("\n"))
		return ok && json.Valid(body[bytes.LastIndexByte(body, '\n')+1:])
	case "fields":
		return lockFieldsEnd.Match(out)
	case "protobuf":
		for b := out; len(b) > 0; {
			num, typ, n := protowire.ConsumeTag(b)
			if n < 0 {
				return false
			}
			m := protowire.ConsumeFieldValue(num, typ, b[n:])
			if m < 0 {
				return false
			}
			b = b[n+m:]
		}
		return len(out) > 0
	}
	lines := bytes.Count(out, []byte("\n"))
	return lines >= 2 && lines%2 == 0 && bytes.HasSuffix(out, []byte("\n"))
}

// lockHoldTwin runs bin with args against the cluster at hosts until it holds a key under name/
// (read through cli and handed to check), then stops it with sig. The result's key (which embeds
// the random lease ID), lease ID and cluster IDs are masked, protobuf shown as a field tree.
func lockHoldTwin(t *testing.T, bin string, hosts []string, cli *clientv3.Client, args []string, name string, sig os.Signal,
	check func(bin string, cli *clientv3.Client, kv *mvccpb.KeyValue)) difftest.Result {
	t.Helper()
	p := lockStart(t, bin, append([]string{"--endpoints=" + strings.Join(hosts, ",")}, args...))
	// A key-value record is printed in several writes: wait for all of it.
	waitFor(t, 20*time.Second, fmt.Sprintf("%s %q printed a whole record", bin, args), func() bool { return lockRecordDone(args, p.out.Bytes()) })
	resp, err := cli.Get(context.Background(), name+"/", clientv3.WithPrefix())
	require.NoError(t, err)
	require.Len(t, resp.Kvs, 1, "%s %q holds one key", bin, args)
	kv := resp.Kvs[0]
	if check != nil {
		check(bin, cli, kv)
	}
	res := p.stop(sig)
	assert.Zero(t, lockHeld(t, cli, name), "%s %q released", bin, args)
	for _, a := range args {
		if a == "protobuf" {
			res.Stdout = difftest.ProtoText(res.Stdout)
		}
	}
	res.Stdout = difftest.MaskHosts(hosts, difftest.MaskLeaseID(difftest.MaskKey(res.Stdout, kv.Key, "key"), kv.Lease))
	return res
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
	// The reference is looked up in the subtests that run it: the others run without it.
	ours := difftest.OurBinary(t)

	// Running a command under the lock: its output, exit code (or signal), start failures, on
	// twin clusters (ETCD_LOCK_REV agrees).
	t.Run("command", func(t *testing.T) {
		tw := difftest.NewTwin(t, 1)
		a, b := tw.Clients()
		for i, argv := range [][]string{
			{"sh", "-c", "echo hi; exit 3"},
			{"sh", "-c", "echo out; echo err >&2"},
			{"sh", "-c", "kill -9 $$"},
			{"/nonexistent-lockmirror"},
			{"nonexistent-lockmirror"},
			{"sh", "-c", `echo "$ETCD_LOCK_KEY $ETCD_LOCK_REV"`},
		} {
			name := "cmdlock" + string(rune('a'+i))
			args := append([]string{"lock", name, "--"}, argv...)
			tw.Compare(t, args, difftest.Opts{}, lockNormalize)
			assert.Zero(t, lockHeld(t, a, name), "lock %s released after %v", name, argv)
			assert.Zero(t, lockHeld(t, b, name), "lock %s released after %v by the reference", name, argv)
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

	// Holding without a command: the key is printed in every output format (protobuf compared
	// too); SIGINT and SIGTERM both end with 0 and release the lock. Twin clusters keep the
	// revisions equal, so only the held key (it embeds the random lease ID) and the lease ID are
	// masked. --ttl sets the session lease's TTL (default 10).
	t.Run("hold", func(t *testing.T) {
		ref := difftest.RefBinary(t)
		tw := difftest.NewTwin(t, 1)
		a, b := tw.Clients()
		for _, tc := range []struct {
			flags []string
			ttl   []string
			sig   os.Signal
		}{
			{nil, nil, os.Interrupt}, {nil, nil, syscall.SIGTERM}, {[]string{"--hex"}, nil, os.Interrupt},
			{[]string{"-w", "json"}, nil, os.Interrupt}, {[]string{"-w", "fields"}, nil, os.Interrupt},
			{[]string{"-w", "fields", "--hex"}, nil, os.Interrupt}, {[]string{"-w", "protobuf"}, nil, os.Interrupt},
			{[]string{"-w", "json"}, []string{"--ttl", "7"}, os.Interrupt}, {nil, []string{"--ttl=3"}, syscall.SIGTERM},
		} {
			args := append(append(append([]string{}, tc.flags...), "lock", "holdlock"), tc.ttl...)
			wantTTL := int64(10)
			if len(tc.ttl) > 0 {
				wantTTL, _ = strconv.ParseInt(strings.TrimPrefix(tc.ttl[len(tc.ttl)-1], "--ttl="), 10, 64)
			}
			check := func(bin string, cli *clientv3.Client, kv *mvccpb.KeyValue) {
				ttl, err := cli.TimeToLive(context.Background(), clientv3.LeaseID(kv.Lease))
				require.NoError(t, err)
				assert.Equal(t, wantTTL, ttl.GrantedTTL, "%s %q: the session lease's TTL", bin, args)
			}
			ro := lockHoldTwin(t, ours, tw.A.Hosts(), a, args, "holdlock", tc.sig, check)
			rr := lockHoldTwin(t, ref, tw.B.Hosts(), b, args, "holdlock", tc.sig, check)
			difftest.AssertSame(t, args, difftest.Pair{Ours: ro, Ref: rr})
		}
	})

	// -w table: upstream acquires, then fails with exit 4 (we also release the lock).
	t.Run("table", func(t *testing.T) {
		difftest.Compare(t, []string{ep, "-w", "table", "lock", "tablelock"}, difftest.Opts{})
		difftest.Compare(t, []string{ep, "-w", "bogus", "lock", "tablelock"}, difftest.Opts{})
	})

	// Waiting for a held lock, then interrupted: "context canceled", exit 1.
	t.Run("interrupted-waiter", func(t *testing.T) {
		ref := difftest.RefBinary(t)
		holder := lockStart(t, ours, []string{ep, "lock", "busylock"})
		require.True(t, holder.waitOut(lockAnyLine, 10*time.Second))
		var res [2]difftest.Result
		for i, bin := range []string{ours, ref} {
			w := lockStart(t, bin, []string{ep, "lock", "busylock", "--", "echo", "never"})
			// Queued: its key is written behind the holder's.
			waitFor(t, 20*time.Second, "waiter's key", func() bool { return lockHeld(t, cli, "busylock") == 2 })
			assert.False(t, w.exited(), "waiter must block")
			res[i] = w.stop(os.Interrupt)
			waitFor(t, 20*time.Second, "waiter's key gone", func() bool { return lockHeld(t, cli, "busylock") == 1 })
		}
		difftest.AssertSame(t, []string{"lock busylock (waiting)"}, difftest.Pair{Ours: res[0], Ref: res[1]})
		holder.stop(os.Interrupt)
	})

	// Another locker gets the lock right after the holder exits, whatever the exit path.
	t.Run("handover", func(t *testing.T) {
		gate := filepath.Join(t.TempDir(), "gate")
		openGate := func(p *lockProc) {
			require.NoError(t, os.WriteFile(gate, nil, 0o644))
			p.wait(30 * time.Second)
			require.NoError(t, os.Remove(gate))
		}
		for _, exit := range []struct {
			name string
			args []string
			end  func(p *lockProc)
		}{
			{"sigint", []string{"lock", "hand"}, func(p *lockProc) { p.stop(os.Interrupt) }},
			{"sigterm", []string{"lock", "hand"}, func(p *lockProc) { p.stop(syscall.SIGTERM) }},
			// The command runs until the test lets it end (the file appears).
			{"command-ok", []string{"lock", "hand", "--", "sh", "-c", "echo held; while [ ! -e " + gate + " ]; do sleep 0.02; done"}, openGate},
			{"command-fails", []string{"lock", "hand", "--", "sh", "-c", "echo held; while [ ! -e " + gate + " ]; do sleep 0.02; done; exit 4"}, openGate},
		} {
			// The holder's session lasts 600s: the next locker getting the lock within the
			// test's bound proves it was released, not expired.
			args := append([]string{ep}, exit.args[:2]...)
			args = append(append(args, "--ttl", "600"), exit.args[2:]...)
			holder := lockStart(t, ours, args)
			require.True(t, holder.waitOut(lockAnyLine, 10*time.Second), exit.name)
			next := lockStart(t, ours, []string{ep, "lock", "hand", "--", "echo", "next"})
			waitFor(t, 20*time.Second, exit.name+": the second locker queued", func() bool { return lockHeld(t, cli, "hand") == 2 })
			assert.False(t, next.exited(), "%s: the second locker waits", exit.name)
			exit.end(holder)
			res := next.wait(60 * time.Second)
			assert.Equal(t, "next\n", string(res.Stdout), exit.name)
			assert.Equal(t, 0, res.Code, exit.name)
		}
	})

	// The session's lease is revoked under a holder: "session expired", exit 1.
	t.Run("session-expired", func(t *testing.T) {
		ref := difftest.RefBinary(t)
		tw := difftest.NewTwin(t, 1)
		a, b := tw.Clients()
		var res [2]difftest.Result
		for i, bin := range []string{ours, ref} {
			cli, hosts := a, tw.A.Hosts()
			if i == 1 {
				cli, hosts = b, tw.B.Hosts()
			}
			p := lockStart(t, bin, []string{"--endpoints=" + strings.Join(hosts, ","), "lock", "expiring"})
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
