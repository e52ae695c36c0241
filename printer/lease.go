package printer

import (
	"fmt"
	"strings"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// leaseFieldsID renders a lease ID in the fields format: decimal, or hex with --hex.
func (p *Printer) leaseFieldsID(id int64) string {
	if p.Hex {
		return fmt.Sprintf("%016x", id)
	}
	return fmt.Sprint(id)
}

// leaseHeaderOnly is upstream's protobuf output for the lease responses that embed their header:
// the header's own wire bytes.
func (p *Printer) leaseHeaderOnly(h *pb.ResponseHeader) error {
	if h == nil {
		h = &pb.ResponseHeader{}
	}
	return p.WriteProto(h)
}

// LeaseGrant prints `lease grant`.
func (p *Printer) LeaseGrant(r *clientv3.LeaseGrantResponse) error {
	return p.leaseIDTTL(fmt.Sprintf("lease %016x granted with TTL(%ds)\n", r.ID, r.TTL), r, r.ResponseHeader, r.ID, r.TTL)
}

// leaseIDTTL prints the responses that carry a lease ID and a TTL (grant, keep-alive): the given
// simple line, the response itself in json, header and ID/TTL fields, or the header's protobuf.
func (p *Printer) leaseIDTTL(simple string, r any, h *pb.ResponseHeader, id clientv3.LeaseID, ttl int64) error {
	switch p.Format {
	case Simple:
		p.raw(simple)
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.FieldsHeader(h)
		p.printf("\"ID\" : %s\n\"TTL\" : %d\n", p.leaseFieldsID(int64(id)), ttl)
	case Protobuf:
		return p.leaseHeaderOnly(h)
	default:
		return p.Unsupported()
	}
	return nil
}

// LeaseRevoke prints `lease revoke`.
func (p *Printer) LeaseRevoke(id clientv3.LeaseID, r *clientv3.LeaseRevokeResponse) error {
	switch p.Format {
	case Simple:
		p.printf("lease %016x revoked\n", id)
	case JSON:
		return p.WriteJSON((*pb.LeaseRevokeResponse)(r))
	case Fields:
		p.FieldsHeader(r.Header)
	case Protobuf:
		// Upstream cannot marshal this response either and fails with "bad feature". 3.5 and 3.6
		// name the value type and print the response as gogo's String rendered it; 3.7 dumps
		// a pointer with its address, which is left out here.
		if p.Dialect != nil && p.Dialect.GogoText {
			return &UnsupportedError{Format: p.Format, Msg: "marshal unsupported for type clientv3.LeaseRevokeResponse ({" +
				headerGogoText(r.Header) + " {} [] 0})"}
		}
		return &UnsupportedError{Format: p.Format, Msg: "marshal unsupported for type *clientv3.LeaseRevokeResponse"}
	default:
		return p.Unsupported()
	}
	return nil
}

// headerGogoText is a response header as a field of a struct printed with %v in 3.5 and 3.6:
// gogo's compact text (non-zero fields, each followed by a space), or <nil>.
func headerGogoText(h *pb.ResponseHeader) string {
	if h == nil {
		return "<nil>"
	}
	var b []byte
	for _, f := range []struct {
		name string
		v    uint64
	}{{"cluster_id", h.ClusterId}, {"member_id", h.MemberId}, {"revision", uint64(h.Revision)}, {"raft_term", h.RaftTerm}} {
		if f.v != 0 {
			b = append(b, f.name...)
			b = append(b, ':')
			b = appendUint(b, f.v) // a revision is never negative
			b = append(b, ' ')
		}
	}
	return string(b)
}

// LeaseTimeToLive prints `lease timetolive`.
func (p *Printer) LeaseTimeToLive(r *clientv3.LeaseTimeToLiveResponse, keys bool) error {
	switch p.Format {
	case Simple:
		if r.GrantedTTL == 0 && r.TTL == -1 {
			p.printf("lease %016x already expired\n", r.ID)
			return nil
		}
		p.printf("lease %016x granted with TTL(%ds), remaining(%ds)", r.ID, r.GrantedTTL, r.TTL)
		if keys {
			ks := make([]string, len(r.Keys))
			for i, k := range r.Keys {
				ks[i] = string(k)
			}
			p.printf(", attached keys([%s])", strings.Join(ks, " "))
		}
		p.raw("\n")
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.FieldsHeader(r.ResponseHeader)
		p.printf("\"ID\" : %s\n\"TTL\" : %d\n\"GrantedTTL\" : %d\n", p.leaseFieldsID(int64(r.ID)), r.TTL, r.GrantedTTL)
		for _, k := range r.Keys {
			p.printf("\"Key\" : %q\n", string(k))
		}
	case Protobuf:
		return p.leaseHeaderOnly(r.ResponseHeader)
	default:
		return p.Unsupported()
	}
	return nil
}

// LeaseList prints `lease list`.
func (p *Printer) LeaseList(r *clientv3.LeaseLeasesResponse) error {
	switch p.Format {
	case Simple:
		p.printf("found %d leases\n", len(r.Leases))
		for _, l := range r.Leases {
			p.printf("%016x\n", l.ID)
		}
	case JSON:
		return p.WriteJSON(r)
	case Fields:
		p.FieldsHeader(r.ResponseHeader)
		for _, l := range r.Leases {
			p.printf("\"ID\" : %s\n", p.leaseFieldsID(int64(l.ID)))
		}
	case Protobuf:
		return p.leaseHeaderOnly(r.ResponseHeader)
	default:
		return p.Unsupported()
	}
	return nil
}

// LeaseKeepAlive prints one renewal of `lease keep-alive`.
func (p *Printer) LeaseKeepAlive(r *clientv3.LeaseKeepAliveResponse) error {
	return p.leaseIDTTL(fmt.Sprintf("lease %016x keepalived with TTL(%d)\n", r.ID, r.TTL), r, r.ResponseHeader, r.ID, r.TTL)
}

// LeaseExpired reports the end of a keep-alive (the simple format only, as upstream).
func (p *Printer) LeaseExpired(id clientv3.LeaseID) error {
	if p.Format == Simple {
		p.printf("lease %016x expired or revoked.\n", id)
	}
	return nil
}
