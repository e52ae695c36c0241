package commands

// One definition of get, put and del: their flags, their checks in upstream's order and the
// requests they make. The verbs (kv.go) and the request lines of `txn` (txn_parse.go) are both
// built from these, so a change here reaches both.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/pflag"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Use lines and texts shared by the verbs and by their forms inside `txn`.
const (
	getUse   = "get [options] <key> [range_end]"
	getShort = "Gets the key or a range of keys"
	putUse   = "put [options] <key> <value> (<value> can also be given from stdin)"
	putShort = "Puts the given key into the store"
	delUse   = "del [options] <key> [range_end]"
	delShort = "Removes the specified key or range of keys [key, range_end)"
	putLong  = `
Puts the given key into the store.

When <value> begins with '-', <value> is interpreted as a flag.
Insert '--' for workaround:

$ put <key> -- <value>
$ put -- <key> <value>

If <value> isn't given as a command line argument and '--ignore-value' is not specified,
this command tries to read the value from standard input.

If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
this command tries to read the value from standard input.

For example,
$ cat file | put <key>
will store the content of the file to <key>.
`
)

// Messages shared by several checks.
const (
	msgPrefixFromKey = "`--prefix` and `--from-key` cannot be set at the same time, choose one"
	msgTooManyArgs   = "too many arguments, only accept one argument when `--prefix` or `--from-key` is set"
	msgKeysCount     = "`--keys-only` and `--count-only` cannot be set at the same time, choose one"
	msgGetArgs       = "get command needs one argument as key and an optional argument as range_end"
	msgPutArgs       = "put command needs 1 argument and input from stdin or 2 arguments"
	msgPutIgnoreVal  = "put command needs only 1 argument when 'ignore-value' is set"
	msgDelArgs       = "del command needs one argument as key and an optional argument as range_end"
)

// ---- get ----

// getSpec is get's flags and arguments.
type getSpec struct {
	Key, End     string
	Consistency  string
	Limit        int64
	Rev          int64
	SortBy       string
	Order        string
	Prefix       bool
	FromKey      bool
	KeysOnly     bool
	CountOnly    bool
	ValueOnly    bool
	MinCreateRev int64
	MaxCreateRev int64
	MinModRev    int64
	MaxModRev    int64
	Stream       bool

	sortTarget clientv3.SortTarget
	sortOrder  clientv3.SortOrder
	sorted     bool // an explicit --sort-by or --order was given
}

func (s *getSpec) addFlags(fl *pflag.FlagSet) {
	fl.StringVar(&s.Consistency, "consistency", "l", "Linearizable(l) or Serializable(s)")
	fl.StringVar(&s.Order, "order", "", "Order of results; ASCEND or DESCEND (ASCEND by default)")
	fl.StringVar(&s.SortBy, "sort-by", "", "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION")
	fl.Int64Var(&s.Limit, "limit", 0, "Maximum number of results")
	fl.BoolVar(&s.Prefix, "prefix", false, "Get keys with matching prefix")
	fl.BoolVar(&s.FromKey, "from-key", false, "Get keys that are greater than or equal to the given key using byte compare")
	fl.Int64Var(&s.Rev, "rev", 0, "Specify the kv revision")
	fl.BoolVar(&s.KeysOnly, "keys-only", false, "Get only the keys")
	fl.BoolVar(&s.CountOnly, "count-only", false, "Get only the count")
	fl.BoolVar(&s.ValueOnly, "print-value-only", false, `Only write values when using the "simple" output format`)
	fl.Int64Var(&s.MinCreateRev, "min-create-rev", 0, "Minimum create revision")
	fl.Int64Var(&s.MaxCreateRev, "max-create-rev", 0, "Maximum create revision")
	fl.Int64Var(&s.MinModRev, "min-mod-rev", 0, "Minimum modification revision")
	fl.Int64Var(&s.MaxModRev, "max-mod-rev", 0, "Maximum modification revision")
	fl.BoolVar(&s.Stream, "stream", false, "Use the RangeStream RPC")
}

// validate takes the arguments and checks everything that needs no server, in upstream's order.
// (Upstream ignores arguments after range_end.)
func (s *getSpec) validate(args []string) error {
	switch {
	case len(args) == 0:
		return cmdutil.BadArgs(msgGetArgs)
	case s.Prefix && s.FromKey:
		return cmdutil.BadArgs(msgPrefixFromKey)
	case s.KeysOnly && s.CountOnly:
		return cmdutil.BadArgs(msgKeysCount)
	case s.Consistency != "l" && s.Consistency != "s":
		return cmdutil.BadFeature("unknown consistency flag %q", s.Consistency)
	case (s.Prefix || s.FromKey) && len(args) > 1:
		return cmdutil.BadArgs(msgTooManyArgs)
	}
	s.Key = args[0]
	if len(args) > 1 {
		s.End = args[1]
	}
	switch strings.ToUpper(s.Order) {
	case "ASCEND":
		s.sortOrder, s.sorted = clientv3.SortAscend, true
	case "DESCEND":
		s.sortOrder, s.sorted = clientv3.SortDescend, true
	case "":
		s.sortOrder = clientv3.SortNone
	default:
		return cmdutil.BadFeature("bad sort order %v", s.Order)
	}
	switch strings.ToUpper(s.SortBy) {
	case "CREATE":
		s.sortTarget, s.sorted = clientv3.SortByCreateRevision, true
	case "KEY":
		s.sortTarget, s.sorted = clientv3.SortByKey, true
	case "MODIFY":
		s.sortTarget, s.sorted = clientv3.SortByModRevision, true
	case "VALUE":
		s.sortTarget, s.sorted = clientv3.SortByValue, true
	case "VERSION":
		s.sortTarget, s.sorted = clientv3.SortByVersion, true
	case "":
	default:
		return cmdutil.BadFeature("bad sort target %v", s.SortBy)
	}
	if s.sorted && s.sortOrder == clientv3.SortNone {
		s.sortOrder = clientv3.SortAscend
	}
	// A maximum of 0 or less means none; the server ignores such filters.
	if s.MaxCreateRev > 0 && s.MinCreateRev > s.MaxCreateRev {
		return cmdutil.BadFeature("getMinCreateRev(=%d) > getMaxCreateRev(=%d)", s.MinCreateRev, s.MaxCreateRev)
	}
	if s.MaxModRev > 0 && s.MinModRev > s.MaxModRev {
		return cmdutil.BadFeature("getMinModRev(=%d) > getMaxModRev(=%d)", s.MinModRev, s.MaxModRev)
	}
	return nil
}

// keyRange is the first key and the exclusive end of what is read, named as etcd names it: the
// whole keyspace (`--prefix ”`, `--from-key ”`) is ["\x00", "\x00"); a single key has end "".
// An empty key with an explicit range_end stays empty (the server refuses it, as upstream shows).
func (s *getSpec) keyRange() (key, end string) {
	switch {
	case s.Prefix && s.Key == "", s.FromKey && s.Key == "":
		return "\x00", "\x00"
	case s.Prefix:
		return s.Key, clientv3.GetPrefixRangeEnd(s.Key)
	case s.FromKey:
		return s.Key, "\x00"
	}
	return s.Key, s.End
}

// hasRevFilters reports a --min/max-create/mod-rev filter (the server applies them after counting).
func (s *getSpec) hasRevFilters() bool {
	return s.MinCreateRev > 0 || s.MaxCreateRev > 0 || s.MinModRev > 0 || s.MaxModRev > 0
}

// filterOps are the request options every page of a listing shares.
func (s *getSpec) filterOps() []clientv3.OpOption {
	var ops []clientv3.OpOption
	if s.Consistency == "s" {
		ops = append(ops, clientv3.WithSerializable())
	}
	if s.KeysOnly {
		ops = append(ops, clientv3.WithKeysOnly())
	}
	if s.CountOnly {
		ops = append(ops, clientv3.WithCountOnly())
	}
	if s.MinCreateRev > 0 {
		ops = append(ops, clientv3.WithMinCreateRev(s.MinCreateRev))
	}
	if s.MaxCreateRev > 0 {
		ops = append(ops, clientv3.WithMaxCreateRev(s.MaxCreateRev))
	}
	if s.MinModRev > 0 {
		ops = append(ops, clientv3.WithMinModRev(s.MinModRev))
	}
	if s.MaxModRev > 0 {
		ops = append(ops, clientv3.WithMaxModRev(s.MaxModRev))
	}
	return ops
}

// op is the whole request as one Range (a buffered get, or a get line of a txn).
func (s *getSpec) op() clientv3.Op {
	key, end := s.keyRange()
	ops := s.filterOps()
	if end != "" {
		ops = append(ops, clientv3.WithRange(end))
	}
	if s.Limit > 0 {
		ops = append(ops, clientv3.WithLimit(s.Limit))
	}
	if s.Rev > 0 {
		ops = append(ops, clientv3.WithRev(s.Rev))
	}
	if s.sorted {
		ops = append(ops, clientv3.WithSort(s.sortTarget, s.sortOrder))
	}
	return clientv3.OpGet(key, ops...)
}

// ---- put ----

// putSpec is put's flags and arguments.
type putSpec struct {
	Key, Value  string
	Lease       string
	PrevKV      bool
	IgnoreValue bool
	IgnoreLease bool
}

func (s *putSpec) addFlags(fl *pflag.FlagSet) {
	fl.StringVar(&s.Lease, "lease", "0", "lease ID (in hexadecimal) to attach to the key")
	fl.BoolVar(&s.PrevKV, "prev-kv", false, "return the previous key-value pair before modification")
	fl.BoolVar(&s.IgnoreValue, "ignore-value", false, "updates the key using its current value")
	fl.BoolVar(&s.IgnoreLease, "ignore-lease", false, "updates the key using its current lease")
}

// validate takes key and value from args; without a value argument (and no --ignore-value) the
// value is what readValue returns (put reads stdin; a txn line has none: readValue is nil).
func (s *putSpec) validate(args []string, readValue func() (string, bool)) error {
	needValue, err := s.validateArgs(args)
	if err != nil || !needValue {
		return err
	}
	v, ok := "", false
	if readValue != nil {
		v, ok = readValue()
	}
	if !ok {
		return cmdutil.BadArgs(msgPutArgs)
	}
	s.Value = v
	return nil
}

// validateArgs takes key and value from args; needValue reports that the value is still to be
// read (one argument, no --ignore-value).
func (s *putSpec) validateArgs(args []string) (needValue bool, err error) {
	if len(args) == 0 {
		return false, cmdutil.BadArgs(msgPutArgs)
	}
	s.Key = args[0]
	if s.IgnoreValue && len(args) > 1 {
		return false, cmdutil.BadArgs(msgPutIgnoreVal)
	}
	if len(args) > 1 {
		s.Value = args[1]
		return false, nil
	}
	return !s.IgnoreValue, nil
}

// op builds the put; a lease that is not hexadecimal is bad arguments, as upstream.
func (s *putSpec) op() (clientv3.Op, error) {
	id, err := ParseLeaseID(s.Lease)
	if err != nil {
		return clientv3.Op{}, err
	}
	var ops []clientv3.OpOption
	if id != 0 {
		ops = append(ops, clientv3.WithLease(id))
	}
	if s.PrevKV {
		ops = append(ops, clientv3.WithPrevKV())
	}
	if s.IgnoreValue {
		ops = append(ops, clientv3.WithIgnoreValue())
	}
	if s.IgnoreLease {
		ops = append(ops, clientv3.WithIgnoreLease())
	}
	return clientv3.OpPut(s.Key, s.Value, ops...), nil
}

// ParseLeaseID parses a lease ID given in hex, with upstream's error.
func ParseLeaseID(s string) (clientv3.LeaseID, error) {
	id, err := strconv.ParseInt(s, 16, 64)
	if err != nil {
		return 0, cmdutil.BadArgs("bad lease ID (%v), expecting ID in Hex", err)
	}
	return clientv3.LeaseID(id), nil
}

// ---- del ----

// delSpec is del's flags and arguments.
type delSpec struct {
	Key, End string
	hasEnd   bool // a range_end argument was given (even an empty one)
	Prefix   bool
	PrevKV   bool
	FromKey  bool
	Range    bool
}

// delRangeGrace is how long `del <key> <range_end>` (verb or txn line) waits without --range, so
// a person who reads the warning can interrupt.
const delRangeGrace = 2 * time.Second

func (s *delSpec) addFlags(fl *pflag.FlagSet) {
	fl.BoolVar(&s.Prefix, "prefix", false, "delete keys with matching prefix")
	fl.BoolVar(&s.PrevKV, "prev-kv", false, "return deleted key-value pairs")
	fl.BoolVar(&s.FromKey, "from-key", false, "delete keys that are greater than or equal to the given key using byte compare")
	fl.BoolVar(&s.Range, "range", false, "delete range of keys")
}

func (s *delSpec) validate(args []string) error {
	switch {
	case len(args) == 0 || len(args) > 2:
		return cmdutil.BadArgs(msgDelArgs)
	case s.Prefix && s.FromKey:
		return cmdutil.BadArgs(msgPrefixFromKey)
	case (s.Prefix || s.FromKey) && len(args) == 2:
		return cmdutil.BadArgs(msgTooManyArgs)
	}
	s.Key = args[0]
	if len(args) == 2 {
		s.End, s.hasEnd = args[1], true
	}
	return nil
}

// rangeWarning is the line del prints before deleting an explicit range without --range ("" when
// there is nothing to warn about); the caller then waits delRangeGrace.
func (s *delSpec) rangeWarning() string {
	if !s.hasEnd || s.Range {
		return ""
	}
	return fmt.Sprintf("Warning: Keys between %q and %q will be deleted. Please interrupt the command within next 2 seconds to cancel. You can provide `--range` flag to avoid the delay.", s.Key, s.End)
}

func (s *delSpec) op() clientv3.Op {
	var ops []clientv3.OpOption
	switch {
	case s.Prefix:
		ops = append(ops, clientv3.WithPrefix())
	case s.FromKey:
		ops = append(ops, clientv3.WithFromKey())
	case s.End != "":
		ops = append(ops, clientv3.WithRange(s.End))
	}
	if s.PrevKV {
		ops = append(ops, clientv3.WithPrevKV())
	}
	return clientv3.OpDelete(s.Key, ops...)
}
