package printer

import (
	"fmt"
	"time"
)

// DefragDone prints that ep was defragmented (the same line in every output format, as upstream).
func (p *Printer) DefragDone(ep string, took time.Duration) {
	p.Printf("Finished defragmenting etcd member[%s]. took %s\n", ep, took)
}

// DefragFailed is the stderr line for a member that could not be defragmented.
func DefragFailed(ep string, took time.Duration, err error) string {
	return fmt.Sprintf("Failed to defragment etcd member[%s]. took %s. (%v)\n", ep, took, err)
}
