package difftest

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/localcluster"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Twin is a pair of identical clusters: ours runs against A, the reference against B. Applying
// the same operations to both keeps their revisions equal, so even mutating commands can be
// compared byte for byte once the cluster and member IDs are masked.
type Twin struct {
	A, B *localcluster.Cluster
	cliA *clientv3.Client
	cliB *clientv3.Client
}

// NewTwin starts two clusters of size members each.
func NewTwin(t testing.TB, size int) *Twin {
	t.Helper()
	return NewTwinOpts(t, localcluster.Options{Size: size})
}

// NewTwinOpts starts two clusters with the same options (server settings, quotas...).
func NewTwinOpts(t testing.TB, opts localcluster.Options) *Twin {
	t.Helper()
	tw := &Twin{
		A: localcluster.StartT(t, opts),
		B: localcluster.StartT(t, opts),
	}
	var err error
	if tw.cliA, err = tw.A.Client(); err != nil {
		t.Fatal(err)
	}
	if tw.cliB, err = tw.B.Client(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.cliA.Close(); tw.cliB.Close() })
	return tw
}

// Do applies fn to both clusters' clients (set-up that must stay in lock-step).
func (tw *Twin) Do(t testing.TB, fn func(ctx context.Context, cli *clientv3.Client) error) {
	t.Helper()
	for _, cli := range []*clientv3.Client{tw.cliA, tw.cliB} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := fn(ctx, cli)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Put writes key=value on both clusters.
func (tw *Twin) Put(t testing.TB, key, value string) {
	t.Helper()
	tw.Do(t, func(ctx context.Context, cli *clientv3.Client) error {
		_, err := cli.Put(ctx, key, value)
		return err
	})
}

// Compare runs args with ours against A and the reference against B and compares them after
// masking each cluster's IDs. Extra opts.Env applies to both.
func (tw *Twin) Compare(t testing.TB, args []string, opts Opts, norm ...Normalizer) Pair {
	t.Helper()
	return CompareHosts(t, tw.A.Hosts(), tw.B.Hosts(), args, opts, norm...)
}

// CompareHosts runs args with ours against the members at a and the reference against those at
// b (two clusters in the same state) and compares them after masking each cluster's IDs.
func CompareHosts(t testing.TB, a, b []string, args []string, opts Opts, norm ...Normalizer) Pair {
	t.Helper()
	oa := opts
	oa.Env = append(append([]string{}, opts.Env...), "ETCDCTL_ENDPOINTS="+strings.Join(a, ","))
	ob := opts
	ob.Env = append(append([]string{}, opts.Env...), "ETCDCTL_ENDPOINTS="+strings.Join(b, ","))
	p := Pair{Ours: Run(t, OurBinary(t), args, oa), Ref: Run(t, refOf(t, opts), args, ob)}.withOpts(opts)
	if isProtobuf(args) {
		p.Ours.Stdout, p.Ref.Stdout = ProtoText(p.Ours.Stdout), ProtoText(p.Ref.Stdout)
	}
	p.Ours.Stdout = MaskHosts(a, p.Ours.Stdout)
	p.Ref.Stdout = MaskHosts(b, p.Ref.Stdout)
	p.Ours.Stderr = MaskHosts(a, p.Ours.Stderr)
	p.Ref.Stderr = MaskHosts(b, p.Ref.Stderr)
	AssertSame(t, args, p, norm...)
	return p
}

// MaskHosts replaces the cluster ID, member IDs, peer URLs and client endpoints of the cluster
// whose members answer at hosts in out (decimal, hex and protobuf varint forms) with fixed
// placeholders.
func MaskHosts(hosts []string, out []byte) []byte {
	cli, err := clientv3.New(clientv3.Config{Endpoints: hosts, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return out
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.MemberList(ctx)
	if err != nil {
		return out
	}
	type repl struct{ from, to []byte }
	var rs []repl
	add := func(id uint64, name string) {
		rs = append(rs,
			repl{[]byte(strconv.FormatUint(id, 10)), []byte("<" + name + ">")},
			repl{[]byte(strconv.FormatUint(id, 16)), []byte("<" + name + "-hex>")},
			repl{varint(id), []byte("<" + name + "-pb>")},
		)
	}
	add(resp.Header.ClusterId, "cluster")
	for _, m := range resp.Members {
		add(m.ID, "member-"+m.Name)
		for i, u := range m.PeerURLs {
			rs = append(rs, repl{[]byte(u), []byte("<peer-" + m.Name + "-" + strconv.Itoa(i) + ">")})
		}
	}
	for i, h := range hosts {
		rs = append(rs, repl{[]byte(h), []byte("<endpoint" + strconv.Itoa(i) + ">")})
	}
	for _, r := range rs {
		out = bytes.ReplaceAll(out, r.from, r.to)
	}
	return out
}

func varint(v uint64) []byte {
	var b []byte
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}
