package printer

import (
	"encoding/json"
	"strconv"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/protobuf/proto"
)

const hexDigits = "0123456789abcdef"

// AppendHexEscaped appends b as \xNN escapes (the simple format's --hex rendering).
func AppendHexEscaped(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return dst
}

// HexEscaped returns b as \xNN escapes.
func HexEscaped(b []byte) string { return string(AppendHexEscaped(nil, b)) }

// Bytes renders a key or value for the simple and fields formats: as is, or hex-escaped with --hex.
func (p *Printer) Bytes(b []byte) string {
	if p.Hex {
		return HexEscaped(b)
	}
	return string(b)
}

// HexID renders an ID as lower-case hex without padding (how etcd shows member and lease IDs).
func HexID(id uint64) string { return strconv.FormatUint(id, 16) }

// WriteJSON writes v as compact JSON followed by a newline.
func (p *Printer) WriteJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	p.w.Write(b)
	p.w.WriteByte('\n')
	return nil
}

// WriteProto writes the message's protobuf wire bytes (no length prefix, no newline).
func (p *Printer) WriteProto(m proto.Message) error {
	b, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	_, err = p.w.Write(b)
	return err
}

// FieldsHeader writes a response header in the fields format (IDs in hex with --hex).
func (p *Printer) FieldsHeader(h *pb.ResponseHeader) {
	if h == nil {
		h = &pb.ResponseHeader{}
	}
	if p.Hex {
		p.printf("\"ClusterID\" : %x\n\"MemberID\" : %x\n", h.ClusterId, h.MemberId)
	} else {
		p.printf("\"ClusterID\" : %d\n\"MemberID\" : %d\n", h.ClusterId, h.MemberId)
	}
	if h.Revision > 0 || p.zeroRevision() { // 3.6+ leave the line out for headers without a revision
		p.printf("\"Revision\" : %d\n", h.Revision)
	}
	p.printf("\"RaftTerm\" : %d\n", h.RaftTerm)
}

// zeroRevision: the fields format shows a header's Revision even when it is 0 (3.5).
func (p *Printer) zeroRevision() bool { return p.Dialect != nil && p.Dialect.FieldsZeroRevision }
