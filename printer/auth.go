package printer

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/protobuf/proto"
)

// authFieldsHeader writes a response header in the fields format; with --hex the cluster and
// member IDs are shown in hex, as upstream does for the auth, user and role families.
func authFieldsHeader(p *Printer, h *pb.ResponseHeader) {
	if !p.Hex {
		p.FieldsHeader(h)
		return
	}
	if h == nil {
		h = &pb.ResponseHeader{}
	}
	p.Printf("\"ClusterID\" : %x\n\"MemberID\" : %x\n\"Revision\" : %d\n\"RaftTerm\" : %d\n",
		h.ClusterId, h.MemberId, h.Revision, h.RaftTerm)
}

// authHeaderOnly prints a response that carries nothing but its header (role add, user delete...):
// msg in the simple format, the header in json/fields/protobuf; table is unsupported.
func authHeaderOnly(p *Printer, msg string, h *pb.ResponseHeader, m proto.Message) error {
	switch p.Format {
	case Simple:
		p.Raw(msg)
		p.Raw("\n")
		return nil
	case JSON:
		return p.WriteJSON(authHeaderJSON{Header: h})
	case Fields:
		authFieldsHeader(p, h)
		return nil
	case Protobuf:
		return authWriteProto(p, m)
	}
	return p.Unsupported()
}

// authHeaderJSON is the JSON shape of a header-only response.
type authHeaderJSON struct {
	Header *pb.ResponseHeader `json:"header,omitempty"`
}

// AuthEnable reports that authentication was enabled. Upstream prints the same line in every
// output format.
func (p *Printer) AuthEnable() { p.Raw("Authentication Enabled\n") }

// AuthDisable reports that authentication was disabled (the same line in every format).
func (p *Printer) AuthDisable() { p.Raw("Authentication Disabled\n") }

// AuthStatus prints `auth status`: simple, json and protobuf; fields and table are unsupported.
func (p *Printer) AuthStatus(r *pb.AuthStatusResponse) error {
	switch p.Format {
	case Simple:
		p.Printf("Authentication Status: %t\nAuthRevision: %d\n", r.Enabled, r.AuthRevision)
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Protobuf:
		return authWriteProto(p, r)
	}
	return p.Unsupported()
}

// authWriteProto writes m's protobuf wire bytes (no length prefix, no newline).
func authWriteProto(p *Printer, m proto.Message) error {
	b, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	_, err = p.Writer().Write(b)
	return err
}
