package commands_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
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

// watchProgressAnswered matches a progress notification as watch prints it.
var watchProgressAnswered = regexp.MustCompile(`progress notify: \d+\n`)

// watchProc is one binary of one watch case, started with stdin kept open (interactive mode must
// not see EOF unless the case asks for it).
type watchProc struct {
	*lockProc
	in  io.WriteCloser
	fed chan struct{} // closed once all of stdin is written
}

// watchStart starts bin. A NUL in stdin is a pause: what follows is written only once the output
// shows the watch caught up (watchCaughtUp), so that a progress request is answered at the same
// point by both binaries. With eof, stdin is closed once written.
func watchStart(t *testing.T, bin string, args, env []string, stdin string, eof bool) *watchProc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}, env...)
	p := &watchProc{lockProc: &lockProc{t: t, cmd: cmd, out: &lockSyncBuffer{}, err: &lockSyncBuffer{}, done: make(chan struct{})}, fed: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.err
	in, err := cmd.StdinPipe()
	require.NoError(t, err)
	p.in = in
	require.NoError(t, cmd.Start())
	go func() {
		err := cmd.Wait()
		p.res = difftest.Result{Stdout: p.out.Bytes(), Stderr: p.err.Bytes()}
		if ee, ok := err.(*exec.ExitError); ok {
			p.res.Code = ee.ExitCode()
		}
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	go func() {
		defer close(p.fed)
		parts := strings.Split(stdin, "\x00")
		io.WriteString(in, parts[0])
		for _, part := range parts[1:] {
			// bounded by the caller's wait for fed
			if !p.waitOut(watchCaughtUp, 60*time.Second) {
				return
			}
			io.WriteString(in, part)
		}
		if eof {
			in.Close()
		}
	}()
	return p
}

// kill ends the process if it still runs and returns what it printed; Code is -1 when it was
// killed.
func (p *watchProc) kill() difftest.Result {
	select {
	case <-p.done:
	default:
		p.cmd.Process.Kill()
		<-p.done
	}
	p.in.Close()
	return p.res
}

// watchGauges reads the watcher gauges of the etcd serving clientURL from its /metrics: watchers
// registered, and the slow (unsynced) ones still replaying history. The embedded servers share
// the test process's registry, so callers compare against a baseline.
func watchGauges(t *testing.T, clientURL string) (watchers, slow int) {
	t.Helper()
	resp, err := http.Get(clientURL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	watchers, slow = -1, -1
	for _, l := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(l, "etcd_debugging_mvcc_watcher_total "); ok {
			f, err := strconv.ParseFloat(v, 64)
			require.NoError(t, err)
			watchers = int(f)
		}
		if v, ok := strings.CutPrefix(l, "etcd_debugging_mvcc_slow_watcher_total "); ok {
			f, err := strconv.ParseFloat(v, 64)
			require.NoError(t, err)
			slow = int(f)
		}
	}
	require.True(t, watchers >= 0 && slow >= 0, "watcher gauges missing from %s/metrics", clientURL)
	return watchers, slow
}

// watchCase is one side-by-side run of the differential watch tests.
type watchCase struct {
	name  string
	args  []string
	env   []string
	stdin string
	norm  []difftest.Normalizer
	// watchers is how many watches each binary keeps open (the reference's behaviour, checked
	// through the server's gauge); a case with none must end by itself (eof closes stdin once
	// written, for interactive lines that watch nothing).
	watchers int
	eof      bool
	// ready, when set, must hold for the output of both before the sentinel is written (a
	// progress answer printed); with noGauge it alone says the watches are open and synced.
	ready   func(stdout, stderr []byte) bool
	noGauge bool
	pair    difftest.Pair
}

// watchSpellings are the ways a watch output can spell value: raw (simple, fields, protobuf, a
// command's output), base64 (json), \x-escaped (--hex).
func watchSpellings(value string) [][]byte {
	var hex strings.Builder
	for _, c := range []byte(value) {
		fmt.Fprintf(&hex, "\\x%02x", c)
	}
	return [][]byte{[]byte(value), []byte(base64.StdEncoding.EncodeToString([]byte(value))), []byte(hex.String())}
}

// watchSentinelCount counts the spellings of the sentinel value in out.
func watchSentinelCount(out []byte, sp [][]byte) int {
	n := 0
	for _, s := range sp {
		n += bytes.Count(out, s)
	}
	return n
}

// watchCutAtSentinel keeps out up to the first spelling of the sentinel: the sentinel is the
// last write, in a response of its own, so everything before it (the history, the commands run
// for it) is complete, and both binaries are cut at the same point of the same record.
func watchCutAtSentinel(out []byte, sp [][]byte) []byte {
	cut := len(out)
	for _, s := range sp {
		if i := bytes.Index(out, s); i >= 0 && i < cut {
			cut = i
		}
	}
	return out[:cut]
}

// watchDropSentinel removes the whole sentinel records (simple: PUT, key, value lines; json: the
// response's line) printed by several watches of one process, whose outputs interleave.
func watchDropSentinel(out []byte, sp [][]byte, keys []string) []byte {
	for _, k := range keys {
		out = bytes.ReplaceAll(out, []byte("PUT\n"+k+"\n"+string(sp[0])+"\n"), nil)
	}
	var kept []string
	for _, l := range strings.SplitAfter(string(out), "\n") {
		if !strings.Contains(l, string(sp[1])) {
			kept = append(kept, l)
		}
	}
	return []byte(strings.Join(kept, ""))
}

// watchRunCases runs each case with both binaries against the one-member cluster c, eight cases
// at a time, and fills in their pairs. Nothing is timed: a batch's processes start; every case
// without watches ends by itself and the server's gauge shows exactly the watches the cases
// declare, none of them still replaying history (so the replay was sent, with the header it
// has); then one transaction writes a sentinel value (distinct for each batch) on keys, and once
// every watching process printed it (each of a process's watches), the processes are killed and
// their output cut at the sentinel. The bounds only turn a hang into a failure. The gauges are
// the test process's (its embedded servers share one registry), so nothing else may open or
// close watches meanwhile: true of a test that is not parallel (parallel subtests wait for their
// parent's function to return).
func watchRunCases(t *testing.T, c *localcluster.Cluster, keys []string, cases []*watchCase) {
	t.Helper()
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	url := c.Endpoints()[0]
	base, baseSlow := watchGauges(t, url)
	const batch = 8
	for b := 0; b*batch < len(cases); b++ {
		group := cases[b*batch : min(len(cases), (b+1)*batch)]
		procs := make([][2]*watchProc, len(group))
		want, gauge := base, true
		for i, wc := range group {
			procs[i] = [2]*watchProc{
				watchStart(t, difftest.OurBinary(t), wc.args, wc.env, wc.stdin, wc.eof),
				watchStart(t, difftest.RefBinary(t), wc.args, wc.env, wc.stdin, wc.eof),
			}
			want += 2 * wc.watchers
			gauge = gauge && !wc.noGauge
		}
		state := func() string {
			var s []string
			for i, wc := range group {
				for j, p := range procs[i] {
					s = append(s, fmt.Sprintf("%s[%d]: exited=%v out=%q err=%q", wc.name, j, p.exited(), p.out.Bytes(), p.err.Bytes()))
				}
			}
			return strings.Join(s, "\n")
		}
		var w, slow int
		ok := poll(60*time.Second, func() bool {
			for i, wc := range group {
				for _, p := range procs[i] {
					select {
					case <-p.fed:
					default:
						return false
					}
					if wc.watchers == 0 && !p.exited() {
						return false
					}
					if wc.ready != nil && !wc.ready(p.out.Bytes(), p.err.Bytes()) {
						return false
					}
				}
			}
			if !gauge {
				return true
			}
			// (more for a moment is fine: a watch the server cancels, a command that fails)
			w, slow = watchGauges(t, url)
			return w == want && slow == baseSlow
		})
		if !ok {
			t.Fatalf("within 60s: the cases declare %d watches, the server has %d (%d replaying history); "+
				"every case without watches must end by itself\n%s", want-base, w-base, slow-baseSlow, state())
		}
		sentinel := fmt.Sprintf("sentinel-%03d", b)
		sp := watchSpellings(sentinel)
		var ops []clientv3.Op
		for _, k := range keys {
			ops = append(ops, clientv3.OpPut(k, sentinel))
		}
		_, err := cli.Txn(context.Background()).Then(ops...).Commit()
		require.NoError(t, err)
		ok = poll(60*time.Second, func() bool {
			for i, wc := range group {
				for _, p := range procs[i] {
					if wc.watchers > 0 && watchSentinelCount(p.out.Bytes(), sp) < wc.watchers {
						if p.exited() {
							t.Fatalf("%s ended before printing the sentinel\n%s", wc.name, state())
						}
						return false
					}
				}
			}
			return true
		})
		if !ok {
			t.Fatalf("within 60s: not every watch printed the sentinel %q\n%s", sentinel, state())
		}
		for i, wc := range group {
			o, r := procs[i][0].kill(), procs[i][1].kill()
			for _, res := range []*difftest.Result{&o, &r} {
				switch {
				case wc.watchers > 1:
					res.Stdout = watchDropSentinel(res.Stdout, sp, keys)
				case wc.watchers == 1:
					res.Stdout = watchCutAtSentinel(res.Stdout, sp)
				}
			}
			wc.pair = difftest.Pair{Ours: o, Ref: r}
		}
		// The server has closed the killed processes' watches before the next batch counts.
		waitFor(t, 30*time.Second, "watches of killed processes closed", func() bool {
			w, _ := watchGauges(t, url)
			return !gauge || w == base
		})
	}
}

// watchRunAll runs the cases (watchRunCases) and checks each in a subtest.
func watchRunAll(t *testing.T, c *localcluster.Cluster, cases []*watchCase) {
	t.Helper()
	watchRunCases(t, c, []string{"wk1", "wk2"}, cases)
	for _, wc := range cases {
		t.Run(wc.name, func(t *testing.T) {
			if wc.watchers > 0 {
				// what is compared holds the replayed history: the cut is not at its start
				assert.NotEmpty(t, wc.pair.Ref.Stdout, "the reference's output before the sentinel")
			}
			difftest.AssertSame(t, wc.args, wc.pair, wc.norm...)
		})
	}
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
				wc := &watchCase{name: strings.Join(args, " "), args: args, env: env, watchers: 1}
				if w == "table" || base[len(base)-1] == "false" || base[len(base)-1] == "/nonexistent/cmd" {
					wc.watchers = 0 // unsupported format; a failing command ends the watch
				}
				all = append(all, wc)
			}
		}
	}
	envCases := []struct {
		env      []string
		args     []string
		watchers int
	}{
		{[]string{"ETCDCTL_WATCH_KEY=wk1"}, []string{"watch", "--rev", rev}, 1},
		{[]string{"ETCDCTL_WATCH_KEY=wk1", "ETCDCTL_WATCH_RANGE_END=wk3"}, []string{"watch", "--rev", rev}, 1},
		{[]string{"ETCDCTL_WATCH_KEY=wk"}, []string{"watch", "--rev", rev, "--prefix"}, 1},
		{[]string{"ETCDCTL_WATCH_KEY=wk1"}, []string{"watch", "--rev", rev, "--", "echo", "hi"}, 1},
		{[]string{"ETCDCTL_WATCH_KEY=wk1"}, []string{"watch", "wk2"}, 0},
		{[]string{"ETCDCTL_WATCH_KEY=wk1"}, []string{"watch", "wk1", "--", "echo"}, 0},
		{[]string{"ETCDCTL_WATCH_RANGE_END=wk3"}, []string{"watch", "wk1"}, 0},
		{[]string{"ETCDCTL_WATCH_RANGE_END=wk3"}, []string{"watch"}, 0},
		{[]string{"ETCDCTL_WATCH_KEY=wk", "ETCDCTL_WATCH_RANGE_END=wk3"}, []string{"watch", "--prefix"}, 0},
		{nil, []string{"watch"}, 0},
		{nil, []string{"watch", "wk1", "--"}, 0},
		{nil, []string{"watch", "--", "wk1"}, 0},
		{nil, []string{"watch", "--prefix", "--", "echo"}, 0},
		{nil, []string{"watch", "--prefix", "a", "b"}, 0},
		{nil, []string{"watch", "--help"}, 0},
		{nil, []string{"-w", "bogus", "watch", "k"}, 0},
		{nil, []string{"watch", "--rev", "1", "wk1"}, 1},
		{nil, []string{"watch", "-i"}, 0}, // stdin closed: the end of input ends it
	}
	for _, ec := range envCases {
		all = append(all, &watchCase{name: strings.Join(append(append([]string{}, ec.env...), ec.args...), " "),
			args: ec.args, env: append(append([]string{}, env...), ec.env...), watchers: ec.watchers, eof: ec.watchers == 0})
	}
	// Interactive lines and the watches they leave open; the lines that open none are followed
	// by the end of input, which ends the process.
	interactive := []struct {
		in       string
		watchers int
	}{
		{"watch --rev " + rev + " wk1\n", 1},
		{"watch --rev " + rev + " wk1\nwatch --rev " + rev + " wk2\n", 2},
		{"foo\nwatch --rev " + rev + " --prefix wk\n", 1},
		{"\n   \nwatch\n\"\" x\nget k\n", 0},
		{"watch --rev " + rev + " wk2 -- echo hi\n", 1},
		{"watch --rev " + rev + " --prefix a b\n", 0},
		{"watch wk1 --bogus\n", 0},
		{"watch\nwatch --prefix\nwatch wk1\n", 0},
		{"watch\nwatch a --\n", 0},
		{"watch --rev " + rev + " wk1\n\x00progress\n", 1}, // progress once caught up
	}
	for _, ic := range interactive {
		for _, w := range []string{"simple", "json"} {
			args := []string{"-w", w, "watch", "-i"}
			wc := &watchCase{name: strings.Join(args, " ") + " " + ic.in, args: args, env: env, stdin: ic.in,
				watchers: ic.watchers, eof: ic.watchers == 0}
			if ic.watchers > 1 {
				wc.norm = []difftest.Normalizer{watchSortLines}
			}
			if strings.Contains(ic.in, "progress") {
				wc.ready = func(out, _ []byte) bool { return watchProgressAnswered.Match(out) }
			}
			all = append(all, wc)
		}
	}
	for _, ec := range []struct {
		env, in  string
		watchers int
	}{
		{"ETCDCTL_WATCH_KEY=wk1", "watch wk2\n", 0},
		{"ETCDCTL_WATCH_KEY=wk1", "watch --rev " + rev + "\n", 1},
		{"ETCDCTL_WATCH_RANGE_END=wk3", "watch wk1\n", 0},
	} {
		all = append(all, &watchCase{name: ec.env + " watch -i " + ec.in, args: []string{"watch", "-i"},
			env: append([]string{ec.env}, env...), stdin: ec.in, watchers: ec.watchers, eof: ec.watchers == 0})
	}
	watchRunAll(t, c, all)
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
		// The first watch is cancelled (compacted), the second stays open.
		wc := &watchCase{args: []string{"watch", "-i"}, env: env, stdin: "watch --rev 2 ck\nwatch --rev " + fmt.Sprint(last) + " ck\n", watchers: 1,
			// Both watches are seen through the output (after a compaction cancel etcd's watcher
			// gauge counts fewer watches than are open): the refusal, then the replay.
			ready: func(out, err []byte) bool {
				return bytes.Contains(err, []byte("required revision has been compacted")) && bytes.Contains(out, []byte("PUT\nck\n4\n"))
			},
			noGauge: true}
		watchRunCases(t, c, []string{"ck"}, []*watchCase{wc})
		difftest.AssertSame(t, wc.args, wc.pair)
	})
}

// A reader of the pipe sees every event as soon as it happens (stdout is flushed per event).
func TestWatchFlushesEachEvent(t *testing.T) {
	c := localcluster.StartT(t, localcluster.Options{Size: 1})
	cli, err := c.Client()
	require.NoError(t, err)
	defer cli.Close()
	base, _ := watchGauges(t, c.Endpoints()[0])
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
	// The watch is open on the server (a watch from now on is synced at once): every put from
	// here on is an event.
	waitFor(t, 20*time.Second, "the watch open on the server", func() bool {
		w, _ := watchGauges(t, c.Endpoints()[0])
		return w == base+1
	})
	ctx := context.Background()
	for i := 0; i <= 20; i++ {
		_, err := cli.Put(ctx, fmt.Sprintf("pk/%d", i), fmt.Sprintf("v%d", i))
		require.NoError(t, err)
		got := make([]string, 0, 3)
		for len(got) < 3 {
			select {
			case l, ok := <-lines:
				require.True(t, ok, "watch ended (got %q)", got)
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
