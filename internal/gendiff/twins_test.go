package gendiff

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// side is one cluster of the twins with the binary that runs against it.
type side struct {
	name   string
	c      *localcluster.Cluster
	cli    *clientv3.Client
	bin    string
	dir    string
	member string // first member ID in hex
	masks  []mask
	env    []string // added to every line's environment (ours: the dialect switch)
}

type mask struct{ from, to string }

// twins are two one-member clusters in the same state: ours runs against a, the reference
// against b. Unlike difftest.Twin they can be closed and replaced in the middle of a test.
type twins struct{ a, b *side }

func startSide(t *testing.T, name, bin string) *side {
	t.Helper()
	localcluster.SkipIfShort(t)
	c, err := localcluster.Start(localcluster.Options{Size: 1})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, c.WaitHealthy(ctx))
	cli, err := c.Client()
	require.NoError(t, err)
	s := &side{name: name, c: c, cli: cli, bin: bin, dir: t.TempDir()}
	resp, err := cli.MemberList(ctx)
	require.NoError(t, err)
	add := func(id uint64, ph string) {
		s.masks = append(s.masks,
			mask{strconv.FormatUint(id, 10), "<" + ph + ">"},
			mask{strconv.FormatUint(id, 16), "<" + ph + "-hex>"})
	}
	add(resp.Header.ClusterId, "cluster")
	for i, m := range resp.Members {
		add(m.ID, "member"+strconv.Itoa(i))
		for _, u := range m.PeerURLs {
			s.masks = append(s.masks, mask{u, "<peer" + strconv.Itoa(i) + ">"})
		}
	}
	s.member = strconv.FormatUint(resp.Members[0].ID, 16)
	for i, h := range c.Hosts() {
		s.masks = append(s.masks, mask{h, "<endpoint" + strconv.Itoa(i) + ">"})
	}
	s.masks = append(s.masks, mask{s.dir, "<dir>"})
	return s
}

func (s *side) close() {
	s.cli.Close()
	s.c.Close()
}

// startTwins starts the twins for lines of dialect d (3.5, 3.6 or 3.7): ours runs with
// ETCDCTL_COMPAT set to it, against that release's reference.
func startTwins(t *testing.T, d string) *twins {
	t.Helper()
	ref := difftest.RefBinary(t)
	switch d {
	case "3.7":
	case "3.6":
		ref = difftest.RefBinaryAt(t, "v3.6.16")
	case "3.5":
		ref = difftest.RefBinaryAt(t, "v3.5.35")
	default:
		t.Fatalf("GENDIFF_DIALECT=%q: 3.5, 3.6 or 3.7", d)
	}
	tw := &twins{a: startSide(t, "ours", difftest.OurBinary(t)), b: startSide(t, "reference", ref)}
	if d != "3.7" {
		tw.a.env = []string{"ETCDCTL_COMPAT=" + d}
	}
	for _, s := range []*side{tw.a, tw.b} {
		require.NoError(t, seedState(s.cli))
	}
	return tw
}

func (tw *twins) close() { tw.a.close(); tw.b.close() }

// seedState writes the same keys, fixed-ID leases, users and roles on a cluster.
func seedState(cli *clientv3.Client) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, kv := range [][2]string{{"k1", "v1"}, {"k2", ""}, {"k3", "a b\tc"}, {"ab", "x"}, {"b/c", "y"},
		{"日本", "語"}, {"-dash", "d"}, {"sp ace", "s"}, {"b\x01\"\t", "v\xff\xfe\"x"}, {"z", "last"}} {
		if _, err := cli.Put(ctx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	if err := grantPool(ctx, cli); err != nil {
		return err
	}
	if _, err := cli.Put(ctx, "kl", "leased", clientv3.WithLease(clientv3.LeaseID(LeasePool[0]))); err != nil {
		return err
	}
	if _, err := cli.UserAdd(ctx, "alice", "pw"); err != nil {
		return err
	}
	if _, err := cli.RoleAdd(ctx, "r1"); err != nil {
		return err
	}
	if _, err := cli.RoleGrantPermission(ctx, "r1", "k", clientv3.GetPrefixRangeEnd("k"), clientv3.PermissionType(clientv3.PermReadWrite)); err != nil {
		return err
	}
	_, err := cli.UserGrantRole(ctx, "alice", "r1")
	return err
}

// grantPool (re)grants the fixed lease IDs lines refer to.
func grantPool(ctx context.Context, cli *clientv3.Client) error {
	for _, id := range LeasePool {
		_, err := pb.NewLeaseClient(cli.ActiveConnection()).LeaseGrant(ctx, &pb.LeaseGrantRequest{TTL: 3600, ID: id})
		if err != nil && !strings.Contains(err.Error(), "lease already exists") {
			return err
		}
	}
	return nil
}

// leases lists a cluster's lease IDs.
func leases(cli *clientv3.Client) (map[int64]bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.Leases(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, l := range resp.Leases {
		out[int64(l.ID)] = true
	}
	return out, nil
}

// fingerprint is a cluster's whole visible state: revision, compaction, every key with its
// revisions and lease, leases, users, roles, auth and alarms.
func fingerprint(s *side) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cli := s.cli
	var sb strings.Builder
	resp, err := cli.Get(ctx, "", clientv3.WithFromKey())
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&sb, "rev %d\n", resp.Header.Revision)
	for _, kv := range resp.Kvs {
		fmt.Fprintf(&sb, "%q=%q c%d m%d v%d l%x\n", kv.Key, kv.Value, kv.CreateRevision, kv.ModRevision, kv.Version, kv.Lease)
	}
	h, err := cli.HashKV(ctx, s.c.Hosts()[0], 0)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&sb, "compact %d\n", h.CompactRevision)
	ls, err := leases(cli)
	if err != nil {
		return "", err
	}
	var ids []string
	for id := range ls {
		ids = append(ids, strconv.FormatInt(id, 16))
	}
	sort.Strings(ids)
	fmt.Fprintf(&sb, "leases %v\n", ids)
	as, err := cli.AuthStatus(ctx)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&sb, "auth %v\n", as.Enabled)
	ul, err := cli.UserList(ctx)
	if err != nil {
		return "", err
	}
	for _, u := range ul.Users {
		ug, err := cli.UserGet(ctx, u)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&sb, "user %q %v\n", u, ug.Roles)
	}
	rl, err := cli.RoleList(ctx)
	if err != nil {
		return "", err
	}
	for _, r := range rl.Roles {
		rg, err := cli.RoleGet(ctx, r)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&sb, "role %q %v\n", r, rg.Perm)
	}
	al, err := cli.AlarmList(ctx)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&sb, "alarms %d\n", len(al.Alarms))
	return sb.String(), nil
}

// unreadableAlike starts inSync's reason when both clusters fail the fingerprint alike.
const unreadableAlike = "both unreadable alike: "

// inSync reports whether both clusters are in the same state, and how they differ.
func (tw *twins) inSync() (bool, string) {
	fa, errA := fingerprint(tw.a)
	fb, errB := fingerprint(tw.b)
	if errA != nil && errB != nil && errA.Error() == errB.Error() {
		// Both unreadable the same way (auth enabled with a root the harness cannot log in as):
		// no difference shown, but nothing to compare further lines against either.
		return false, unreadableAlike + errA.Error()
	}
	if errA != nil || errB != nil {
		return false, fmt.Sprintf("fingerprint errors: ours %v, reference %v", errA, errB)
	}
	if fa != fb {
		return false, firstDiffLine(fa, fb)
	}
	return true, ""
}

func firstDiffLine(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("ours %q, reference %q", la[i], lb[i])
		}
	}
	return "different lengths"
}

// run runs l with the side's binary and masks the side's IDs, endpoints and scratch folder.
func (s *side) run(t *testing.T, l Line) Outcome {
	t.Helper()
	var before map[int64]bool
	if l.Verb == "lease grant" {
		var err error
		before, err = leases(s.cli)
		require.NoError(t, err)
	}
	args := l.Args()
	for i, a := range args {
		a = strings.ReplaceAll(a, PhEndpoint, s.c.Hosts()[0])
		a = strings.ReplaceAll(a, PhMember, s.member)
		args[i] = strings.ReplaceAll(a, PhDir, s.dir)
	}
	env := append(append([]string{}, s.env...), l.Env...)
	if !l.NoEnvEP {
		env = append(env, "ETCDCTL_ENDPOINTS="+s.c.Hosts()[0])
	}
	timeout := l.Timeout
	if timeout == 0 {
		timeout = 20 * time.Second
	}
	res := difftest.Run(t, s.bin, args, difftest.Opts{Env: env, Stdin: l.Stdin, Timeout: timeout, Dir: s.dir})
	out := res.Stdout
	if IsProtobuf(l) {
		out = protoAfterPrompts(out)
	}
	masks := s.masks
	if before != nil {
		// Lease IDs are random per cluster: mask the new ones and revoke them, so that only
		// the fixed pool stays (and `lease list` compares).
		after, err := leases(s.cli)
		require.NoError(t, err)
		for id := range after {
			if !before[id] {
				masks = append(masks, mask{strconv.FormatInt(id, 10), "<lease>"},
					mask{fmt.Sprintf("%016x", id), "<lease-hex>"}, mask{strconv.FormatInt(id, 16), "<lease-hex>"})
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_, err := s.cli.Revoke(ctx, clientv3.LeaseID(id))
				cancel()
				require.NoError(t, err)
			}
		}
	}
	errLine, fatal, errorLine := ErrLines(string(res.Stderr))
	for _, m := range masks {
		out = bytes.ReplaceAll(out, []byte(m.from), []byte(m.to))
		errLine = strings.ReplaceAll(errLine, m.from, m.to)
	}
	return Outcome{Stdout: Normalize(l, string(out)), Code: res.Code, Err: Normalize(l, errLine), Fatal: fatal, Error: errorLine}
}

// pair runs l on both sides, ours first.
func (tw *twins) pair(t *testing.T, l Line) (ours, ref Outcome) {
	t.Helper()
	ours = tw.a.run(t, l)
	ref = tw.b.run(t, l)
	if l.Verb == "lease revoke" {
		// Keep the fixed lease pool granted (a revoked lease's keys stay deleted on both).
		for _, s := range []*side{tw.a, tw.b} {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			require.NoError(t, grantPool(ctx, s.cli))
			cancel()
		}
	}
	return ours, ref
}

func envInt(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err == nil {
			return n
		}
	}
	return def
}

// protoAfterPrompts decodes a protobuf message that may follow prompt lines (txn -i, user add
// asking for a password): the first split after a newline where the text before is printable
// and the rest parses as a message.
func protoAfterPrompts(out []byte) []byte {
	for i := 0; i < len(out) && i < 512; i++ {
		if i > 0 && out[i-1] != '\n' {
			continue
		}
		head := out[:i]
		if !utf8.Valid(head) || bytes.ContainsFunc(head, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' }) {
			break
		}
		if rest := out[i:]; len(rest) > 0 {
			if text := difftest.ProtoText(rest); !bytes.Equal(text, rest) {
				return append(append([]byte{}, head...), text...)
			}
		}
	}
	return out
}
