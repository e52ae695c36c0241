package gendiff

import (
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/difftest"
)

// Known names the class of a difference being fixed elsewhere (logged, not failed, unless the
// test runs with GENDIFF_STRICT=1), or "". No class is open: issue 10's classes are fixed.
func Known(l Line) string { return "" }

// Deliberate names a documented deliberate difference (README, "Beyond upstream") that explains
// ours against ref for l, or "". Such lines count as accepted.
func Deliberate(l Line, ours, ref Outcome) string {
	// Help pages may carry the lines of our own flags (options, defrag), upstream's all kept.
	if ours.Code == ref.Code && ours.Err == ref.Err && ours.Stdout != ref.Stdout &&
		difftest.AddedLinesOnly(ref.Stdout, ours.Stdout, difftest.OurHelpLines()...) == nil {
		return "help page with the lines of our flags added"
	}
	switch l.Verb {
	case "get":
		// Where upstream's RangeStream refuses (custom order, revision filters), ours answers
		// what the same get without --stream prints.
		if v, ok := l.Flag("stream"); ok && v != "false" && ref.Code == 1 && !strings.HasPrefix(ours.Err, "panic:") &&
			strings.HasPrefix(ref.Error, "Error: rpc error: code = Unimplemented desc = RangeStream does not support") {
			return "get --stream answers where upstream's RangeStream refuses"
		}
	case "txn":
		// lease("k") compares are evaluated as 3.6.16 does where 3.7.3 panics.
		if strings.Contains(l.Stdin, "lease(") && ref.Err == "panic: bad value" && !strings.HasPrefix(ours.Err, "panic:") {
			return "txn lease() compare evaluated as 3.6.16"
		}
	}
	return ""
}
