package commands

import (
	"context"
	"errors"
	"fmt"
	"io"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// du reads the range through the RangeStream RPC without decoding it into KeyValue messages:
// each chunk is kept as its wire bytes and walked in place, so a key costs no allocation (only
// its length, its value's length and its path prefix matter). The request goes over the
// client's own connection, with its credentials and interceptors.

// duFrame holds one RangeStreamResponse in wire form.
type duFrame struct{ data []byte }

// duCodec marshals requests with protobuf and keeps responses (duFrame) as raw bytes.
type duCodec struct{}

func (duCodec) Name() string { return "proto" }

func (duCodec) Marshal(v any) ([]byte, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("du codec: cannot marshal %T", v)
	}
	return proto.Marshal(m)
}

func (duCodec) Unmarshal(data []byte, v any) error {
	f, ok := v.(*duFrame)
	if !ok {
		m, ok := v.(proto.Message)
		if !ok {
			return fmt.Errorf("du codec: cannot unmarshal into %T", v)
		}
		return proto.Unmarshal(data, m)
	}
	f.data = append(f.data[:0], data...) // grpc may reuse data once we return
	return nil
}

// errDuWire is a chunk that does not parse.
var errDuWire = errors.New("du: malformed RangeStream response")

// duStreamRaw reads [start, end) through one linearizable RangeStream (pinned by the server to
// the revision it starts at) and calls add for every key with its key and value sizes. It
// returns that revision, and false (having read nothing) when the server has no RangeStream.
func duStreamRaw(cli *clientv3.Client, start, end string, add func(key []byte, size int64)) (int64, bool, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	desc := &grpc.StreamDesc{StreamName: "RangeStream", ServerStreams: true}
	stream, err := cli.ActiveConnection().NewStream(ctx, desc, pb.KV_RangeStream_FullMethodName, grpc.ForceCodec(duCodec{}))
	if err == nil {
		err = stream.SendMsg(&pb.RangeRequest{Key: []byte(start), RangeEnd: []byte(end)})
	}
	if err == nil {
		err = stream.CloseSend()
	}
	var rev int64
	got := false
	var frame duFrame
	for err == nil {
		if err = stream.RecvMsg(&frame); err != nil {
			break
		}
		got = true
		var r int64
		if r, err = duParseChunk(frame.data, add); r != 0 {
			rev = r
		}
	}
	switch {
	case errors.Is(err, io.EOF):
		return rev, true, nil
	case !got && status.Code(err) == codes.Unimplemented:
		return 0, false, nil
	}
	return 0, true, duClientErr(err)
}

// duClientErr maps a gRPC status to the error clientv3 would have returned for it.
func duClientErr(err error) error {
	if err == nil {
		return nil
	}
	return clientv3.ContextError(context.Background(), err)
}

// duParseChunk walks a RangeStreamResponse (field 1: RangeResponse; in it field 1: header with
// the revision in its field 3, field 2: key-values, each with the key in field 1 and the value
// in field 5) and returns the header's revision (0 when the chunk has none).
func duParseChunk(b []byte, add func(key []byte, size int64)) (int64, error) {
	var rev int64
	err := duFields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != 1 || typ != protowire.BytesType {
			return nil
		}
		return duFields(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
			if typ != protowire.BytesType {
				return nil
			}
			switch num {
			case 1: // header
				return duFields(v, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) error {
					if num == 3 && typ == protowire.VarintType {
						rev = int64(x)
					}
					return nil
				})
			case 2: // a key-value
				var key []byte
				var vlen int
				if err := duFields(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
					if typ == protowire.BytesType {
						switch num {
						case 1:
							key = v
						case 5:
							vlen = len(v)
						}
					}
					return nil
				}); err != nil {
					return err
				}
				add(key, int64(len(key)+vlen))
			}
			return nil
		})
	})
	return rev, err
}

// duFields calls fn for every field of the message b: bytes fields with their contents, varint
// fields with their value.
func duFields(b []byte, fn func(num protowire.Number, typ protowire.Type, bytes []byte, varint uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errDuWire
		}
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errDuWire
			}
			if err := fn(num, typ, v, 0); err != nil {
				return err
			}
			b = b[n:]
		case protowire.VarintType:
			x, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return errDuWire
			}
			if err := fn(num, typ, nil, x); err != nil {
				return err
			}
			b = b[n:]
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return errDuWire
			}
			b = b[n:]
		}
	}
	return nil
}
