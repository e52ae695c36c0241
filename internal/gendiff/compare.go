package gendiff

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Outcome is what one binary did with a line, IDs already masked.
type Outcome struct {
	Stdout string
	Code   int
	Err    string // first stderr line that is not a JSON log line (nor upstream's stty noise)
	Fatal  string // the msg of a fatal JSON log line, if any (upstream reports some errors so)
	Error  string // the first stderr line starting "Error: " (after --debug's lines, Err is not it)
}

// ErrLines finds the first stderr line that is neither a JSON log line nor the complaint of the
// stty program upstream runs to hide a password typed on a non-terminal, the message of a
// fatal log line, and the first "Error: " line.
func ErrLines(stderr string) (first, fatal, errorLine string) {
	for _, l := range strings.Split(stderr, "\n") {
		switch {
		case strings.HasPrefix(l, `{"level":"fatal"`):
			var m struct{ Msg string }
			if json.Unmarshal([]byte(l), &m) == nil && fatal == "" {
				fatal = m.Msg
			}
		case l == "", strings.HasPrefix(l, `{"level"`), strings.HasPrefix(l, "stty: "):
		default:
			if first == "" {
				first = l
			}
			if errorLine == "" && strings.HasPrefix(l, "Error: ") {
				errorLine = l
			}
		}
	}
	return first, fatal, errorLine
}

// Verdict of comparing two outcomes.
type Verdict int

// Verdicts.
const (
	Same     Verdict = iota
	Accepted         // upstream panics where we give one clean Error: line with its exit code
	Differs
)

// upstreamPanics are the panic texts of upstream's txn parser that we turn into a clean error.
var upstreamPanics = []string{"bad value", "Unknown result op"}

// Judge compares ours with the reference's outcome.
func Judge(ours, ref Outcome) Verdict {
	if ours.Stdout == ref.Stdout && ours.Code == ref.Code && ours.Err == ref.Err {
		return Same
	}
	// Upstream ends with a fatal log line where we print the same message as an Error: line.
	if ref.Err == "" && ref.Fatal != "" && ours.Code == ref.Code && ours.Stdout == ref.Stdout &&
		strings.HasPrefix(ours.Err, "Error: ") && firstWords(ours.Err[len("Error: "):], 3) == firstWords(ref.Fatal, 3) {
		return Accepted
	}
	// Upstream's "marshal unsupported" error for lease revoke -w protobuf dumps the response with
	// %v: a Go pointer and protobuf's randomized spacing, different on every run.
	if m := reGoDump.FindStringIndex(ref.Err); m != nil && ours.Code == ref.Code && ours.Stdout == ref.Stdout && ours.Err == ref.Err[:m[0]] {
		return Accepted
	}
	// 3.5 and 3.6 dereference a missing header (`alarm disarm -w fields` with no alarm raised);
	// ours answers as 3.7 does.
	if ref.Code == 2 && ref.Err == "panic: runtime error: invalid memory address or nil pointer dereference" &&
		ours.Code == 0 && ours.Err == "" && ours.Stdout != "" {
		return Accepted
	}
	for _, p := range upstreamPanics {
		if ref.Err == "panic: "+p && ref.Code == 2 && ours.Code == 2 && ours.Err == "Error: "+p && ours.Stdout == ref.Stdout {
			return Accepted
		}
	}
	return Differs
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// What lists the parts that differ: stdout, exit code, stderr.
func What(ours, ref Outcome) string {
	var w []string
	if ours.Stdout != ref.Stdout {
		w = append(w, "stdout")
	}
	if ours.Code != ref.Code {
		w = append(w, "exit code")
	}
	if ours.Err != ref.Err {
		w = append(w, "first stderr line")
	}
	return strings.Join(w, ", ")
}

var (
	reRemaining      = regexp.MustCompile(`remaining\(-?\d+s\)`)
	reTTLJSON        = regexp.MustCompile(`"ttl":-?\d+`)
	reTTLFields      = regexp.MustCompile(`"TTL" : -?\d+`)
	reTook           = regexp.MustCompile(`took = [0-9.]+[µnm]?s`)
	reTookJSON       = regexp.MustCompile(`"took":"[^"]*"`)
	reTookFields     = regexp.MustCompile(`"Took" : [0-9.]+[µnm]?s`)
	reDuration       = regexp.MustCompile(`[0-9.]+[µnm]?s\b`)
	reSize           = regexp.MustCompile(`\b\d+(\.\d+)? [kMG]?B\b`)
	rePercent        = regexp.MustCompile(`\b\d+%`)
	reSizeJSON       = regexp.MustCompile(`"(dbSize|dbSizeInUse)":\d+`)
	reSizeFields     = regexp.MustCompile(`"(DBSize|DBSizeInUse)" : \d+`)
	reGoDump         = regexp.MustCompile(` \(&\{.*0x[0-9a-f]{6,}.*\}\)$`)
	reRaftIndex      = regexp.MustCompile(`("raftIndex":|"raftAppliedIndex":|"RaftIndex" :|"RaftAppliedIndex" :)\s*\d+`)
	reStatusIdx      = regexp.MustCompile(`(true|false), (\d+), \d+, \d+, `)
	reStatusIdxTable = regexp.MustCompile(`(true|false) │ (\d+) │ \d+ │ \d+ │`)
	reBoxRun         = regexp.MustCompile(`─+`)
	reASCIIRun       = regexp.MustCompile(`-{2,}`)
	reStatusIdxASCII = regexp.MustCompile(`(true|false) \| (\d+) \| \d+ \| \d+ \|`)
	reSpaces         = regexp.MustCompile(` +`)
	reProtoTTL       = regexp.MustCompile(`(?m)^3: \d+$`)
	reDefragTook     = regexp.MustCompile(`took [0-9.]+[µnm]?s`)
	reRecvMax        = regexp.MustCompile(`larger than max \(\d+ vs\. (\d+)\)`)
)

// Normalize rewrites what legitimately differs between two clusters in the same state: a
// lease's remaining TTL (a second may tick between the runs) and health check timings.
func Normalize(l Line, out string) string {
	// A response over --max-recv-bytes: its size includes the header's cluster and member IDs,
	// whose varints are as long as the twins' random IDs make them.
	out = reRecvMax.ReplaceAllString(out, "larger than max (N vs. $1)")
	switch l.Verb {
	case "lease timetolive":
		out = reRemaining.ReplaceAllString(out, "remaining(Ns)")
		out = reTTLJSON.ReplaceAllString(out, `"ttl":N`)
		out = reTTLFields.ReplaceAllString(out, `"TTL" : N`)
		out = reProtoTTL.ReplaceAllString(out, "3: N")
	case "defrag":
		out = reDefragTook.ReplaceAllString(out, "took T")
	case "endpoint status":
		// The database's size on disk depends on when bbolt grew its file, not on the data.
		out = reSize.ReplaceAllString(out, "SIZE")
		out = rePercent.ReplaceAllString(out, "P%")
		out = reSizeJSON.ReplaceAllString(out, `"$1":N`)
		out = reSizeFields.ReplaceAllString(out, `"$1" : N`)
		// Lease checkpoints go through raft at times of their own: the raft index is not state.
		out = reRaftIndex.ReplaceAllString(out, `$1 N`)
		out = reStatusIdx.ReplaceAllString(out, `$1, $2, N, N, `)
		if isTable(out) {
			out = collapseTable(out)
			out = reStatusIdxTable.ReplaceAllString(out, "$1 │ $2 │ N │ N │")
			out = reStatusIdxASCII.ReplaceAllString(out, "$1 | $2 | N | N |")
		}
	case "member list":
		// The twins' member IDs differ in hex length (a leading zero), and so the ID column's width.
		out = collapseTable(out)
	case "endpoint health":
		out = reTook.ReplaceAllString(out, "took = T")
		out = reTookJSON.ReplaceAllString(out, `"took":"T"`)
		out = reTookFields.ReplaceAllString(out, `"Took" : T`)
		if isTable(out) { // the took column's width follows the timing
			out = collapseTable(reDuration.ReplaceAllString(out, "T"))
		}
	}
	return out
}

// isTable: out holds a table, with Unicode boxes (3.7) or ASCII rules (3.5, 3.6).
func isTable(out string) bool { return strings.Contains(out, "│") || strings.Contains(out, "+--") }

// collapseTable makes a table's column widths irrelevant: each run of rule characters or spaces
// becomes one. Text that holds no table is returned as it is.
func collapseTable(out string) string {
	if strings.Contains(out, "│") {
		out = reSpaces.ReplaceAllString(reBoxRun.ReplaceAllString(out, "─"), " ")
	}
	if strings.Contains(out, "+--") {
		out = reSpaces.ReplaceAllString(reASCIIRun.ReplaceAllString(out, "-"), " ")
	}
	return out
}

// IsProtobuf reports whether the line asks for -w protobuf (flag or ETCDCTL_WRITE_OUT).
func IsProtobuf(l Line) bool {
	if v, ok := l.Flag("write-out"); ok {
		return v == "protobuf"
	}
	for _, e := range l.Env {
		if e == "ETCDCTL_WRITE_OUT=protobuf" {
			return true
		}
	}
	return false
}
