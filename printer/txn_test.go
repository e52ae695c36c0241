package printer_test

import (
	"bytes"
	"testing"

	"github.com/etcdctl-rewritten/etcdctl/printer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func txnSample() *clientv3.TxnResponse {
	kv := &mvccpb.KeyValue{Key: []byte("k1"), Value: []byte("v1"), CreateRevision: 2, ModRevision: 3, Version: 2}
	h := &pb.ResponseHeader{Revision: 5}
	return &clientv3.TxnResponse{
		Header:    &pb.ResponseHeader{ClusterId: 10, MemberId: 11, Revision: 5, RaftTerm: 2},
		Succeeded: true,
		Responses: []*pb.ResponseOp{
			{Response: &pb.ResponseOp_ResponseRange{ResponseRange: &pb.RangeResponse{Header: h, Kvs: []*mvccpb.KeyValue{kv}, Count: 1}}},
			{Response: &pb.ResponseOp_ResponsePut{ResponsePut: &pb.PutResponse{Header: h, PrevKv: kv}}},
			{Response: &pb.ResponseOp_ResponseDeleteRange{ResponseDeleteRange: &pb.DeleteRangeResponse{Header: h, Deleted: 1}}},
		},
	}
}

func txnPrint(t *testing.T, format string, hex bool, r *clientv3.TxnResponse) (string, error) {
	var buf bytes.Buffer
	p, err := printer.New(format, hex, &buf)
	require.NoError(t, err)
	err = p.Txn(r)
	require.NoError(t, p.Flush())
	return buf.String(), err
}

func TestTxnPrinterSimple(t *testing.T) {
	out, err := txnPrint(t, "simple", false, txnSample())
	require.NoError(t, err)
	assert.Equal(t, "SUCCESS\n\nk1\nv1\n\nOK\nk1\nv1\n\n1\n", out)
	r := txnSample()
	r.Succeeded, r.Responses = false, nil
	out, _ = txnPrint(t, "simple", false, r)
	assert.Equal(t, "FAILURE\n", out)
	out, _ = txnPrint(t, "simple", true, txnSample())
	assert.Contains(t, out, "\\x6b\\x31\n\\x76\\x31\n")
}

func TestTxnPrinterJSONNamesTheOneof(t *testing.T) {
	out, err := txnPrint(t, "json", false, txnSample())
	require.NoError(t, err)
	assert.Contains(t, out, `{"header":{"cluster_id":10,"member_id":11,"revision":5,"raft_term":2},"succeeded":true,"responses":[{"Response":{"response_range":{"header":{"revision":5},"kvs":[{"key":"azE=","create_revision":2,"mod_revision":3,"version":2,"value":"djE="}],"count":1}}},{"Response":{"response_put":`)
	assert.Contains(t, out, `{"Response":{"response_delete_range":{"header":{"revision":5},"deleted":1}}}]}`)
}

func TestTxnPrinterFieldsAndTable(t *testing.T) {
	out, err := txnPrint(t, "fields", false, txnSample())
	require.NoError(t, err)
	assert.Contains(t, out, "\"Succeeded\" : true\n")
	assert.Contains(t, out, "\"PrevKey\" : \"k1\"\n")
	assert.Contains(t, out, "\"Deleted\" : 1\n")
	assert.Contains(t, out, "\"More\" : false\n\"Count\" : 1\n")
	_, err = txnPrint(t, "table", false, txnSample())
	assert.EqualError(t, err, "table not supported as output format")
}
