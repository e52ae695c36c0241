package printer

import (
	"fmt"

	"encoding/base64"
	"strconv"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/protobuf/proto"
)

// KVStream prints the result of a range as it arrives, in any format but table: Begin with the
// header of the first page, then every key-value, then End with the range's totals. The bytes are
// those upstream prints for the whole response at once.
type KVStream interface {
	Begin(h *pb.ResponseHeader) error
	KV(kv *mvccpb.KeyValue) error
	End(more bool, count int64) error
}

// GetStream returns the stream for a get in the printer's format. keysOnly and valueOnly are the
// simple format's --keys-only and --print-value-only.
func (p *Printer) GetStream(keysOnly, valueOnly bool) (KVStream, error) {
	switch p.Format {
	case Simple:
		return &simpleKVStream{p: p, keysOnly: keysOnly, valueOnly: valueOnly}, nil
	case JSON:
		return &jsonKVStream{p: p}, nil
	case Fields:
		return &fieldsKVStream{p: p}, nil
	case Protobuf:
		return &protoKVStream{p: p}, nil
	}
	return nil, p.Unsupported()
}

// Get prints a whole get response.
func (p *Printer) Get(resp *clientv3.GetResponse, keysOnly, valueOnly bool) error {
	s, err := p.GetStream(keysOnly, valueOnly)
	if err != nil {
		return err
	}
	if err := s.Begin(resp.Header); err != nil {
		return err
	}
	for _, kv := range resp.Kvs {
		if err := s.KV(kv); err != nil {
			return err
		}
	}
	return s.End(resp.More, resp.Count)
}

// SimpleKV writes one key-value in the simple format: key and value lines (--keys-only: the key
// and an empty line; --print-value-only: the value line).
func (p *Printer) SimpleKV(kv *mvccpb.KeyValue, keysOnly, valueOnly bool) {
	w := p.w
	if !valueOnly {
		p.writeBytes(kv.Key)
		w.WriteByte('\n')
	}
	if !keysOnly {
		p.writeBytes(kv.Value)
	}
	w.WriteByte('\n') // with --keys-only the value line stays, empty
}

func (p *Printer) writeBytes(b []byte) {
	if p.Hex {
		var buf [256]byte
		for len(b) > 0 {
			n := len(b)
			if n > 64 {
				n = 64
			}
			p.w.Write(AppendHexEscaped(buf[:0], b[:n]))
			b = b[n:]
		}
		return
	}
	p.w.Write(b)
}

type simpleKVStream struct {
	p                   *Printer
	keysOnly, valueOnly bool
}

func (s *simpleKVStream) Begin(*pb.ResponseHeader) error { return nil }
func (s *simpleKVStream) KV(kv *mvccpb.KeyValue) error {
	s.p.SimpleKV(kv, s.keysOnly, s.valueOnly)
	return nil
}
func (s *simpleKVStream) End(bool, int64) error { return nil }

// AppendHeaderJSON appends a response header as upstream's JSON (zero fields left out).
func AppendHeaderJSON(dst []byte, h *pb.ResponseHeader) []byte {
	dst = append(dst, '{')
	if h != nil {
		n := len(dst)
		dst = appendUintField(dst, n, "cluster_id", h.ClusterId)
		dst = appendUintField(dst, n, "member_id", h.MemberId)
		if h.Revision != 0 {
			dst = appendFieldName(dst, n, "revision")
			dst = strconv.AppendInt(dst, h.Revision, 10)
		}
		dst = appendUintField(dst, n, "raft_term", h.RaftTerm)
	}
	return append(dst, '}')
}

// appendFieldName appends `"name":`, preceded by a comma unless it is the first field after
// position start.
func appendFieldName(dst []byte, start int, name string) []byte {
	if len(dst) > start {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, '"', ':')
}

func appendUintField(dst []byte, start int, name string, v uint64) []byte {
	if v == 0 {
		return dst
	}
	return strconv.AppendUint(appendFieldName(dst, start, name), v, 10)
}

// AppendKVJSON appends a key-value as upstream's JSON: base64 key and value, zero fields left out.
func AppendKVJSON(dst []byte, kv *mvccpb.KeyValue) []byte {
	dst = append(dst, '{')
	n := len(dst)
	if len(kv.Key) > 0 {
		dst = appendFieldName(dst, n, "key")
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, kv.Key)
		dst = append(dst, '"')
	}
	dst = appendIntField(dst, n, "create_revision", kv.CreateRevision)
	dst = appendIntField(dst, n, "mod_revision", kv.ModRevision)
	dst = appendIntField(dst, n, "version", kv.Version)
	if len(kv.Value) > 0 {
		dst = appendFieldName(dst, n, "value")
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, kv.Value)
		dst = append(dst, '"')
	}
	dst = appendIntField(dst, n, "lease", kv.Lease)
	return append(dst, '}')
}

func appendIntField(dst []byte, start int, name string, v int64) []byte {
	if v == 0 {
		return dst
	}
	return strconv.AppendInt(appendFieldName(dst, start, name), v, 10)
}

type jsonKVStream struct {
	p   *Printer
	buf []byte
	n   int
}

func (s *jsonKVStream) Begin(h *pb.ResponseHeader) error {
	s.buf = append(s.buf[:0], `{"header":`...)
	s.buf = AppendHeaderJSON(s.buf, h)
	_, err := s.p.w.Write(s.buf)
	return err
}

func (s *jsonKVStream) KV(kv *mvccpb.KeyValue) error {
	if s.n == 0 {
		s.buf = append(s.buf[:0], `,"kvs":[`...)
	} else {
		s.buf = append(s.buf[:0], ',')
	}
	s.n++
	s.buf = AppendKVJSON(s.buf, kv)
	_, err := s.p.w.Write(s.buf)
	return err
}

func (s *jsonKVStream) End(more bool, count int64) error {
	s.buf = s.buf[:0]
	if s.n > 0 {
		s.buf = append(s.buf, ']')
	}
	if more {
		s.buf = append(s.buf, `,"more":true`...)
	}
	if count != 0 {
		s.buf = append(s.buf, `,"count":`...)
		s.buf = strconv.AppendInt(s.buf, count, 10)
	}
	s.buf = append(s.buf, '}', '\n')
	_, err := s.p.w.Write(s.buf)
	return err
}

type fieldsKVStream struct {
	p   *Printer
	buf []byte
}

func (s *fieldsKVStream) Begin(h *pb.ResponseHeader) error {
	s.p.FieldsHeader(h)
	return nil
}

func (s *fieldsKVStream) KV(kv *mvccpb.KeyValue) error {
	s.buf = s.p.appendFieldsKV(s.buf[:0], "", kv)
	_, err := s.p.w.Write(s.buf)
	return err
}

func (s *fieldsKVStream) End(more bool, count int64) error {
	s.buf = append(s.buf[:0], `"More" : `...)
	s.buf = strconv.AppendBool(s.buf, more)
	s.buf = append(s.buf, "\n\"Count\" : "...)
	s.buf = strconv.AppendInt(s.buf, count, 10)
	s.buf = append(s.buf, '\n')
	_, err := s.p.w.Write(s.buf)
	return err
}

// appendFieldsKV appends a key-value in the fields format; prefix is "" or "Prev".
func (p *Printer) appendFieldsKV(dst []byte, prefix string, kv *mvccpb.KeyValue) []byte {
	line := func(name string) {
		dst = append(dst, '"')
		dst = append(dst, prefix...)
		dst = append(dst, name...)
		dst = append(dst, `" : `...)
	}
	line("Key")
	dst = strconv.AppendQuote(dst, string(kv.Key))
	dst = append(dst, '\n')
	line("CreateRevision")
	dst = strconv.AppendInt(dst, kv.CreateRevision, 10)
	dst = append(dst, '\n')
	line("ModRevision")
	dst = strconv.AppendInt(dst, kv.ModRevision, 10)
	dst = append(dst, '\n')
	line("Version")
	dst = strconv.AppendInt(dst, kv.Version, 10)
	dst = append(dst, '\n')
	line("Value")
	dst = strconv.AppendQuote(dst, string(kv.Value))
	dst = append(dst, '\n')
	line("Lease")
	if p.Hex {
		dst = append(dst, leaseHex16(kv.Lease)...)
	} else {
		dst = strconv.AppendInt(dst, kv.Lease, 10)
	}
	return append(dst, '\n')
}

func leaseHex16(id int64) string {
	s := strconv.FormatUint(uint64(id), 16)
	for len(s) < 16 {
		s = "0" + s
	}
	return s
}

// protoKVStream writes the wire bytes of a RangeResponse field by field: header (1), kvs (2),
// more (3), count (4), exactly what marshalling the whole message gives.

type protoKVStream struct {
	p   *Printer
	buf []byte
}

func appendTagLen(dst []byte, field int, n int) []byte {
	dst = append(dst, byte(field<<3|2))
	return appendVarint(dst, uint64(n))
}

func appendVarint(dst []byte, v uint64) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

func (s *protoKVStream) Begin(h *pb.ResponseHeader) error {
	if h == nil {
		return nil
	}
	s.buf = appendTagLen(s.buf[:0], 1, (proto.MarshalOptions{}).Size(h))
	var err error
	if s.buf, err = (proto.MarshalOptions{}).MarshalAppend(s.buf, h); err != nil {
		return err
	}
	_, err = s.p.w.Write(s.buf)
	return err
}

func (s *protoKVStream) KV(kv *mvccpb.KeyValue) error {
	s.buf = appendTagLen(s.buf[:0], 2, (proto.MarshalOptions{}).Size(kv))
	var err error
	if s.buf, err = (proto.MarshalOptions{}).MarshalAppend(s.buf, kv); err != nil {
		return err
	}
	_, err = s.p.w.Write(s.buf)
	return err
}

func (s *protoKVStream) End(more bool, count int64) error {
	s.buf = s.buf[:0]
	if more {
		s.buf = append(s.buf, 3<<3, 1)
	}
	if count != 0 {
		s.buf = append(s.buf, 4<<3)
		s.buf = appendVarint(s.buf, uint64(count))
	}
	_, err := s.p.w.Write(s.buf)
	return err
}

// Put prints a put response.
func (p *Printer) Put(resp *clientv3.PutResponse) error {
	switch p.Format {
	case Simple:
		p.w.WriteString("OK\n")
		if resp.PrevKv != nil {
			p.SimpleKV(resp.PrevKv, false, false)
		}
		return nil
	case JSON:
		return p.WriteJSON((*pb.PutResponse)(resp))
	case Fields:
		p.FieldsHeader(resp.Header)
		if resp.PrevKv != nil {
			p.w.Write(p.appendFieldsKV(nil, "Prev", resp.PrevKv))
		}
		return nil
	case Protobuf:
		return p.WriteProto((*pb.PutResponse)(resp))
	}
	return p.Unsupported()
}

// Del prints a delete response.
func (p *Printer) Del(resp *clientv3.DeleteResponse) error {
	switch p.Format {
	case Simple:
		p.w.WriteString(strconv.FormatInt(resp.Deleted, 10))
		p.w.WriteByte('\n')
		for _, kv := range resp.PrevKvs {
			p.SimpleKV(kv, false, false)
		}
		return nil
	case JSON:
		return p.WriteJSON((*pb.DeleteRangeResponse)(resp))
	case Fields:
		p.FieldsHeader(resp.Header)
		fmt.Fprintf(p.w, "\"Deleted\" : %d\n", resp.Deleted)
		var buf []byte
		for _, kv := range resp.PrevKvs {
			buf = p.appendFieldsKV(buf[:0], "Prev", kv)
			p.w.Write(buf)
		}
		return nil
	case Protobuf:
		return p.WriteProto((*pb.DeleteRangeResponse)(resp))
	}
	return p.Unsupported()
}
