package commands_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
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

// watchCaughtUp matches the last event of the fixed history on wk1 (simple or json): a watch
// from the history's first revision that printed it has caught up.
var watchCaughtUp = regexp.MustCompile(`DELETE\nwk1\n|"type":1`)

// watchRunFor runs bin for d with stdin kept open (interactive mode must not see EOF), then kills
// it unless it ended by itself. Code is -1 when it was killed. A NUL in stdin is a pause: what
// follows is written only once the output shows the watch caught up (watchCaughtUp), so that a
// progress request is answered at the same point by both binaries.
func watchRunFor(t *testing.T, bin string, args, env []string, stdin string, d time.Duration) difftest.Result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	so, se := &lockSyncBuffer{}, &lockSyncBuffer{}
	cmd.Stdout, cmd.Stderr = so, se
	in, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	parts := strings.Split(stdin, "\x00")
	io.WriteString(in, parts[0])
	for _, part := range parts[1:] {
		deadline := time.Now().Add(20 * time.Second)
		for !watchCaughtUp.Match(so.Bytes()) && time.Now().Before(deadline) {
			select {
			case <-done:
			case <-time.After(10 * time.Millisecond):
			}
		}
		io.WriteString(in, part)
	}
	select {
	case <-done:
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
	}
	in.Close()
	return difftest.Result{Stdout: so.Bytes(), Stderr: se.Bytes(), Code: cmd.ProcessState.ExitCode()}
}

// watchBoth runs both binaries as watchRunFor does, side by side.
func watchBoth(t *testing.T, args, env []string, stdin string, d time.Duration) difftest.Pair {
	t.Helper()
	var p difftest.Pair
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.Ours = watchRunFor(t, difftest.OurBinary(t), args, env, stdin, d) }()
	go func() { defer wg.Done(); p.Ref = watchRunFor(t, difftest.RefBinary(t), args, env, stdin, d) }()
	wg.Wait()
	return p
}

// watchCase is one side-by-side run of the differential watch tests.
type watchCase struct {
	name  string
	args  []string
	env   []string
	stdin string
	norm  []difftest.Normalizer
	pair  difftest.Pair
}

// watchSortLines separates the events of concurrent watches, which interleave freely: the events
// (simple: a PUT or DELETE line, the key, the value; json: one response a line) are grouped by
// key, each group keeping its events in the order printed, the groups in key order. Bytes are not
// touched, so a wrong event, value or order within one key still fails. Output it cannot split is
// returned as it is.
func watchSortLines(b []byte) []byte {
	s := string(b)
	if strings.HasPrefix(s, "{") {
		lines := strings.SplitAfter(s, "\n")
		key := func(l string) string {
			var r struct {
				Events []struct{ Kv struct{ Key []byte } }
			}
			if json.Unmarshal([]byte(l), &r) != nil || len(r.Events) == 0 {
				return ""
			}
			return string(r.Events[0].Kv.Key)
		}
		sort.SliceStable(lines, func(i, j int) bool { return key(lines[i]) < key(lines[j]) })
		return []byte(strings.Join(lines, ""))
	}
	lines := strings.SplitAfter(s, "\n")
	type event struct{ key, text string }
	var evs []event
	for i := 0; i < len(lines); {
		switch lines[i] {
		case "PUT\n":
			if i+2 >= len(lines) {
				return b
			}
			evs = append(evs, event{lines[i+1], strings.Join(lines[i:i+3], "")})
			i += 3
		case "DELETE\n":
			if i+1 >= len(lines) {
				return b
			}
			n := 2
			if i+2 < len(lines) && lines[i+2] == "\n" {
				n = 3
			}
			evs = append(evs, event{lines[i+1], strings.Join(lines[i:i+n], "")})
			i += n
		case "":
			i++
		default:
			return b
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].key < evs[j].key })
	var out strings.Builder
	for _, e := range evs {
		out.WriteString(e.text)
	}
	return []byte(out.String())
}

// watchRunAll runs the cases eight at a time (each mostly waits), then checks each in a subtest.
func watchRunAll(t *testing.T, cases []*watchCase) {
	t.Helper()
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, wc := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			wc.pair = watchBoth(t, wc.args, wc.env, wc.stdin, 1200*time.Millisecond)
		}()
	}
	wg.Wait()
	for _, wc := range cases {
		t.Run(wc.name, func(t *testing.T) { difftest.AssertSame(t, wc.args, wc.pair, wc.norm...) })
	}
}

func TestWatchDifferential(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	env := []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}
	ctx := context.Background()

	// A fixed history; the watches replay it from its first revision, so both binaries see
	// exactly the same events (same revisions, same member) and every byte must match.
	pr, err := cli.Put(ctx, "wk1", "a")
	require.NoError(t, err)
	start := pr.Header.Revision
	_, err = cli.Put(ctx, "wk1", "b")
	require.NoError(t, err)
	_, err = cli.Put(ctx, "wk2", "x\xff\"y")
	require.NoError(t, err)
	_, err = cli.Txn(ctx).Then(clientv3.OpPut("wk3", "c"), clientv3.OpDelete("wk1"), clientv3.OpPut("other", "o")).Commit()
	require.NoError(t, err)
	rev := fmt.Sprint(start)

	cases := [][]string{
		{"watch", "--rev", rev, "--prefix", "wk"},
		{"watch", "--rev", rev, "--prefix", "wk", "--prev-kv"},
		{"watch", "--rev", rev, "wk1"},
		{"watch", "--rev", rev, "wk1", "wk3"},
		{"watch", "--rev", rev, "wk1", "wk3", "extra"},
		{"watch", "--rev", rev, "--prefix", "", "--prev-kv"},
		{"watch", "--rev", rev, "--prefix", "wk", "--", "sh", "-c", `echo "$ETCD_WATCH_REVISION $ETCD_WATCH_EVENT_TYPE $ETCD_WATCH_KEY $ETCD_WATCH_VALUE"`},
		{"watch", "--rev", rev, "wk1", "wk3", "echo", "--", "echo", "run"},
		{"watch", "--rev", rev, "wk1", "--", "false"},
		{"watch", "--rev", rev, "wk1", "--", "/nonexistent/cmd"},
	}
	var all []*watchCase
	for _, base := range cases {
		for _, w := range []string{"simple", "json", "fields", "protobuf", "table"} {
			for _, hex := range []bool{false, true} {
				if hex && (w == "json" || w == "table") {
					continue
				}
				args := append([]string{"-w", w}, base...)
				if hex {
					args = append([]string{"--hex"}, args...)
				}
				all = append(all, &watchCase{name: strings.Join(args, " "), args: args, env: env})
			}
		}
	}
	envCases := []struct {
		env  []string
		args []string
	}{
		{[]string{"ETCDCTL_WATCH_KEY=wk1"}, []string{"watch", "--rev", rev}},
		{[]string{"ETCDCTL_WATCH_KEY=wk1", "ETCDCTL_WATCH_RANGE_END=wk3"}, []string{"watch", "--rev", rev}},
		{[]string{"ETCDCTL_WATCH_KEY=wk"}, []string{"watch", "--rev", rev, "--prefix"}},
		{[]string{"ETCDCTL_WATCH_KEY=wk1"}, []string{"watch", "--rev", rev, "--", "echo", "hi"}},
		{[]string{"ETCDCTL_WATCH_KEY=wk1"}, []string{"watch", "wk2"}},
		{[]string{"ETCDCTL_WATCH_KEY=wk1"}, []string{"watch", "wk1", "--", "echo"}},
		{[]string{"ETCDCTL_WATCH_RANGE_END=wk3"}, []string{"watch", "wk1"}},
		{[]string{"ETCDCTL_WATCH_RANGE_END=wk3"}, []string{"watch"}},
		{[]string{"ETCDCTL_WATCH_KEY=wk", "ETCDCTL_WATCH_RANGE_END=wk3"}, []string{"watch", "--prefix"}},
		{nil, []string{"watch"}},
		{nil, []string{"watch", "wk1", "--"}},
		{nil, []string{"watch", "--", "wk1"}},
		{nil, []string{"watch", "--prefix", "--", "echo"}},
		{nil, []string{"watch", "--prefix", "a", "b"}},
		{nil, []string{"watch", "--help"}},
		{nil, []string{"-w", "bogus", "watch", "k"}},
		{nil, []string{"watch", "--rev", "1", "wk1"}},
		{nil, []string{"watch", "-i"}},
	}
	for _, ec := range envCases {
		all = append(all, &watchCase{name: strings.Join(append(append([]string{}, ec.env...), ec.args...), " "),
			args: ec.args, env: append(append([]string{}, env...), ec.env...)})
	}
	interactive := []string{
		"watch --rev " + rev + " wk1\n",
		"watch --rev " + rev + " wk1\nwatch --rev " + rev + " wk2\n",
		"foo\nwatch --rev " + rev + " --prefix wk\n",
		"\n   \nwatch\n\"\" x\nget k\n",
		"watch --rev " + rev + " wk2 -- echo hi\n",
		"watch --rev " + rev + " --prefix a b\n",
		"watch wk1 --bogus\n",
		"watch\nwatch --prefix\nwatch wk1\n",
		"watch\nwatch a --\n",
		"watch --rev " + rev + " wk1\n\x00progress\n", // progress once caught up

	}
	for _, in := range interactive {
		for _, w := range []string{"simple", "json"} {
			args := []string{"-w", w, "watch", "-i"}
			wc := &watchCase{name: strings.Join(args, " ") + " " + in, args: args, env: env, stdin: in}
			if strings.Count(in, "watch --rev") > 1 {
				wc.norm = []difftest.Normalizer{watchSortLines}
			}
			all = append(all, wc)
		}
	}
	for _, ec := range []struct{ env, in string }{
		{"ETCDCTL_WATCH_KEY=wk1", "watch wk2\n"},
		{"ETCDCTL_WATCH_KEY=wk1", "watch --rev " + rev + "\n"},
		{"ETCDCTL_WATCH_RANGE_END=wk3", "watch wk1\n"},
	} {
		all = append(all, &watchCase{name: ec.env + " watch -i " + ec.in, args: []string{"watch", "-i"},
			env: append([]string{ec.env}, env...), stdin: ec.in})
	}
	watchRunAll(t, all)
	t.Run("negative revision", func(t *testing.T) {
		difftest.Compare(t, []string{"watch", "--rev", "-1", "wk1"}, difftest.Opts{Env: env})
	})
	t.Run("eof in interactive mode", func(t *testing.T) {
		difftest.Compare(t, []string{"watch", "-i"}, difftest.Opts{Env: env, Stdin: "watch wk1\n"})
	})
}

func TestWatchCompactedRevision(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx := context.Background()
	var last int64
	for i := 0; i < 5; i++ {
		r, err := cli.Put(ctx, "ck", fmt.Sprint(i))
		require.NoError(t, err)
		last = r.Header.Revision
	}
	_, err = cli.Compact(ctx, last-1)
	require.NoError(t, err)
	env := []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}
	for _, w := range []string{"simple", "json", "fields", "protobuf"} {
		args := []string{"-w", w, "watch", "--rev", "2", "ck"}
		t.Run(w, func(t *testing.T) { difftest.Compare(t, args, difftest.Opts{Env: env}) })
	}
	t.Run("interactive", func(t *testing.T) {
		p := watchBoth(t, []string{"watch", "-i"}, env, "watch --rev 2 ck\nwatch --rev "+fmt.Sprint(last)+" ck\n", 1500*time.Millisecond)
		difftest.AssertSame(t, nil, p)
	})
}

// A reader of the pipe sees every event as soon as it happens (stdout is flushed per event).
func TestWatchFlushesEachEvent(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	cmd := exec.Command(difftest.OurBinary(t), "--endpoints", c.Hosts()[0], "watch", "--prefix", "pk/")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	ctx := context.Background()
	// The watch is registered once a first event comes through; keep writing until it does.
	var first string
	for first == "" {
		_, err := cli.Put(ctx, "pk/0", "v0")
		require.NoError(t, err)
		select {
		case l := <-lines:
			first = l
		case <-time.After(200 * time.Millisecond):
		}
	}
	require.Equal(t, "PUT", first)
	require.Equal(t, "pk/0", <-lines)
	require.Equal(t, "v0", <-lines)
	for len(lines) > 0 { // drain repeats of pk/0
		<-lines
	}
	for i := 1; i <= 20; i++ {
		_, err := cli.Put(ctx, fmt.Sprintf("pk/%d", i), fmt.Sprintf("v%d", i))
		require.NoError(t, err)
		got := make([]string, 0, 3)
		for len(got) < 3 {
			select {
			case l := <-lines:
				if l == "pk/0" || (len(got) == 0 && l != "PUT") {
					continue
				}
				got = append(got, l)
			case <-time.After(10 * time.Second):
				t.Fatalf("event %d not seen on the pipe (got %q)", i, got)
			}
		}
		assert.Equal(t, []string{"PUT", fmt.Sprintf("pk/%d", i), fmt.Sprintf("v%d", i)}, got)
	}
}

// Kill the leader while `watch --prefix` runs under a writer of 10,000 puts: every event is
// printed exactly once, in revision order.
func TestWatchSurvivesLeaderDeath(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	c := localcluster.StartT(t, localcluster.Options{Size: 3})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	ctx := context.Background()
	r0, err := cli.Put(ctx, "start", "x")
	require.NoError(t, err)
	startRev := r0.Header.Revision

	cmd := exec.Command(difftest.OurBinary(t), "--endpoints", strings.Join(c.Hosts(), ","), "-w", "json",
		"watch", "--prefix", "rk/", "--rev", fmt.Sprint(startRev+1))
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	defer func() { cmd.Process.Kill(); cmd.Wait() }()

	var seen []int64
	var seenCount atomic.Int64
	readDone := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var resp struct {
				Events []struct {
					Kv struct {
						ModRevision int64 `json:"mod_revision"`
					} `json:"kv"`
				}
			}
			if err := json.Unmarshal(sc.Bytes(), &resp); err != nil {
				readDone <- fmt.Errorf("bad line %q: %v", sc.Text(), err)
				return
			}
			for _, ev := range resp.Events {
				seen = append(seen, ev.Kv.ModRevision)
				seenCount.Add(1)
			}
		}
		readDone <- sc.Err()
	}()

	const total = 10000
	const writers = 8
	var next atomic.Int64
	var wg sync.WaitGroup
	var killOnce sync.Once
	writeStart := time.Now()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > total {
					return
				}
				if i == total/3 {
					killOnce.Do(func() {
						li, err := c.Leader(10 * time.Second)
						if err == nil {
							c.Members[li].Stop()
						}
					})
				}
				for {
					cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
					_, err := cli.Put(cctx, fmt.Sprintf("rk/%05d", i), "v")
					cancel()
					if err == nil {
						break
					}
					if time.Since(writeStart) > 90*time.Second {
						t.Errorf("put rk/%05d still failing after 90s: %v", i, err)
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	rEnd, err := cli.Get(ctx, "rk/", clientv3.WithPrefix(), clientv3.WithCountOnly())
	require.NoError(t, err)
	endRev := rEnd.Header.Revision
	want := endRev - startRev // every revision after start is one of the writer's puts
	require.GreaterOrEqual(t, want, int64(total))
	deadline := time.Now().Add(60 * time.Second)
	for seenCount.Load() < want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	<-readDone
	require.Equal(t, want, int64(len(seen)), "events printed (stderr %q)", stderr.String())
	for i, r := range seen {
		if r != startRev+1+int64(i) {
			t.Fatalf("event %d has revision %d, want %d (duplicate, lost or out of order)", i, r, startRev+1+int64(i))
		}
	}
}

// watch --progress-notify: with the servers' notification interval cut to 100 ms, both binaries
// print the progress notifications (at the current revision) as upstream does, around a put they
// watch from its revision on; how many notifications arrive depends on how long they ran, so
// repeats are dropped (watchUniqRecords). Twin clusters keep the revisions equal.
func TestWatchProgressNotifyDifferential(t *testing.T) {
	tw := difftest.NewTwinOpts(t, localcluster.Options{Size: 1, Configure: func(_ int, cfg *embed.Config) {
		cfg.WatchProgressNotifyInterval = 100 * time.Millisecond
	}})
	a, _ := tw.Clients()
	for _, flags := range [][]string{{"-w", "json"}, {"-w", "fields"}, {"-w", "simple"}} {
		t.Run(strings.Join(flags, " "), func(t *testing.T) {
			resp, err := a.Get(context.Background(), "pn")
			require.NoError(t, err)
			next := resp.Header.Revision + 1
			args := append(append([]string{}, flags...), "watch", "--progress-notify", "--rev", fmt.Sprint(next), "pn")
			po := lockStart(t, difftest.OurBinary(t), append([]string{"--endpoints=" + tw.A.Hosts()[0]}, args...))
			pr := lockStart(t, difftest.RefBinary(t), append([]string{"--endpoints=" + tw.B.Hosts()[0]}, args...))
			tw.Put(t, "pn", "w")
			// The event, then a notification at its revision.
			done := regexp.MustCompile(fmt.Sprintf(`(?s)pn.*(progress notify: %d\n|"Revision" : %d\n"RaftTerm" : \d+\n$)`, next, next))
			if flags[1] == "json" {
				done = regexp.MustCompile(fmt.Sprintf(`(?s)"Events":\[.*progress notify: %d\n\{.*\}\n`, next))
			}
			for _, p := range []*lockProc{po, pr} {
				require.True(t, p.waitOut(done, 20*time.Second), "%q: %q %q", args, p.out.Bytes(), p.err.Bytes())
			}
			ro, rr := po.stop(os.Interrupt), pr.stop(os.Interrupt)
			ro.Stdout, rr.Stdout = difftest.MaskHosts(tw.A.Hosts(), ro.Stdout), difftest.MaskHosts(tw.B.Hosts(), rr.Stdout)
			difftest.AssertSame(t, args, difftest.Pair{Ours: ro, Ref: rr}, watchUniqRecords)
		})
	}
}

// watchUniqRecords drops a record equal to the one before it: a "progress notify" line with the
// JSON line after it (json), or a line.
func watchUniqRecords(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	var recs []string
	for i := 0; i < len(lines); i++ {
		r := lines[i]
		if strings.HasPrefix(r, "progress notify:") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "{") {
			r += lines[i+1]
			i++
		}
		if len(recs) == 0 || recs[len(recs)-1] != r {
			recs = append(recs, r)
		}
	}
	return []byte(strings.Join(recs, ""))
}
