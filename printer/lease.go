package printer

import (
	"fmt"
	"strconv"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/protobuf/proto"
)

// leaseHexID renders a lease ID as upstream does in its messages: %016x of the signed ID
// (a negative ID keeps its minus sign).
func leaseHexID(id int64) string { return fmt.Sprintf("%016x", id) }

// leaseFieldsHeader writes a response header in the fields format; with --hex the cluster and
// member IDs are hex (unpadded).
func (p *Printer) leaseFieldsHeader(h *pb.ResponseHeader) {
	if h == nil {
		h = &pb.ResponseHeader{}
	}
	if p.Hex {
		p.Printf("\"ClusterID\" : %x\n\"MemberID\" : %x\n\"Revision\" : %d\n\"RaftTerm\" : %d\n",
			h.ClusterId, h.MemberId, h.Revision, h.RaftTerm)
		return
	}
	p.Printf("\"ClusterID\" : %d\n\"MemberID\" : %d\n\"Revision\" : %d\n\"RaftTerm\" : %d\n",
		h.ClusterId, h.MemberId, h.Revision, h.RaftTerm)
}

// leaseFieldsID writes an "ID" line: decimal, or %016x with --hex.
func (p *Printer) leaseFieldsID(name string, id int64) {
	if p.Hex {
		p.Printf("%q : %016x\n", name, id)
		return
	}
	p.Printf("%q : %d\n", name, id)
}

// leaseWriteProtoMsg writes m's protobuf wire bytes.
func (p *Printer) leaseWriteProtoMsg(m proto.Message) error {
	b, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	_, err = p.w.Write(b)
	return err
}

// leaseProtoHeader is what upstream writes for the lease responses in the protobuf format: the
// response header alone.
func (p *Printer) leaseProtoHeader(h *pb.ResponseHeader) error {
	if h == nil {
		h = &pb.ResponseHeader{}
	}
	return p.leaseWriteProtoMsg(h)
}

// LeaseGrant prints the answer to `lease grant`.
func (p *Printer) LeaseGrant(r *clientv3.LeaseGrantResponse) error {
	switch p.Format {
	case Simple:
		p.Printf("lease %s granted with TTL(%ds)\n", leaseHexID(int64(r.ID)), r.TTL)
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.leaseFieldsHeader(r.ResponseHeader)
		p.leaseFieldsID("ID", int64(r.ID))
		p.Printf("\"TTL\" : %d\n", r.TTL)
	case Protobuf:
		return p.leaseProtoHeader(r.ResponseHeader)
	default:
		return p.Unsupported()
	}
	return nil
}

// LeaseRevoke prints the answer to `lease revoke`.
func (p *Printer) LeaseRevoke(id clientv3.LeaseID, r *clientv3.LeaseRevokeResponse) error {
	switch p.Format {
	case Simple:
		p.Printf("lease %s revoked\n", leaseHexID(int64(id)))
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.leaseFieldsHeader(r.Header)
	case Protobuf:
		// Upstream cannot marshal this response and says so (exit 4).
		return &LeaseMarshalError{Msg: fmt.Sprintf("marshal unsupported for type %T (%v)", r, r)}
	default:
		return p.Unsupported()
	}
	return nil
}

// LeaseMarshalError is the protobuf format's failure for a response it cannot encode; it ends
// the process with exit code 4 like any unsupported format.
type LeaseMarshalError struct{ Msg string }

func (e *LeaseMarshalError) Error() string { return e.Msg }

// LeaseTimeToLive prints the answer to `lease timetolive [--keys]`.
func (p *Printer) LeaseTimeToLive(r *clientv3.LeaseTimeToLiveResponse, keys bool) error {
	switch p.Format {
	case Simple:
		if r.GrantedTTL == 0 && r.TTL == -1 {
			p.Printf("lease %s already expired\n", leaseHexID(int64(r.ID)))
			return nil
		}
		p.Printf("lease %s granted with TTL(%ds), remaining(%ds)", leaseHexID(int64(r.ID)), r.GrantedTTL, r.TTL)
		if keys {
			ks := make([]string, len(r.Keys))
			for i, k := range r.Keys {
				ks[i] = string(k)
			}
			p.Printf(", attached keys(%v)", ks)
		}
		p.Println()
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.leaseFieldsHeader(r.ResponseHeader)
		p.leaseFieldsID("ID", int64(r.ID))
		p.Printf("\"TTL\" : %d\n\"GrantedTTL\" : %d\n", r.TTL, r.GrantedTTL)
		for _, k := range r.Keys {
			p.Printf("\"Key\" : %q\n", string(k))
		}
	case Protobuf:
		return p.leaseProtoHeader(r.ResponseHeader)
	default:
		return p.Unsupported()
	}
	return nil
}

// LeaseList prints the answer to `lease list`.
func (p *Printer) LeaseList(r *clientv3.LeaseLeasesResponse) error {
	switch p.Format {
	case Simple:
		p.Printf("found %d leases\n", len(r.Leases))
		for _, l := range r.Leases {
			p.Raw(leaseHexID(int64(l.ID)))
			p.w.WriteByte('\n')
		}
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.leaseFieldsHeader(r.ResponseHeader)
		for _, l := range r.Leases {
			p.leaseFieldsID("ID", int64(l.ID))
		}
	case Protobuf:
		return p.leaseProtoHeader(r.ResponseHeader)
	default:
		return p.Unsupported()
	}
	return nil
}

// LeaseKeepAlive prints one renewal of `lease keep-alive`.
func (p *Printer) LeaseKeepAlive(r *clientv3.LeaseKeepAliveResponse) error {
	switch p.Format {
	case Simple:
		p.Printf("lease %s keepalived with TTL(%s)\n", leaseHexID(int64(r.ID)), strconv.FormatInt(r.TTL, 10))
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.leaseFieldsHeader(r.ResponseHeader)
		p.leaseFieldsID("ID", int64(r.ID))
		p.Printf("\"TTL\" : %d\n", r.TTL)
	case Protobuf:
		return p.leaseProtoHeader(r.ResponseHeader)
	default:
		return p.Unsupported()
	}
	return nil
}

// LeaseExpired is the simple format's last line of `lease keep-alive` when the lease is gone.
func (p *Printer) LeaseExpired(id clientv3.LeaseID) {
	if p.Format == Simple {
		p.Printf("lease %s expired or revoked.\n", leaseHexID(int64(id)))
	}
}
