package printer

import (
	"fmt"
	"time"
)

// DefragDone prints that ep was defragmented (the same line in every output format, as upstream).
func (p *Printer) DefragDone(ep string, took time.Duration) {
	if p.defragNoTook() {
		p.printf("Finished defragmenting etcd member[%s]\n", ep)
		return
	}
	p.printf("Finished defragmenting etcd member[%s]. took %s\n", ep, took)
}

// DefragFailedLine is DefragFailed in the printer's dialect.
func (p *Printer) DefragFailedLine(ep string, took time.Duration, err error) string {
	if p.defragNoTook() {
		return fmt.Sprintf("Failed to defragment etcd member[%s] (%v)\n", ep, err)
	}
	return DefragFailed(ep, took, err)
}

// defragNoTook: 3.5 does not report how long each member took.
func (p *Printer) defragNoTook() bool { return p.Dialect != nil && p.Dialect.DefragNoTook }

// DefragFailed is the stderr line for a member that could not be defragmented.
func DefragFailed(ep string, took time.Duration, err error) string {
	return fmt.Sprintf("Failed to defragment etcd member[%s]. took %s. (%v)\n", ep, took, err)
}

// DefragRollingMember reports one member of a rolling defragmentation: its name, role and
// endpoint, its database size before and after, and how long it took.
func (p *Printer) DefragRollingMember(label, role, ep string, before, after int64, took time.Duration) {
	p.printf("Defragmented etcd member %s [%s] %s: %s -> %s, took %s\n", label, role, ep,
		EndpointHumanBytes(uint64(before)), EndpointHumanBytes(uint64(after)), took.Round(time.Millisecond))
}

// DefragRollingTotal closes a rolling defragmentation: the space reclaimed over all members.
func (p *Printer) DefragRollingTotal(members int, before, after int64) {
	reclaimed := max(before-after, 0)
	p.printf("Reclaimed %s in total (%d members, %s -> %s)\n", EndpointHumanBytes(uint64(reclaimed)), members,
		EndpointHumanBytes(uint64(before)), EndpointHumanBytes(uint64(after)))
}
