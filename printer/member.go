package printer

import (
	"strconv"
	"strings"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/protobuf/proto"
)

// Output of the member family (member list/add/remove/update/promote).
//
// What upstream does, as observed by running it:
//   - simple: one comma-separated line per member for list, one sentence for the verbs;
//   - json: the response as is, except that with --hex the header's cluster and member IDs and
//     every member ID become hex strings;
//   - fields: the header (IDs in hex with --hex; Revision only when non-zero), then one block per
//     member;
//   - protobuf: the response's wire bytes;
//   - table: only for list; the verbs answer "table not supported" (as for fields) after the change
//     was made.

// memberID renders an ID for the fields format: decimal, or hex with --hex.
func (p *Printer) memberID(id uint64) string {
	if p.Hex {
		return HexID(id)
	}
	return strconv.FormatUint(id, 10)
}

// memberFieldsHeader writes a response header in the fields format the way upstream does for the
// cluster maintenance verbs: IDs follow --hex, and Revision shows only when it is set.
func (p *Printer) memberFieldsHeader(h *pb.ResponseHeader) {
	if h == nil {
		h = &pb.ResponseHeader{}
	}
	p.printf("\"ClusterID\" : %s\n\"MemberID\" : %s\n", p.memberID(h.ClusterId), p.memberID(h.MemberId))
	if h.Revision > 0 || p.zeroRevision() {
		p.printf("\"Revision\" : %d\n", h.Revision)
	}
	p.printf("\"RaftTerm\" : %d\n", h.RaftTerm)
}

// memberHexHeader is a response header with its IDs as hex strings (json with --hex).
type memberHexHeader struct {
	ClusterID string `json:"cluster_id,omitempty"`
	MemberID  string `json:"member_id,omitempty"`
	Revision  int64  `json:"revision,omitempty"`
	RaftTerm  uint64 `json:"raft_term,omitempty"`
}

// memberHexMember is a member with its ID as a hex string (json with --hex).
type memberHexMember struct {
	ID         string   `json:"ID,omitempty"`
	Name       string   `json:"name,omitempty"`
	PeerURLs   []string `json:"peerURLs,omitempty"`
	ClientURLs []string `json:"clientURLs,omitempty"`
	IsLearner  bool     `json:"isLearner,omitempty"`
}

// memberHexResponse is any member response with hex IDs (json with --hex).
type memberHexResponse struct {
	Header  *memberHexHeader  `json:"header,omitempty"`
	Member  *memberHexMember  `json:"member,omitempty"`
	Members []memberHexMember `json:"members,omitempty"`
}

func memberHexOrEmpty(id uint64) string {
	if id == 0 {
		return ""
	}
	return HexID(id)
}

func memberToHex(m *pb.Member) memberHexMember {
	return memberHexMember{
		ID: memberHexOrEmpty(m.ID), Name: m.Name, PeerURLs: m.PeerURLs, ClientURLs: m.ClientURLs, IsLearner: m.IsLearner,
	}
}

// memberJSON writes a member response as JSON; with --hex the IDs become hex strings.
func (p *Printer) memberJSON(resp any, h *pb.ResponseHeader, added *pb.Member, members []*pb.Member, list bool) error {
	if !p.Hex || (!list && p.Dialect != nil && p.Dialect.MemberHexListOnly) {
		return p.WriteJSON(resp)
	}
	var out memberHexResponse
	if h != nil {
		out.Header = &memberHexHeader{
			ClusterID: memberHexOrEmpty(h.ClusterId), MemberID: memberHexOrEmpty(h.MemberId),
			Revision: h.Revision, RaftTerm: h.RaftTerm,
		}
	}
	if added != nil {
		m := memberToHex(added)
		out.Member = &m
	}
	for _, m := range members {
		out.Members = append(out.Members, memberToHex(m))
	}
	if p.Dialect != nil && p.Dialect.HexClientURLSKey {
		return p.WriteJSON(memberHexResponse35FromHex(out))
	}
	return p.WriteJSON(out)
}

// memberHexMember35 is memberHexMember with 3.5's key for the client URLs ("clientURLS").
type memberHexMember35 struct {
	ID         string   `json:"ID,omitempty"`
	Name       string   `json:"name,omitempty"`
	PeerURLs   []string `json:"peerURLs,omitempty"`
	ClientURLs []string `json:"clientURLS,omitempty"`
	IsLearner  bool     `json:"isLearner,omitempty"`
}

// memberHexResponse35 is `member list -w json --hex` in 3.5, the only member verb whose IDs 3.5
// turns to hex.
type memberHexResponse35 struct {
	Header  *memberHexHeader    `json:"header,omitempty"`
	Members []memberHexMember35 `json:"members,omitempty"`
}

func memberHexResponse35FromHex(r memberHexResponse) memberHexResponse35 {
	out := memberHexResponse35{Header: r.Header}
	for _, m := range r.Members {
		out.Members = append(out.Members, memberHexMember35(m))
	}
	return out
}

// memberStatus is "started" for a member that has joined (it has a name), "unstarted" otherwise.
func memberStatus(m *pb.Member) string {
	if m.Name == "" {
		return "unstarted"
	}
	return "started"
}

// MemberList prints the answer of `member list`.
func (p *Printer) MemberList(r *pb.MemberListResponse) error {
	switch p.Format {
	case Simple:
		for _, m := range r.Members {
			p.printf("%x, %s, %s, %s, %s, %t\n", m.ID, memberStatus(m), m.Name,
				strings.Join(m.PeerURLs, ","), strings.Join(m.ClientURLs, ","), m.IsLearner)
		}
		return nil
	case JSON:
		return p.memberJSON(r, r.Header, nil, r.Members, true)
	case Fields:
		p.memberFieldsHeader(r.Header)
		for _, m := range r.Members {
			p.printf("\"ID\" : %s\n\"Name\" : %q\n", p.memberID(m.ID), m.Name)
			for _, u := range m.PeerURLs {
				p.printf("\"PeerURL\" : %q\n", u)
			}
			for _, u := range m.ClientURLs {
				p.printf("\"ClientURL\" : %q\n", u)
			}
			p.printf("\"IsLearner\" : %t\n\n", m.IsLearner)
		}
		return nil
	case Protobuf:
		return memberWriteProto(p, r)
	case Table:
		rows := make([][]string, 0, len(r.Members))
		for _, m := range r.Members {
			rows = append(rows, []string{HexID(m.ID), memberStatus(m), m.Name,
				strings.Join(m.PeerURLs, ","), strings.Join(m.ClientURLs, ","), strconv.FormatBool(m.IsLearner)})
		}
		return p.WriteTable([]string{"ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER"}, rows)
	}
	return p.Unsupported()
}

// MemberAdd prints the answer of `member add`: name is the new member's name and peerURLs the
// --peer-urls value as given.
func (p *Printer) MemberAdd(name, peerURLs string, r *pb.MemberAddResponse) error {
	switch p.Format {
	case Simple:
		var id uint64
		learner := false
		if r.Member != nil {
			id, learner = r.Member.ID, r.Member.IsLearner
		}
		as := ""
		if learner && (p.Dialect == nil || !p.Dialect.MemberAddNoLearnerWord) {
			as = " as learner"
		}
		p.printf("Member %16x added%s to cluster %16x\n", id, as, r.Header.GetClusterId())
		var initial []string
		for _, m := range r.Members {
			n := m.Name
			if m.ID == id {
				n = name
			}
			for _, u := range m.PeerURLs {
				initial = append(initial, n+"="+u)
			}
		}
		p.printf("\nETCD_NAME=%q\nETCD_INITIAL_CLUSTER=%q\nETCD_INITIAL_ADVERTISE_PEER_URLS=%q\nETCD_INITIAL_CLUSTER_STATE=\"existing\"\n",
			name, strings.Join(initial, ","), peerURLs)
		return nil
	case JSON:
		return p.memberJSON(r, r.Header, r.Member, r.Members, false)
	case Protobuf:
		return memberWriteProto(p, r)
	}
	return p.Unsupported()
}

// memberChanged prints the answer of remove, update and promote.
func (p *Printer) memberChanged(verb string, id uint64, r proto.Message, h *pb.ResponseHeader, members []*pb.Member) error {
	switch p.Format {
	case Simple:
		p.printf("Member %16x %s cluster %16x\n", id, verb, h.GetClusterId())
		return nil
	case JSON:
		return p.memberJSON(r, h, nil, members, false)
	case Protobuf:
		return memberWriteProto(p, r)
	}
	return p.Unsupported()
}

// MemberRemove prints the answer of `member remove <id>`.
func (p *Printer) MemberRemove(id uint64, r *pb.MemberRemoveResponse) error {
	return p.memberChanged("removed from", id, r, r.Header, r.Members)
}

// MemberUpdate prints the answer of `member update <id>`.
func (p *Printer) MemberUpdate(id uint64, r *pb.MemberUpdateResponse) error {
	return p.memberChanged("updated in", id, r, r.Header, r.Members)
}

// MemberPromote prints the answer of `member promote <id>`.
func (p *Printer) MemberPromote(id uint64, r *pb.MemberPromoteResponse) error {
	return p.memberChanged("promoted in", id, r, r.Header, r.Members)
}

// memberWriteProto writes m's protobuf wire bytes (no length prefix, no newline). The etcd 3.7
// messages are google.golang.org/protobuf messages, which the shared WriteProto does not take.
func memberWriteProto(p *Printer, m proto.Message) error {
	b, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	_, err = p.w.Write(b)
	return err
}
