package printer

import (
	"fmt"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Txn prints the result of `txn`: SUCCESS or FAILURE, then every response.
func (p *Printer) Txn(r *clientv3.TxnResponse) error {
	switch p.Format {
	case Simple:
		if r.Succeeded {
			p.w.WriteString("SUCCESS\n")
		} else {
			p.w.WriteString("FAILURE\n")
		}
		for _, op := range r.Responses {
			p.w.WriteByte('\n')
			p.txnSimpleOp(op)
		}
	case JSON:
		return p.WriteJSON(txnJSON((*pb.TxnResponse)(r)))
	case Fields:
		p.FieldsHeader(r.Header)
		fmt.Fprintf(p.w, "\"Succeeded\" : %v\n", r.Succeeded)
		for _, op := range r.Responses {
			p.txnFieldsOp(op)
		}
	case Protobuf:
		return p.WriteProto((*pb.TxnResponse)(r))
	default:
		return p.Unsupported()
	}
	return nil
}

func (p *Printer) txnSimpleOp(op *pb.ResponseOp) {
	switch {
	case op.GetResponseRange() != nil:
		for _, kv := range op.GetResponseRange().Kvs {
			p.SimpleKV(kv, false, false)
		}
	case op.GetResponsePut() != nil:
		p.w.WriteString("OK\n")
		if kv := op.GetResponsePut().PrevKv; kv != nil {
			p.SimpleKV(kv, false, false)
		}
	case op.GetResponseDeleteRange() != nil:
		d := op.GetResponseDeleteRange()
		fmt.Fprintf(p.w, "%d\n", d.Deleted)
		for _, kv := range d.PrevKvs {
			p.SimpleKV(kv, false, false)
		}
	case op.GetResponseTxn() != nil:
		_ = p.Txn((*clientv3.TxnResponse)(op.GetResponseTxn()))
	}
}

func (p *Printer) txnFieldsOp(op *pb.ResponseOp) {
	switch {
	case op.GetResponseRange() != nil:
		rr := op.GetResponseRange()
		p.FieldsHeader(rr.Header)
		for _, kv := range rr.Kvs {
			p.w.Write(p.appendFieldsKV(nil, "", kv))
		}
		fmt.Fprintf(p.w, "\"More\" : %v\n\"Count\" : %d\n", rr.More, rr.Count)
	case op.GetResponsePut() != nil:
		pr := op.GetResponsePut()
		p.FieldsHeader(pr.Header)
		if pr.PrevKv != nil {
			p.w.Write(p.appendFieldsKV(nil, "Prev", pr.PrevKv))
		}
	case op.GetResponseDeleteRange() != nil:
		d := op.GetResponseDeleteRange()
		p.FieldsHeader(d.Header)
		fmt.Fprintf(p.w, "\"Deleted\" : %d\n", d.Deleted)
		for _, kv := range d.PrevKvs {
			p.w.Write(p.appendFieldsKV(nil, "Prev", kv))
		}
	case op.GetResponseTxn() != nil:
		_ = p.Txn((*clientv3.TxnResponse)(op.GetResponseTxn()))
	}
}

// txnJSONResponse is a TxnResponse laid out as upstream's JSON shows it: each response wrapped in
// {"Response":{"response_range"|"response_put"|"response_delete_range"|"response_txn": ...}}.
type txnJSONResponse struct {
	Header    *pb.ResponseHeader `json:"header,omitempty"`
	Succeeded bool               `json:"succeeded,omitempty"`
	Responses []txnJSONOp        `json:"responses,omitempty"`
}

type txnJSONOp struct {
	Response txnJSONOneof `json:"Response"`
}

type txnJSONOneof struct {
	Range  *pb.RangeResponse       `json:"response_range,omitempty"`
	Put    *pb.PutResponse         `json:"response_put,omitempty"`
	Delete *pb.DeleteRangeResponse `json:"response_delete_range,omitempty"`
	Txn    *txnJSONResponse        `json:"response_txn,omitempty"`
}

func txnJSON(r *pb.TxnResponse) *txnJSONResponse {
	out := &txnJSONResponse{Header: r.Header, Succeeded: r.Succeeded}
	for _, op := range r.Responses {
		var o txnJSONOneof
		switch {
		case op.GetResponseRange() != nil:
			o.Range = op.GetResponseRange()
		case op.GetResponsePut() != nil:
			o.Put = op.GetResponsePut()
		case op.GetResponseDeleteRange() != nil:
			o.Delete = op.GetResponseDeleteRange()
		case op.GetResponseTxn() != nil:
			o.Txn = txnJSON(op.GetResponseTxn())
		}
		out.Responses = append(out.Responses, txnJSONOp{Response: o})
	}
	return out
}

// TxnPrompt writes one `txn -i` prompt line on stdout (upstream prompts there) and flushes it, so
// a person typing sees it before answering.
func (p *Printer) TxnPrompt(prompt string) error {
	p.w.WriteString(prompt)
	p.w.WriteByte('\n')
	return p.w.Flush()
}

// TxnHelp writes the help page a request line asked for (`put -h` inside a txn), as is, and
// flushes it.
func (p *Printer) TxnHelp(page string) error {
	p.w.WriteString(page)
	return p.w.Flush()
}
