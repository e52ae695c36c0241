package printer

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/protobuf/proto"
)

// LockKey prints the range response of a lock's (or a leader's) key the way upstream shows a
// `get` result: key and value lines (simple), the response as JSON, protobuf bytes, or the
// fields listing. The table format is not supported.
func (p *Printer) LockKey(resp *pb.RangeResponse) error {
	switch p.Format {
	case Simple:
		for _, kv := range resp.Kvs {
			p.w.WriteString(p.Bytes(kv.Key))
			p.w.WriteByte('\n')
			p.w.WriteString(p.Bytes(kv.Value))
			p.w.WriteByte('\n')
		}
		return nil
	case JSON:
		return p.WriteJSON(resp)
	case Protobuf:
		b, err := proto.Marshal(resp)
		if err != nil {
			return err
		}
		_, err = p.w.Write(b)
		return err
	case Fields:
		p.lockFieldsHeader(resp.Header)
		for _, kv := range resp.Kvs {
			p.Printf("\"Key\" : %q\n", kv.Key)
			p.Printf("\"CreateRevision\" : %d\n\"ModRevision\" : %d\n\"Version\" : %d\n", kv.CreateRevision, kv.ModRevision, kv.Version)
			p.Printf("\"Value\" : %q\n", kv.Value)
			if p.Hex {
				p.Printf("\"Lease\" : %016x\n", kv.Lease)
			} else {
				p.Printf("\"Lease\" : %d\n", kv.Lease)
			}
		}
		p.Printf("\"More\" : %v\n\"Count\" : %d\n", resp.More, resp.Count)
		return nil
	}
	return p.Unsupported()
}

// lockFieldsHeader is the fields header; with --hex the cluster and member IDs are hex.
func (p *Printer) lockFieldsHeader(h *pb.ResponseHeader) {
	if h == nil {
		h = &pb.ResponseHeader{}
	}
	if p.Hex {
		p.Printf("\"ClusterID\" : %x\n\"MemberID\" : %x\n", h.ClusterId, h.MemberId)
	} else {
		p.Printf("\"ClusterID\" : %d\n\"MemberID\" : %d\n", h.ClusterId, h.MemberId)
	}
	p.Printf("\"Revision\" : %d\n\"RaftTerm\" : %d\n", h.Revision, h.RaftTerm)
}

// LockSupported reports whether the lock key can be printed in the current format (upstream
// acquires the lock first and only then fails on an unsupported format).
func (p *Printer) LockSupported() bool { return p.Format != Table }
