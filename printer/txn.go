package printer

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// txnSimpleKV writes a key-value in the simple format: the key line, then the value line.
func (p *Printer) txnSimpleKV(kv *mvccpb.KeyValue) {
	if p.Hex {
		p.w.Write(AppendHexEscaped(nil, kv.Key))
		p.w.WriteByte('\n')
		p.w.Write(AppendHexEscaped(nil, kv.Value))
		p.w.WriteByte('\n')
		return
	}
	p.w.Write(kv.Key)
	p.w.WriteByte('\n')
	p.w.Write(kv.Value)
	p.w.WriteByte('\n')
}

// txnFieldsKV writes a key-value in the fields format; prefix is "" or "Prev".
func (p *Printer) txnFieldsKV(prefix string, kv *mvccpb.KeyValue) {
	p.Printf("\"%sKey\" : %q\n\"%sCreateRevision\" : %d\n\"%sModRevision\" : %d\n\"%sVersion\" : %d\n\"%sValue\" : %q\n",
		prefix, string(kv.Key), prefix, kv.CreateRevision, prefix, kv.ModRevision, prefix, kv.Version, prefix, string(kv.Value))
	if p.Hex {
		p.Printf("\"%sLease\" : %016x\n", prefix, kv.Lease)
	} else {
		p.Printf("\"%sLease\" : %d\n", prefix, kv.Lease)
	}
}

// Txn prints the result of `txn`: SUCCESS or FAILURE, then every response.
func (p *Printer) Txn(r *clientv3.TxnResponse) error {
	switch p.Format {
	case Simple:
		if r.Succeeded {
			p.Raw("SUCCESS\n")
		} else {
			p.Raw("FAILURE\n")
		}
		for _, op := range r.Responses {
			p.w.WriteByte('\n')
			p.txnSimpleOp(op)
		}
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.leaseFieldsHeader(r.Header)
		p.Printf("\"Succeeded\" : %v\n", r.Succeeded)
		for _, op := range r.Responses {
			p.txnFieldsOp(op)
		}
	case Protobuf:
		return p.leaseWriteProtoMsg((*pb.TxnResponse)(r))
	default:
		return p.Unsupported()
	}
	return nil
}

func (p *Printer) txnSimpleOp(op *pb.ResponseOp) {
	switch {
	case op.GetResponseRange() != nil:
		for _, kv := range op.GetResponseRange().Kvs {
			p.txnSimpleKV(kv)
		}
	case op.GetResponsePut() != nil:
		p.Raw("OK\n")
		if kv := op.GetResponsePut().PrevKv; kv != nil {
			p.txnSimpleKV(kv)
		}
	case op.GetResponseDeleteRange() != nil:
		d := op.GetResponseDeleteRange()
		p.Printf("%d\n", d.Deleted)
		for _, kv := range d.PrevKvs {
			p.txnSimpleKV(kv)
		}
	case op.GetResponseTxn() != nil:
		_ = p.Txn((*clientv3.TxnResponse)(op.GetResponseTxn()))
	}
}

func (p *Printer) txnFieldsOp(op *pb.ResponseOp) {
	switch {
	case op.GetResponseRange() != nil:
		rr := op.GetResponseRange()
		p.leaseFieldsHeader(rr.Header)
		for _, kv := range rr.Kvs {
			p.txnFieldsKV("", kv)
		}
		p.Printf("\"More\" : %v\n\"Count\" : %d\n", rr.More, rr.Count)
	case op.GetResponsePut() != nil:
		pr := op.GetResponsePut()
		p.leaseFieldsHeader(pr.Header)
		if pr.PrevKv != nil {
			p.txnFieldsKV("Prev", pr.PrevKv)
		}
	case op.GetResponseDeleteRange() != nil:
		d := op.GetResponseDeleteRange()
		p.leaseFieldsHeader(d.Header)
		p.Printf("\"Deleted\" : %d\n", d.Deleted)
		for _, kv := range d.PrevKvs {
			p.txnFieldsKV("Prev", kv)
		}
	case op.GetResponseTxn() != nil:
		_ = p.Txn((*clientv3.TxnResponse)(op.GetResponseTxn()))
	}
}
