package commands_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// memberFormats are the -w values every verb is tried with.
var memberFormats = []string{"simple", "json", "fields", "protobuf", "table"}

// memberDeadEndpoint is a loopback address where nothing listens (for argument errors, which
// must come before any connection).
func memberDeadEndpoint(t *testing.T) string {
	t.Helper()
	port, err := localcluster.FreePort()
	require.NoError(t, err)
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// memberClient is a set-up client to the running members of c, closed when the test ends.
func memberClient(t *testing.T, c *localcluster.Cluster) *clientv3.Client {
	t.Helper()
	cli, err := c.Client()
	require.NoError(t, err)
	t.Cleanup(func() { cli.Close() })
	return cli
}

// memberOpts are the options of the clusters whose membership tests change. A fresh cluster
// refuses reconfiguration for its first seconds ("unhealthy cluster") unless the strict check is
// off; both binaries see the same server either way.
func memberOpts(size int) localcluster.Options {
	return localcluster.Options{Size: size, Configure: func(_ int, cfg *embed.Config) { cfg.StrictReconfigCheck = false }}
}

func memberCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// memberIDSet lists the cluster's member IDs.
func memberIDSet(t *testing.T, cli *clientv3.Client) map[uint64]bool {
	t.Helper()
	resp, err := cli.MemberList(memberCtx(t))
	require.NoError(t, err)
	ids := map[uint64]bool{}
	for _, m := range resp.Members {
		ids[m.ID] = true
	}
	return ids
}

// memberNewID returns the one member ID not in before (0 when there is none).
func memberNewID(t *testing.T, cli *clientv3.Client, before map[uint64]bool) uint64 {
	t.Helper()
	var found uint64
	for id := range memberIDSet(t, cli) {
		if !before[id] {
			require.Zero(t, found, "more than one new member")
			found = id
		}
	}
	return found
}

// memberRemove removes a member with the set-up client, retrying while the cluster settles.
func memberRemove(t *testing.T, cli *clientv3.Client, id uint64) {
	t.Helper()
	var err error
	for i := 0; i < 50; i++ {
		_, err = cli.MemberRemove(memberCtx(t), id)
		if err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.NoError(t, err, "removing member %x", id)
}

// memberAddLearner adds an unstarted learner with the set-up client and returns its ID.
func memberAddLearner(t *testing.T, cli *clientv3.Client, peerURLs ...string) uint64 {
	t.Helper()
	resp, err := cli.MemberAddAsLearner(memberCtx(t), peerURLs)
	require.NoError(t, err)
	return resp.Member.ID
}

// memberReplaceID writes every spelling of id (hex, padded hex, decimal) in out as "NEWID".
func memberReplaceID(out []byte, id uint64) []byte {
	if id == 0 {
		return out
	}
	// sentences pad IDs to 16 columns
	out = bytes.ReplaceAll(out, []byte(fmt.Sprintf("%16x", id)), []byte("NEWID"))
	out = bytes.ReplaceAll(out, []byte(strconv.FormatUint(id, 16)), []byte("NEWID"))
	return bytes.ReplaceAll(out, []byte(strconv.FormatUint(id, 10)), []byte("NEWID"))
}

// memberCanon makes the output of a command that created a member (whose ID is random and whose
// place among the members sorted by ID is random too) comparable between two runs: the new ID
// becomes NEWID and the members come in a fixed order. subs are (old, new) pairs of equal length
// replaced first (the ports that had to differ between the runs: etcd derives a new member's ID
// from its peer URLs and the current second, and refuses to add a removed ID again). Nothing is
// decoded and encoded again: the members' elements (JSON) or fields (protobuf) are moved as the
// bytes they are, so a wrong key order, number format or field encoding still shows.
func memberCanon(t *testing.T, format string, out []byte, id uint64, subs []string, msg proto.Message) string {
	t.Helper()
	for i := 0; i+1 < len(subs); i += 2 {
		out = bytes.ReplaceAll(out, []byte(subs[i]), []byte(subs[i+1]))
	}
	switch format {
	case "json":
		var top map[string]json.RawMessage
		if err := json.Unmarshal(out, &top); err != nil {
			return "undecodable json: " + string(out)
		}
		if raw, ok := top["members"]; ok {
			var ms []json.RawMessage
			if err := json.Unmarshal(raw, &ms); err != nil {
				return "undecodable members: " + string(out)
			}
			parts := make([]string, len(ms))
			for i, m := range ms {
				parts[i] = string(memberReplaceID(m, id))
			}
			if "["+strings.Join(parts, ",") != string(memberReplaceID(raw, id)[:len(memberReplaceID(raw, id))-1]) {
				return "members not a plain array: " + string(out)
			}
			sort.Strings(parts)
			out = bytes.Replace(memberReplaceID(out, id), memberReplaceID(raw, id), []byte("["+strings.Join(parts, ",")+"]"), 1)
			return string(out)
		}
		return string(memberReplaceID(out, id))
	case "protobuf":
		// The repeated members field: 3 in MemberAddResponse (2 is the new member), 2 in
		// MemberPromoteResponse.
		membersField := protowire.Number(3)
		if _, ok := msg.(*pb.MemberPromoteResponse); ok {
			membersField = 2
		}
		var fields []string
		var at []int // the places of the members in fields
		b := out
		for len(b) > 0 {
			num, typ, n := protowire.ConsumeTag(b)
			if n < 0 {
				return "undecodable protobuf: " + string(out)
			}
			m := protowire.ConsumeFieldValue(num, typ, b[n:])
			if m < 0 {
				return "undecodable protobuf: " + string(out)
			}
			text := string(memberReplaceID(difftest.ProtoText(b[:n+m]), id))
			if num == membersField {
				at = append(at, len(fields))
			}
			fields = append(fields, text)
			b = b[n+m:]
		}
		members := make([]string, len(at))
		for i, j := range at {
			members[i] = fields[j]
		}
		sort.Strings(members)
		for i, j := range at {
			fields[j] = members[i]
		}
		return strings.Join(fields, "")
	}
	lines := strings.Split(string(memberReplaceID(out, id)), "\n")
	for i, l := range lines {
		if v, ok := strings.CutPrefix(l, "ETCD_INITIAL_CLUSTER="); ok {
			parts := strings.Split(strings.Trim(v, `"`), ",")
			sort.Strings(parts)
			lines[i] = "ETCD_INITIAL_CLUSTER=" + strings.Join(parts, ",")
		}
	}
	return strings.Join(lines, "\n")
}

// memberCompareCanon asserts that two runs that each created a member (ours with oursID, the
// reference with refID) agree once the IDs and member order are canonical.
func memberCompareCanon(t *testing.T, args []string, format string, o, r difftest.Result, oursID, refID uint64, oursSubs, refSubs []string, msg proto.Message) {
	t.Helper()
	assert.Equal(t, memberCanon(t, format, r.Stdout, refID, refSubs, msg), memberCanon(t, format, o.Stdout, oursID, oursSubs, msg), "stdout of %q", args)
	assert.Equal(t, r.Code, o.Code, "exit code of %q (stderr ours %q, ref %q)", args, o.FirstErrLine(), r.FirstErrLine())
	assert.Equal(t, string(memberReplaceID([]byte(strings.Join(r.ErrLines(), "\n")), refID)), string(memberReplaceID([]byte(strings.Join(o.ErrLines(), "\n")), oursID)), "stderr lines of %q", args)
}

// memberDump is the cluster's membership as difftest.StateDump shows it (count, names, learner
// flags, URLs; a started member's URLs masked by its name).
func memberDump(t *testing.T, cli *clientv3.Client) string {
	t.Helper()
	return difftest.StateDump(t, cli, difftest.DumpOpts{NoKeys: true, NoAuth: true, Members: true})
}

// memberCompareUnchanged compares args run by both binaries (one after the other, on the same
// cluster) and checks that neither changed the membership (a refused or failing command).
func memberCompareUnchanged(t *testing.T, cli *clientv3.Client, args []string) {
	t.Helper()
	before := memberDump(t, cli)
	difftest.Compare(t, args, difftest.Opts{})
	difftest.AssertSameDump(t, before, memberDump(t, cli), strings.Join(args, " ")+" (run by both)")
}

// memberLearner is an extra etcd member started as a learner of an existing cluster.
type memberLearner struct {
	ID   uint64
	etcd *embed.Etcd
}

// memberStartLearner adds a learner named name on the given ports and starts it with embed, then
// waits until it has joined and caught up (so that it can be promoted).
func memberStartLearner(t *testing.T, cli *clientv3.Client, name string, clientPort, peerPort int) *memberLearner {
	t.Helper()
	peer := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	client := fmt.Sprintf("http://127.0.0.1:%d", clientPort)
	resp, err := cli.MemberAddAsLearner(memberCtx(t), []string{peer})
	require.NoError(t, err)
	var initial []string
	for _, m := range resp.Members {
		n := m.Name
		if m.ID == resp.Member.ID {
			n = name
		}
		for _, u := range m.PeerURLs {
			initial = append(initial, n+"="+u)
		}
	}
	cfg := embed.NewConfig()
	cfg.Name = name
	cfg.Dir = t.TempDir()
	cu, _ := url.Parse(client)
	pu, _ := url.Parse(peer)
	cfg.ListenClientUrls = []url.URL{*cu}
	cfg.AdvertiseClientUrls = []url.URL{*cu}
	cfg.ListenPeerUrls = []url.URL{*pu}
	cfg.AdvertisePeerUrls = []url.URL{*pu}
	cfg.InitialCluster = strings.Join(initial, ",")
	cfg.ClusterState = embed.ClusterStateFlagExisting
	cfg.Logger = "zap"
	cfg.LogLevel = "error"
	cfg.LogOutputs = []string{"/dev/null"}
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	cfg.ListenMetricsUrls = nil
	e, err := embed.StartEtcd(cfg)
	require.NoError(t, err)
	l := &memberLearner{ID: resp.Member.ID, etcd: e}
	t.Cleanup(l.Stop)
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		t.Fatalf("learner %s: %v", name, err)
	case <-time.After(30 * time.Second):
		t.Fatalf("learner %s not ready", name)
	}
	// Caught up: the learner has applied what the cluster had committed when it was added.
	lcli, err := clientv3.New(clientv3.Config{Endpoints: []string{client}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	require.NoError(t, err)
	defer lcli.Close()
	st0, err := cli.Status(memberCtx(t), cli.Endpoints()[0])
	require.NoError(t, err)
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := lcli.Status(memberCtx(t), client)
		if err == nil && st.RaftAppliedIndex >= st0.RaftIndex {
			break
		}
		require.True(t, time.Now().Before(deadline), "learner never caught up: %v", err)
		time.Sleep(50 * time.Millisecond)
	}
	return l
}

// Stop stops the learner's etcd.
func (l *memberLearner) Stop() {
	if l.etcd != nil {
		l.etcd.Close()
		l.etcd = nil
	}
}

func TestMemberHelpAndArgs(t *testing.T) {
	dead := "--endpoints=" + memberDeadEndpoint(t)
	cases := [][]string{
		{"member"}, {"member", "--help"}, {"member", "bogus"}, {"help", "member"},
		{"member", "list", "--help"}, {"member", "add", "--help"}, {"member", "update", "--help"},
		{"member", "remove", "--help"}, {"member", "promote", "--help"}, {"help", "member", "add"},
		{"member", "add", "a", "--peer-urls=http://x:1", "--bogus"},
		{"member", "list", "--consistency"},
		// argument errors come before any connection
		{dead, "member", "add"},
		{dead, "member", "add", "a", "b"},
		{dead, "member", "add", "a"},
		{dead, "member", "add", "a", "--peer-urls="},
		{dead, "member", "add", "a", "-w", "bogus"},
		{dead, "member", "add", "-w", "bogus"},
		{dead, "member", "add", "a", "--peer-urls=bad"},
		{dead, "member", "add", "a", "--peer-urls=127.0.0.1:5"},
		{dead, "member", "add", "a", "--peer-urls=http://a:1,,http://b:2"},
		{dead, "member", "add", "a", "--peer-urls=http://b"},
		{dead, "member", "add", "a", "--peer-urls=http://b:1/x"},
		{dead, "member", "add", "a", "--peer-urls=ftp://b:1", "--learner"},
		{dead, "member", "add", "a", "--peer-urls=bad", "-w", "bogus"},
		{dead, "member", "remove"},
		{dead, "member", "remove", "a", "b"},
		{dead, "member", "remove", "zz"},
		{dead, "member", "remove", "0x12"},
		{dead, "member", "remove", "--", "-1"},
		{dead, "member", "remove", "1234567890abcdef12"},
		{dead, "member", "remove", ""},
		{dead, "member", "remove", "zz", "-w", "bogus"},
		{dead, "member", "remove", "12", "-w", "bogus"},
		{dead, "member", "update"},
		{dead, "member", "update", "12"},
		{dead, "member", "update", "zz"},
		{dead, "member", "update", "a", "b", "--peer-urls=http://a:1"},
		{dead, "member", "update", "zz", "--peer-urls=http://a:1"},
		{dead, "member", "update", "12", "--peer-urls="},
		{dead, "member", "update", "12", "--peer-urls=bad"},
		{dead, "member", "update", "12", "-w", "bogus"},
		{dead, "member", "update", "12", "--peer-urls=bad", "-w", "bogus"},
		{dead, "member", "update", "zz", "-w", "bogus"},
		{dead, "member", "promote"},
		{dead, "member", "promote", "zz"},
		{dead, "member", "promote", "1", "2"},
		{dead, "member", "promote", "12", "-w", "bogus"},
		{dead, "member", "list", "--consistency", "x"},
		{dead, "member", "list", "--consistency", "S"},
		{dead, "member", "list", "-w", "bogus"},
		{dead, "member", "list", "-w", "bogus", "--consistency", "x"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			difftest.Compare(t, args, difftest.Opts{})
		})
	}
}

// memberListCases compares `member list` in every format through the endpoints eps.
func memberListCases(t *testing.T, eps string) {
	for _, w := range memberFormats {
		for _, extra := range [][]string{nil, {"--hex"}, {"--consistency", "s"}, {"--consistency=l", "--hex"}} {
			args := append([]string{"--endpoints=" + eps, "member", "list", "-w", w}, extra...)
			t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
				difftest.Compare(t, args, difftest.Opts{})
			})
		}
	}
}

func TestMemberList(t *testing.T) {
	t.Run("one member", func(t *testing.T) {
		c := localcluster.StartT(t, localcluster.Options{Size: 1})
		memberListCases(t, c.Hosts()[0])
		difftest.Compare(t, []string{"--endpoints=" + c.Endpoints()[0], "member", "list", "extra", "args"}, difftest.Opts{})
		difftest.Compare(t, []string{"member", "list"}, difftest.Opts{Env: []string{"ETCDCTL_ENDPOINTS=" + c.Hosts()[0]}})
	})
	t.Run("three members", func(t *testing.T) {
		c := localcluster.StartT(t, memberOpts(3))
		cli := memberClient(t, c)
		// One endpoint: the header names the member that answered, so it is stable.
		memberListCases(t, c.Hosts()[1])
		// All endpoints: the answering member varies, so only header-free formats.
		all := strings.Join(c.Endpoints(), ",")
		for _, w := range []string{"simple", "table"} {
			difftest.Compare(t, []string{"--endpoints=" + all, "member", "list", "-w", w}, difftest.Opts{})
		}
		// An unstarted learner with two peer URLs (status, empty name and client URLs, learner).
		id := memberAddLearner(t, cli, "http://127.0.0.2:2380", "http://127.0.0.1:1")
		memberListCases(t, c.Hosts()[2])
		memberRemove(t, cli, id)
		// A stopped member still lists as started.
		c.Members[2].Stop()
		difftest.Compare(t, []string{"--endpoints=" + c.Hosts()[0], "member", "list", "-w", "table"}, difftest.Opts{})
		difftest.Compare(t, []string{"--endpoints=" + c.Hosts()[0], "member", "list", "--consistency=s"}, difftest.Opts{})
	})
}

func TestMemberAdd(t *testing.T) {
	c := localcluster.StartT(t, memberOpts(3))
	cli := memberClient(t, c)
	ep := "--endpoints=" + c.Hosts()[0]

	// run runs args (with {P} replaced by port) with one binary and returns the result and the ID
	// of the member it added (which is removed again so that the next run sees the same cluster).
	// added is what the last run of each binary added: name, learner flag, peer URLs (its port
	// masked), read from the cluster before the member is removed again.
	added := map[string]string{}
	dumps := map[string]string{} // the whole membership each binary's last run left
	port := 20000
	run := func(t *testing.T, bin string, tmpl []string) (difftest.Result, uint64, []string, []string) {
		port++
		p := strconv.Itoa(port)
		args := make([]string, len(tmpl))
		for i, a := range tmpl {
			args[i] = strings.ReplaceAll(a, "{P}", p)
		}
		before := memberIDSet(t, cli)
		res := difftest.Run(t, bin, args, difftest.Opts{})
		id := memberNewID(t, cli, before)
		dumps[bin] = strings.ReplaceAll(memberDump(t, cli), ":"+p, ":PPPPP")
		added[bin] = "nothing"
		if id != 0 {
			ml, err := cli.MemberList(memberCtx(t))
			require.NoError(t, err)
			for _, m := range ml.Members {
				if m.ID == id {
					added[bin] = strings.ReplaceAll(fmt.Sprintf("name=%q learner=%v peers=%q clients=%q", m.Name, m.IsLearner, m.PeerURLs, m.ClientURLs), ":"+p, ":PPPPP")
				}
			}
			memberRemove(t, cli, id)
		}
		return res, id, args, []string{":" + p, ":PPPPP"}
	}
	cases := [][]string{
		{"member", "add", "newbie", "--peer-urls=http://127.0.0.1:{P}", "--learner"},
		{"member", "add", "newbie", "--peer-urls=http://127.0.0.9:{P},http://127.0.0.8:{P}", "--learner", "--hex"},
		{"member", "add", `we"ird\ né`, "--peer-urls= http://127.0.0.1:{P},http://[::1]:{P}", "--learner"},
		{"member", "add", "voter", "--peer-urls=http://127.0.0.1:{P}"},
		{"member", "add", "voter", "--peer-urls=unix://127.0.0.1:{P}"},
	}
	for _, w := range memberFormats {
		cases = append(cases, []string{"member", "add", "x", "--peer-urls=http://127.0.0.3:{P}", "--learner", "-w", w})
	}
	cases = append(cases,
		[]string{"member", "add", "x", "--peer-urls=http://127.0.0.3:{P}", "--learner", "-w", "json", "--hex"},
		[]string{"member", "add", "x", "--peer-urls=http://127.0.0.3:{P}", "-w", "protobuf", "--hex"},
		[]string{"member", "add", "x", "--peer-urls=http://127.0.0.3:{P}", "-w", "fields", "--hex"},
		// a peer URL already in use
		[]string{"member", "add", "x", "--peer-urls=" + c.Members[1].PeerURL},
	)
	for _, a := range cases {
		tmpl := append([]string{ep}, a...)
		t.Run(strings.Join(a[2:], " "), func(t *testing.T) {
			format := "simple"
			for i, s := range tmpl {
				if s == "-w" {
					format = tmpl[i+1]
				}
			}
			o, oid, args, osubs := run(t, difftest.OurBinary(t), tmpl)
			r, rid, _, rsubs := run(t, difftest.RefBinary(t), tmpl)
			assert.Equal(t, rid != 0, oid != 0, "a member was added by only one of the binaries")
			memberCompareCanon(t, args, format, o, r, oid, rid, osubs, rsubs, &pb.MemberAddResponse{})
			assert.Equal(t, added[difftest.RefBinary(t)], added[difftest.OurBinary(t)], "the member %q added", args)
			difftest.AssertSameDump(t, dumps[difftest.RefBinary(t)], dumps[difftest.OurBinary(t)], strings.Join(args[1:], " "))
		})
	}

	t.Run("second learner", func(t *testing.T) {
		// The cluster allows one learner: the second add fails the same way.
		id := memberAddLearner(t, cli, "http://127.0.0.4:4")
		defer memberRemove(t, cli, id)
		difftest.Compare(t, []string{ep, "member", "add", "y", "--peer-urls=http://127.0.0.5:5", "--learner"}, difftest.Opts{})
		// Other unstarted members show in ETCD_INITIAL_CLUSTER with an empty name.
		tmpl := []string{ep, "member", "add", "z", "--peer-urls=http://127.0.0.6:{P}"}
		o, oid, args, osubs := run(t, difftest.OurBinary(t), tmpl)
		r, rid, _, rsubs := run(t, difftest.RefBinary(t), tmpl)
		memberCompareCanon(t, args, "simple", o, r, oid, rid, osubs, rsubs, nil)
	})
}

func TestMemberRemoveUpdate(t *testing.T) {
	c := localcluster.StartT(t, memberOpts(3))
	cli := memberClient(t, c)
	ep := "--endpoints=" + c.Hosts()[0]

	t.Run("remove", func(t *testing.T) {
		port := 30000 // every learner gets its own peer URL (see memberCanon)
		variants := [][]string{{}, {"--hex"}}
		for _, w := range memberFormats {
			variants = append(variants, []string{"-w", w})
		}
		variants = append(variants, []string{"-w", "json", "--hex"}, []string{"-w", "fields", "--hex"})
		for _, v := range variants {
			t.Run(strings.Join(v, " "), func(t *testing.T) {
				// Each binary removes its own freshly added learner; only the IDs differ.
				port++
				oid := memberAddLearner(t, cli, fmt.Sprintf("http://127.0.0.7:%d", port))
				oargs := append([]string{ep, "member", "remove", strconv.FormatUint(oid, 16)}, v...)
				o := difftest.Run(t, difftest.OurBinary(t), oargs, difftest.Opts{})
				ours := memberDump(t, cli)
				port++
				rid := memberAddLearner(t, cli, fmt.Sprintf("http://127.0.0.7:%d", port))
				rargs := append([]string{ep, "member", "remove", strings.ToUpper(strconv.FormatUint(rid, 16))}, v...)
				r := difftest.Run(t, difftest.RefBinary(t), rargs, difftest.Opts{})
				ref := memberDump(t, cli)
				assert.False(t, memberIDSet(t, cli)[oid], "our remove left the member")
				assert.False(t, memberIDSet(t, cli)[rid], "reference remove left the member")
				memberCompareCanon(t, oargs, "simple", o, r, oid, rid, nil, nil, nil)
				difftest.AssertSameDump(t, ref, ours, strings.Join(oargs[1:], " "))
			})
		}
		for _, args := range [][]string{
			{ep, "member", "remove", "12"},
			{ep, "member", "remove", "0"},
			{ep, "member", "remove", "12", "-w", "table"},
			{ep, "member", "remove", "12", "-w", "json"},
		} {
			memberCompareUnchanged(t, cli, args)
		}
	})

	t.Run("update", func(t *testing.T) {
		// Updating an unstarted learner to the same URLs gives the same answer every time.
		id := memberAddLearner(t, cli, "http://127.0.0.8:8")
		defer memberRemove(t, cli, id)
		hex := strconv.FormatUint(id, 16)
		cases := [][]string{
			{"--peer-urls=http://127.0.0.8:9"},
			{"--peer-urls=http://b:2,http://a:1"},
			{"--peer-urls= http://b:2, http://a:1"},
			{"--peer-urls=unix://b:2"},
			{"--peer-urls=http://b:2", "--hex"},
			{"--peer-urls=http://b:2", "-w", "json", "--hex"},
			{"--peer-urls=http://b:2", "-w", "fields", "--hex"},
			{"--peer-urls=http://b"},
			{"--peer-urls=http://b:1/path"},
			{"--peer-urls=" + c.Members[1].PeerURL},
		}
		for _, w := range memberFormats {
			cases = append(cases, []string{"--peer-urls=http://127.0.0.8:9", "-w", w})
		}
		// Each binary starts from the learner's first URL; the membership each leaves is compared.
		reset := func(t *testing.T) {
			_, err := cli.MemberUpdate(memberCtx(t), id, []string{"http://127.0.0.8:8"})
			require.NoError(t, err)
		}
		update := func(t *testing.T, args []string) {
			reset(t)
			o := difftest.Run(t, difftest.OurBinary(t), args, difftest.Opts{})
			ours := memberDump(t, cli)
			reset(t)
			r := difftest.Run(t, difftest.RefBinary(t), args, difftest.Opts{})
			ref := memberDump(t, cli)
			difftest.AssertSame(t, args, difftest.Pair{Ours: o, Ref: r})
			difftest.AssertSameDump(t, ref, ours, strings.Join(args[1:], " "))
		}
		for _, v := range cases {
			args := append([]string{ep, "member", "update", hex}, v...)
			t.Run(strings.Join(v, " "), func(t *testing.T) { update(t, args) })
		}
		update(t, []string{ep, "member", "update", strings.ToUpper(hex), "--peer-urls=http://127.0.0.8:9"})
		update(t, []string{ep, "member", "update", "12", "--peer-urls=http://a:1"})
		// promote errors need no started learner
		memberCompareUnchanged(t, cli, []string{ep, "member", "promote", hex})
		memberCompareUnchanged(t, cli, []string{ep, "member", "promote", "12"})
		memberCompareUnchanged(t, cli, []string{ep, "member", "promote", strconv.FormatUint(c.Members[1].ID(), 16)})
		memberCompareUnchanged(t, cli, []string{ep, "member", "promote", strconv.FormatUint(c.Members[1].ID(), 16), "-w", "table"})
	})
}

func TestMemberPromote(t *testing.T) {
	c := localcluster.StartT(t, memberOpts(1))
	cli := memberClient(t, c)
	ep := "--endpoints=" + c.Hosts()[0]
	const name = `le"arner é`
	ports := func(t *testing.T) (int, int) {
		cp, err := localcluster.FreePort()
		require.NoError(t, err)
		pp, err := localcluster.FreePort()
		require.NoError(t, err)
		return cp, pp
	}

	// Each binary promotes its own learner (same name, its own ports, which are normalized); the
	// promoted member is removed again afterwards.
	// dump is the membership right after the promotion (the learner's URLs masked by its name).
	promote := func(t *testing.T, bin string, extra []string) (res difftest.Result, id uint64, args, subs []string, dump string) {
		cp, pp := ports(t)
		l := memberStartLearner(t, cli, name, cp, pp)
		args = append([]string{ep, "member", "promote", strconv.FormatUint(l.ID, 16)}, extra...)
		res = difftest.Run(t, bin, args, difftest.Opts{})
		dump = memberDump(t, cli)
		memberRemove(t, cli, l.ID)
		l.Stop()
		return res, l.ID, args, []string{":" + strconv.Itoa(cp), ":CPORT", ":" + strconv.Itoa(pp), ":PPORT"}, dump
	}
	for _, extra := range [][]string{nil, {"-w", "json", "--hex"}, {"-w", "protobuf"}, {"-w", "fields"}} {
		t.Run(strings.Join(append([]string{"promote"}, extra...), " "), func(t *testing.T) {
			o, oid, args, osubs, odump := promote(t, difftest.OurBinary(t), extra)
			r, rid, _, rsubs, rdump := promote(t, difftest.RefBinary(t), extra)
			difftest.AssertSameDump(t, rdump, odump, strings.Join(args[1:], " "))
			assert.Contains(t, rdump, fmt.Sprintf("member %q learner=false", name), "the reference promoted the learner")
			format := "simple"
			if len(extra) > 1 {
				format = extra[1]
			}
			memberCompareCanon(t, args, format, o, r, oid, rid, osubs, rsubs, &pb.MemberPromoteResponse{})
			if format != "fields" {
				assert.Equal(t, 0, o.Code, "promote failed: %s", o.FirstErrLine())
			}
		})
		if t.Failed() {
			break
		}
	}
	t.Run("started learner listed", func(t *testing.T) {
		cp, pp := ports(t)
		l := memberStartLearner(t, cli, name, cp, pp)
		defer func() { memberRemove(t, cli, l.ID); l.Stop() }()
		memberListCases(t, c.Hosts()[0])
		// promoting a voter
		memberCompareUnchanged(t, cli, []string{ep, "member", "promote", strconv.FormatUint(c.Members[0].ID(), 16)})
	})
}
