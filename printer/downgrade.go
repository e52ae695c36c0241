package printer

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
)

// Downgrade prints the answer of `downgrade validate|enable|cancel`; action is the verb's name.
// JSON is the response as is (no hex IDs); fields and table are not supported.
func (p *Printer) Downgrade(action string, r *pb.DowngradeResponse) error {
	switch p.Format {
	case Simple:
		p.printf("Downgrade %s success, cluster version %s\n", action, r.Version)
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Protobuf:
		return memberWriteProto(p, r)
	}
	return p.Unsupported()
}
