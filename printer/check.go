package printer

import "strconv"

// CheckPerfResult is what `check perf` measured and how each figure was judged.
type CheckPerfResult struct {
	Throughput   int     // writes per second
	ThroughputOK bool    // at least 90% of the workload's target rate
	Slowest      float64 // seconds
	SlowestOK    bool
	Stddev       float64 // seconds
	StddevOK     bool
}

// CheckPerf prints the `check perf` report (the same lines in every output format, as upstream):
// one line per figure, then the verdict.
func (p *Printer) CheckPerf(r CheckPerfResult) {
	if r.ThroughputOK {
		p.printf("PASS: Throughput is %d writes/s\n", r.Throughput)
	} else {
		p.printf("FAIL: Throughput too low: %d writes/s\n", r.Throughput)
	}
	if r.SlowestOK {
		p.printf("PASS: Slowest request took %fs\n", r.Slowest)
	} else {
		p.printf("Slowest request took too long: %fs\n", r.Slowest)
	}
	if r.StddevOK {
		p.printf("PASS: Stddev is %fs\n", r.Stddev)
	} else {
		p.printf("Stddev too high: %fs\n", r.Stddev)
	}
	if r.ThroughputOK && r.SlowestOK && r.StddevOK {
		p.w.WriteString("PASS\n")
	} else {
		p.w.WriteString("FAIL\n")
	}
}

// CheckCompacting and CheckCompacted report the clean-up's compaction (--auto-compact).
func (p *Printer) CheckCompacting(rev int64) { p.printf("Compacting with revision %d\n", rev) }

// CheckCompacted: see CheckCompacting.
func (p *Printer) CheckCompacted(rev int64) { p.printf("Compacted with revision %d\n", rev) }

// CheckDefragmenting and CheckDefragmented report the clean-up's defragmentation (--auto-defrag).
func (p *Printer) CheckDefragmenting(ep string) { p.printf("Defragmenting %q\n", ep) }

// CheckDefragmented: see CheckDefragmenting.
func (p *Printer) CheckDefragmented(ep string) { p.printf("Defragmented %q\n", ep) }

// CheckDatascaleStart announces the `check datascale` workload.
func (p *Printer) CheckDatascaleStart(keys, valueSize, clients int) {
	p.printf("Start data scale check for work load [%d key-value pairs, %d bytes per key-value, %d concurrent clients].\n",
		keys, valueSize, clients)
}

// CheckDatascalePass reports the memory the workload took, in MB.
func (p *Printer) CheckDatascalePass(mb float64) {
	p.printf("PASS: Approximate system memory used : %s MB.\n", strconv.FormatFloat(mb, 'f', 2, 64))
}
