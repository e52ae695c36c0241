package gendiff

import "strings"

// Known names the class of a difference the lead engineer is fixing on main (issue 10), or "".
// Such differences are logged, not failed, unless the test runs with GENDIFF_STRICT=1; delete a
// class here once its fix is merged.
func Known(l Line) string {
	has := func(n string) bool { _, ok := l.Flag(n); return ok }
	w, wset := l.Flag("write-out")
	if !wset {
		for _, e := range l.Env {
			if strings.HasPrefix(e, "ETCDCTL_WRITE_OUT=") {
				w, wset = strings.TrimPrefix(e, "ETCDCTL_WRITE_OUT="), true
			}
		}
	}
	badW := wset && !map[string]bool{"simple": true, "json": true, "fields": true, "protobuf": true, "table": true}[w]
	switch l.Verb {
	case "get":
		pos := l.Positionals()
		if len(pos) > 0 && pos[0] == "" && (has("prefix") || has("from-key")) &&
			(has("sort-by") || has("order") || has("min-mod-rev") || has("max-mod-rev") || has("min-create-rev") || has("max-create-rev")) {
			return `get "" --prefix/--from-key with --sort-by/--order/--min/max-*-rev`
		}
		if len(pos) > 1 && pos[0] == "" && !has("prefix") && !has("from-key") {
			return `get "" <range_end>: the server's "key is not provided" (fixed on main by f5d1cff)`
		}
		if has("keys-only") && has("count-only") {
			return "get --keys-only --count-only checked before --sort-by, --order, --consistency, too many arguments"
		}
		if has("min-mod-rev") && has("max-mod-rev") || has("min-create-rev") && has("max-create-rev") {
			return "--min-mod-rev > --max-mod-rev (or create)"
		}
	case "compaction":
		if badW {
			return "unsupported -w accepted by compaction"
		}
	case "watch", "lease timetolive":
		debug := has("debug")
		for _, e := range l.Env {
			debug = debug || strings.HasPrefix(e, "ETCDCTL_DEBUG=")
		}
		if badW || l.Verb == "lease timetolive" && debug {
			return l.Verb + " -w <unsupported>: order of checks"
		}
	case "txn":
		if strings.Contains(l.Stdin, "lease(") {
			return "txn lease() compare"
		}
	case "auth enable":
		return "auth enable with root user but no root role"
	}
	return ""
}

// Deliberate names a documented deliberate difference (README, "Beyond upstream") that explains
// ours against ref for l, or "". Such lines count as accepted.
func Deliberate(l Line, ours, ref Outcome) string {
	switch l.Verb {
	case "get":
		// Where upstream's RangeStream refuses (custom order, revision filters), ours answers
		// what the same get without --stream prints.
		if v, ok := l.Flag("stream"); ok && v != "false" && ref.Code == 1 && !strings.HasPrefix(ours.Err, "panic:") &&
			strings.HasPrefix(ref.Err, "Error: rpc error: code = Unimplemented desc = RangeStream does not support") {
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
