package printer

import pb "go.etcd.io/etcd/api/v3/etcdserverpb"

// ElectLeader prints a leader's key and proposal (a campaign won, or one observation), in the
// same shapes as LockKey.
func (p *Printer) ElectLeader(resp *pb.RangeResponse) error { return p.LockKey(resp) }
