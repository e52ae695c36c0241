package printer_test

import (
	"bytes"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/internal/dialect"
	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/protobuf/proto"
)

func watchPrint(t *testing.T, format string, hex bool, r *clientv3.WatchResponse) (string, error) {
	var buf bytes.Buffer
	p, err := printer.New(format, hex, &buf)
	require.NoError(t, err)
	err = p.Watch(r)
	require.NoError(t, p.Flush())
	return buf.String(), err
}

func watchSample() *clientv3.WatchResponse {
	prev := &mvccpb.KeyValue{Key: []byte("k"), Value: []byte("a"), ModRevision: 2}
	return &clientv3.WatchResponse{
		Header: &pb.ResponseHeader{ClusterId: 1, MemberId: 2, Revision: 4, RaftTerm: 3},
		Events: []*clientv3.Event{
			{Type: mvccpb.PUT, Kv: &mvccpb.KeyValue{Key: []byte("k"), Value: []byte("b"), ModRevision: 3}, PrevKv: prev},
			{Type: mvccpb.DELETE, Kv: &mvccpb.KeyValue{Key: []byte("k"), ModRevision: 4}},
		},
	}
}

func TestWatchPrinterFormats(t *testing.T) {
	out, err := watchPrint(t, "simple", false, watchSample())
	require.NoError(t, err)
	assert.Equal(t, "PUT\nk\na\nk\nb\nDELETE\nk\n\n", out)
	out, _ = watchPrint(t, "json", false, watchSample())
	assert.Contains(t, out, `{"Header":{"cluster_id":1,"member_id":2,"revision":4,"raft_term":3},"Events":[{"kv":{"key":"aw==","mod_revision":3,"value":"Yg=="},"prev_kv":`)
	assert.Contains(t, out, `"CompactRevision":0,"Canceled":false,"Created":false,"CancelReason":""}`+"\n")
	out, _ = watchPrint(t, "fields", true, watchSample())
	assert.Contains(t, out, "\"Type\" : PUT\n\"PrevKey\" : \"k\"\n")
	assert.Contains(t, out, "\"Type\" : DELETE\n\"Key\" : \"k\"\n")
	assert.Contains(t, out, "\"Lease\" : 0000000000000000\n")
	// protobuf: the response as one WatchResponse message (the bytes the reference prints for a
	// real watch are compared in commands.TestWatchDifferential), deterministic field order.
	out, _ = watchPrint(t, "protobuf", false, watchSample())
	want := &pb.WatchResponse{Header: watchSample().Header}
	for _, e := range watchSample().Events {
		want.Events = append(want.Events, (*mvccpb.Event)(e))
	}
	wb, err := proto.Marshal(want)
	require.NoError(t, err)
	assert.Equal(t, string(wb), out)
	_, err = watchPrint(t, "table", false, watchSample())
	assert.Error(t, err)
}

// A canceled watch (a compacted revision) in JSON: 3.7 shows "Events":null and a CancelReason,
// 3.5 and 3.6 "Events":[] and no CancelReason (what each release printed for the same answer).
func TestWatchCanceledJSONByDialect(t *testing.T) {
	r := &clientv3.WatchResponse{Header: &pb.ResponseHeader{ClusterId: 1, MemberId: 2, RaftTerm: 2}, CompactRevision: 6, Canceled: true}
	for name, want := range map[string]string{
		"3.7": `{"Header":{"cluster_id":1,"member_id":2,"raft_term":2},"Events":null,"CompactRevision":6,"Canceled":true,"Created":false,"CancelReason":""}` + "\n",
		"3.6": `{"Header":{"cluster_id":1,"member_id":2,"raft_term":2},"Events":[],"CompactRevision":6,"Canceled":true,"Created":false}` + "\n",
		"3.5": `{"Header":{"cluster_id":1,"member_id":2,"raft_term":2},"Events":[],"CompactRevision":6,"Canceled":true,"Created":false}` + "\n",
	} {
		d, err := dialect.Get(name)
		require.NoError(t, err)
		var buf bytes.Buffer
		p, err := printer.New("json", false, &buf)
		require.NoError(t, err)
		p.Dialect = d
		require.NoError(t, p.Watch(r))
		require.NoError(t, p.Flush())
		assert.Equal(t, want, buf.String(), name)
	}
}
