package printer

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/protobuf/proto"
)

func kvTestResponses() []*pb.RangeResponse {
	h := &pb.ResponseHeader{ClusterId: 0xdeadbeefcafe, MemberId: 0x1234567890abcdef, Revision: 42, RaftTerm: 7}
	kvs := []*mvccpb.KeyValue{
		{Key: []byte("a"), Value: []byte("1"), CreateRevision: 2, ModRevision: 3, Version: 2},
		{Key: []byte("b\x00\xff\"\n"), Value: nil, CreateRevision: 4, ModRevision: 4, Version: 1, Lease: 0x7fffffff12345678},
		{Key: []byte("c"), Value: bytes.Repeat([]byte("v"), 300), CreateRevision: 5, ModRevision: 9, Version: 5},
	}
	return []*pb.RangeResponse{
		{Header: h},
		{Header: h, Kvs: kvs[:1], Count: 1},
		{Header: h, Kvs: kvs, Count: 3},
		{Header: h, Kvs: kvs[:2], More: true, Count: 10},
		{Header: &pb.ResponseHeader{}, Count: 0},
		{Header: h, Count: 12}, // count-only
	}
}

func printGet(t *testing.T, format string, hex bool, r *pb.RangeResponse) string {
	t.Helper()
	var buf bytes.Buffer
	p, err := New(format, hex, &buf)
	require.NoError(t, err)
	require.NoError(t, p.Get((*clientv3.GetResponse)(r), false, false))
	require.NoError(t, p.Flush())
	return buf.String()
}

// The streamed protobuf bytes are exactly the marshalled RangeResponse.
func TestKVStreamProtobufMatchesMarshal(t *testing.T) {
	for i, r := range kvTestResponses() {
		want, err := proto.Marshal(r)
		require.NoError(t, err)
		assert.Equal(t, want, []byte(printGet(t, "protobuf", false, r)), "response %d", i)
	}
}

// The streamed JSON is the same document encoding/json makes of the RangeResponse.
func TestKVStreamJSONMatchesMarshal(t *testing.T) {
	for i, r := range kvTestResponses() {
		want, err := json.Marshal(r)
		require.NoError(t, err)
		assert.Equal(t, string(want)+"\n", printGet(t, "json", false, r), "response %d", i)
	}
}

func TestKVSimpleAndHex(t *testing.T) {
	r := kvTestResponses()[1]
	assert.Equal(t, "a\n1\n", printGet(t, "simple", false, r))
	assert.Equal(t, `\x61`+"\n"+`\x31`+"\n", printGet(t, "simple", true, r))
	var buf bytes.Buffer
	p, _ := New("simple", false, &buf)
	p.SimpleKV(r.Kvs[0], true, false)
	p.SimpleKV(r.Kvs[0], false, true)
	p.SimpleKV(r.Kvs[0], true, true)
	p.Flush()
	assert.Equal(t, "a\n\n1\n\n", buf.String())
}

func TestKVFields(t *testing.T) {
	r := kvTestResponses()[2]
	out := printGet(t, "fields", false, r)
	assert.Contains(t, out, "\"ClusterID\" : 244837814094590\n")
	assert.Contains(t, out, "\"Key\" : \"b\\x00\\xff\\\"\\n\"\n")
	assert.Contains(t, out, "\"Lease\" : 9223372032865228408\n")
	assert.True(t, bytes.HasSuffix([]byte(out), []byte("\"More\" : false\n\"Count\" : 3\n")))
	hex := printGet(t, "fields", true, r)
	assert.Contains(t, hex, "\"ClusterID\" : deadbeefcafe\n")
	assert.Contains(t, hex, "\"Lease\" : 7fffffff12345678\n")
	assert.Contains(t, hex, "\"Lease\" : 0000000000000000\n")
}

func TestKVTableUnsupported(t *testing.T) {
	var buf bytes.Buffer
	p, err := New("table", false, &buf)
	require.NoError(t, err)
	err = p.Get((*clientv3.GetResponse)(kvTestResponses()[1]), false, false)
	var ue *UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "table not supported as output format", err.Error())
	_, err = New("yaml", false, &buf)
	assert.ErrorIs(t, err, ErrUnknownFormat)
}

// BenchmarkKVStreamJSON measures per-key printing cost (no reflection, few allocations).
func BenchmarkKVStreamJSON(b *testing.B) {
	kv := &mvccpb.KeyValue{Key: []byte("/registry/pods/default/x"), Value: bytes.Repeat([]byte("v"), 1024), CreateRevision: 5, ModRevision: 9, Version: 5}
	for _, f := range []string{"simple", "json", "fields", "protobuf"} {
		b.Run(f, func(b *testing.B) {
			p, _ := New(f, false, discard{})
			s, _ := p.GetStream(false, false)
			s.Begin(&pb.ResponseHeader{Revision: 1})
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s.KV(kv)
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
