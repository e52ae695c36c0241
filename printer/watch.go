package printer

import (
	"fmt"
	"io"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// watchEventType is an event's type as upstream prints it (PUT or DELETE).
func watchEventType(t mvccpb.Event_EventType) string {
	if t == mvccpb.DELETE {
		return "DELETE"
	}
	return "PUT"
}

// Watch prints one watch response: in the simple format each event as its type line, the
// previous key-value (with --prev-kv) and the key-value. Output is not flushed here.
func (p *Printer) Watch(r *clientv3.WatchResponse) error {
	switch p.Format {
	case Simple:
		for _, ev := range r.Events {
			p.w.WriteString(watchEventType(ev.Type))
			p.w.WriteByte('\n')
			if ev.PrevKv != nil {
				p.SimpleKV(ev.PrevKv, false, false)
			}
			if ev.Kv != nil {
				p.SimpleKV(ev.Kv, false, false)
			}
		}
	case JSON:
		if p.Dialect != nil && p.Dialect.WatchJSONNoCancelReason {
			events := r.Events
			if events == nil && r.Canceled {
				events = []*clientv3.Event{} // a canceled watch shows "Events":[] there
			}
			return p.WriteJSON(watchResponse36{r.Header, events, r.CompactRevision, r.Canceled, r.Created})
		}
		return p.WriteJSON(r)
	case Fields:
		p.FieldsHeader(r.Header)
		for _, ev := range r.Events {
			fmt.Fprintf(p.w, "\"Type\" : %s\n", watchEventType(ev.Type))
			if ev.PrevKv != nil {
				p.w.Write(p.appendFieldsKV(nil, "Prev", ev.PrevKv))
			}
			if ev.Kv != nil {
				p.w.Write(p.appendFieldsKV(nil, "", ev.Kv))
			}
		}
	case Protobuf:
		return p.WriteProto(&pb.WatchResponse{
			Header:          r.Header,
			Events:          r.Events,
			CompactRevision: r.CompactRevision,
			Canceled:        r.Canceled,
			Created:         r.Created,
			CancelReason:    r.CancelReason,
		})
	default:
		return p.Unsupported()
	}
	return nil
}

// watchResponse36 is a watch response as the 3.5 and 3.6 clients had it (no CancelReason).
type watchResponse36 struct {
	Header          *pb.ResponseHeader
	Events          []*clientv3.Event
	CompactRevision int64
	Canceled        bool
	Created         bool
}

// WatchProgress prints the progress-notify line that upstream writes before the response.
func (p *Printer) WatchProgress(rev int64) {
	fmt.Fprintf(p.w, "progress notify: %d\n", rev)
}

// WatchCommandOutput is the stdout of the command run per watch event: our buffered output,
// flushed once the command has finished (runWatch calls Flush), so its output follows the event.
func (p *Printer) WatchCommandOutput() io.Writer { return p.w }
