package printer

import "strconv"

// MirrorCount prints make-mirror's running count of mirrored keys and events (one number a
// line, whatever -w says, as upstream).
func (p *Printer) MirrorCount(n int64) {
	var b [20]byte
	p.w.Write(strconv.AppendInt(b[:0], n, 10))
	p.w.WriteByte('\n')
}
