package printer

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/protobuf/proto"
)

// authHeaderOnly prints a response that carries nothing but its header (role add, user delete...):
// msg in the simple format, the header in json/fields/protobuf; table is unsupported.
func authHeaderOnly(p *Printer, msg string, h *pb.ResponseHeader, m proto.Message) error {
	switch p.Format {
	case Simple:
		p.raw(msg)
		p.raw("\n")
		return nil
	case JSON:
		return p.WriteJSON(authHeaderJSON{Header: h})
	case Fields:
		p.FieldsHeader(h)
		return nil
	case Protobuf:
		return p.WriteProto(m)
	}
	return p.Unsupported()
}

// authHeaderJSON is the JSON shape of a header-only response.
type authHeaderJSON struct {
	Header *pb.ResponseHeader `json:"header,omitempty"`
}

// AuthEnable reports that authentication was enabled. Upstream prints the same line in every
// output format.
func (p *Printer) AuthEnable() { p.raw("Authentication Enabled\n") }

// AuthDisable reports that authentication was disabled (the same line in every format).
func (p *Printer) AuthDisable() { p.raw("Authentication Disabled\n") }

// AuthStatus prints `auth status`: simple, json and protobuf; fields and table are unsupported.
func (p *Printer) AuthStatus(r *pb.AuthStatusResponse) error {
	switch p.Format {
	case Simple:
		p.printf("Authentication Status: %t\nAuthRevision: %d\n", r.Enabled, r.AuthRevision)
		return nil
	case JSON:
		return p.WriteJSON(r)
	case Protobuf:
		return p.WriteProto(r)
	}
	return p.Unsupported()
}
