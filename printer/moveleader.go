package printer

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
)

// MoveLeader prints the answer of `move-leader`: from is the leader that handed over, to the
// transferee. JSON and protobuf show the (normally empty) response; fields and table are not
// supported.
func (p *Printer) MoveLeader(from, to uint64, r *pb.MoveLeaderResponse) error {
	switch p.Format {
	case Simple:
		p.printf("Leadership transferred from %x to %x\n", from, to)
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Protobuf:
		return memberWriteProto(p, r)
	}
	return p.Unsupported()
}
