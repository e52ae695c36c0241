package commands

// The txn grammar, read from stdin:
//
//	<compares, one a line>
//	<blank line>
//	<success requests (get/put/del with their flags), one a line>
//	<blank line>
//	<failure requests, one a line>
//	<blank line>
//
// Everything here is pure (no I/O besides the reader handed in), so that it can be fuzzed.

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/pflag"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// txnParseError is a txn input error with the process exit code it ends with. Usage, when set, is
// the inner command's usage text, shown on stderr before the error (as upstream does for a bad flag).
type txnParseError struct {
	Code  int
	Msg   string
	Usage string
}

func (e *txnParseError) Error() string { return e.Msg }

func txnErrorf(code int, format string, a ...any) *txnParseError {
	return &txnParseError{Code: code, Msg: fmt.Sprintf(format, a...)}
}

// txnRequest is one parsed request line.
type txnRequest struct {
	Op clientv3.Op
	// RangeWarning is set for `del <key> <range_end>` without --range: upstream warns on stderr
	// and waits two seconds before going on.
	RangeWarning string
	// Help is set when the line asked for the inner command's help (-h/--help); no Op then.
	Help string
}

// txnSpec is a whole parsed transaction.
type txnSpec struct {
	Compares []clientv3.Cmp
	Success  []txnRequest
	Failure  []txnRequest
}

// The three sections of the input, in order.
const (
	txnSectionCompares = iota
	txnSectionSuccess
	txnSectionFailure
)

// txnPrompts are the -i prompts, one per section.
var txnPrompts = [...]string{"compares:", "success requests (get, put, del):", "failure requests (get, put, del):"}

// txnRead reads the three sections from r. Before each section it calls prompt (when non-nil);
// after each request line it calls onRequest (when non-nil) so the caller can act at once (del's
// range warning). The first bad line ends the reading with a *txnParseError; end of input before
// the closing blank line is an "EOF" error (exit 3), as upstream.
func txnRead(r *bufio.Reader, prompt func(section int), onRequest func(txnRequest)) (*txnSpec, error) {
	spec := &txnSpec{}
	for section := txnSectionCompares; section <= txnSectionFailure; section++ {
		if prompt != nil {
			prompt(section)
		}
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				if err == io.EOF {
					return nil, txnErrorf(cmdutil.ExitInvalidInput, "%v", err)
				}
				return nil, &txnParseError{Code: cmdutil.ExitInvalidInput, Msg: err.Error()}
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if section == txnSectionCompares {
				cmp, perr := txnParseCompare(line)
				if perr != nil {
					return nil, perr
				}
				spec.Compares = append(spec.Compares, cmp)
				continue
			}
			req, perr := txnParseRequest(line)
			if perr != nil {
				return nil, perr
			}
			if onRequest != nil {
				onRequest(req)
			}
			if req.Help != "" {
				continue
			}
			if section == txnSectionSuccess {
				spec.Success = append(spec.Success, req)
			} else {
				spec.Failure = append(spec.Failure, req)
			}
		}
	}
	return spec, nil
}

// txnParseString parses a whole transaction text (the fuzz target's entry point).
func txnParseString(s string) (*txnSpec, error) {
	return txnRead(bufio.NewReader(strings.NewReader(s)), nil, nil)
}

// txnParseCompare parses one compare line (already trimmed):
//
//	<target>("<key>") <op> "<value>"
//
// target: ver|version, c|create, m|mod, val|value, lease; op: = != < >. Key and value are Go
// quoted strings ("..." with escapes, or `...`).
func txnParseCompare(line string) (clientv3.Cmp, error) {
	lparen := strings.IndexByte(line, '(')
	if lparen < 0 {
		return clientv3.Cmp{}, txnErrorf(cmdutil.ExitInvalidInput, "malformed comparison: %s", line)
	}
	target := line[:lparen]
	var key, op, val string
	if _, err := fmt.Sscanf(line[lparen+1:], "%q) %s %q", &key, &op, &val); err != nil {
		return clientv3.Cmp{}, txnErrorf(cmdutil.ExitInvalidInput, "malformed comparison: %s; got %s(%q) %s %q", line, target, key, op, val)
	}
	var cmp clientv3.Cmp
	numeric := true
	switch target {
	case "ver", "version":
		cmp = clientv3.Version(key)
	case "c", "create":
		cmp = clientv3.CreateRevision(key)
	case "m", "mod":
		cmp = clientv3.ModRevision(key)
	case "val", "value":
		cmp, numeric = clientv3.Value(key), false
	case "lease":
		// Upstream hands the lease compare's value to the client as a string, which the client
		// rejects by panicking (exit 2): "Unknown result op" for a bad operator, "bad value" else.
		if !txnValidOp(op) {
			return clientv3.Cmp{}, txnErrorf(cmdutil.ExitBadConnection, "Unknown result op")
		}
		return clientv3.Cmp{}, txnErrorf(cmdutil.ExitBadConnection, "bad value")
	default:
		return clientv3.Cmp{}, txnErrorf(cmdutil.ExitInvalidInput, "malformed comparison: %s (unknown target %s)", line, target)
	}
	var v any = val
	if numeric {
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return clientv3.Cmp{}, txnErrorf(cmdutil.ExitInvalidInput, "invalid txn compare request: %s", line)
		}
		v = n
	}
	if !txnValidOp(op) {
		// Upstream panics here ("Unknown result op", exit 2); we end cleanly with the same code.
		return clientv3.Cmp{}, txnErrorf(cmdutil.ExitBadConnection, "Unknown result op")
	}
	return clientv3.Compare(cmp, op, v), nil
}

func txnValidOp(op string) bool {
	switch op {
	case "=", "!=", "<", ">":
		return true
	}
	return false
}

// txnArgify splits a request line into words: "double quoted" (Go escapes, unquoted),
// 'single quoted' (taken literally), or a bare word that starts with neither quote and runs to the
// next blank. A character that starts none of these (an unmatched quote) is skipped.
func txnArgify(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case txnIsSpace(c):
			i++
		case c == '"':
			j := i + 1
			closed := false
			for j < len(s) {
				if s[j] == '\\' {
					if j+1 < len(s) && s[j+1] != '\n' {
						j += 2
						continue
					}
					break
				}
				if s[j] == '\n' {
					break
				}
				if s[j] == '"' {
					closed = true
					break
				}
				j++
			}
			if !closed {
				i++ // a lone quote: skipped
				continue
			}
			w, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, err
			}
			out = append(out, w)
			i = j + 1
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				i++
				continue
			}
			out = append(out, s[i+1:i+1+j])
			i += j + 2
		default:
			j := i + 1
			for j < len(s) && !txnIsSpace(s[j]) {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out, nil
}

// txnIsSpace is a regexp \s: tab, newline, form feed, carriage return, space.
func txnIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// txnVerbs are the request verbs, for unambiguous-prefix matching ("g k" is "get k").
var txnVerbs = [...]string{"get", "put", "del"}

func txnMatchVerb(w string) string {
	found := ""
	for _, v := range txnVerbs {
		if v == w {
			return v
		}
		if strings.HasPrefix(v, w) {
			if found != "" {
				return ""
			}
			found = v
		}
	}
	return found
}

// txnParseRequest parses one request line (already trimmed).
func txnParseRequest(line string) (txnRequest, error) {
	args, err := txnArgify(line)
	if err != nil {
		return txnRequest{}, txnErrorf(cmdutil.ExitInvalidInput, "%v", err)
	}
	if len(args) < 2 {
		return txnRequest{}, txnErrorf(cmdutil.ExitInvalidInput, "invalid txn compare request: %s", line)
	}
	verb := txnMatchVerb(args[0])
	if verb == "" {
		return txnRequest{}, txnErrorf(cmdutil.ExitInvalidInput, "invalid txn request: %s", line)
	}
	switch verb {
	case "get":
		return txnParseGet(line, args[1:])
	case "put":
		return txnParsePut(line, args[1:])
	default:
		return txnParseDel(line, args[1:])
	}
}

// txnFlagSet is a quiet flag set with the inner command's help flag.
func txnFlagSet(name string) (*pflag.FlagSet, *bool) {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	help := fs.BoolP("help", "h", false, "help for "+name)
	return fs, help
}

// txnUsage is the inner command's usage as upstream shows it on stderr after a flag error.
func txnUsage(use string, fs *pflag.FlagSet) string {
	return "Usage:\n   " + use + " [flags]\n\nFlags:\n" + fs.FlagUsages() + "\n"
}

// txnHelp is the inner command's --help page (stdout).
func txnHelp(long, use string, fs *pflag.FlagSet) string {
	return long + "\n\n" + "Usage:\n   " + use + " [flags]\n\nFlags:\n" + fs.FlagUsages()
}

func txnFlagError(line, use string, fs *pflag.FlagSet) error {
	return &txnParseError{Code: cmdutil.ExitInvalidInput, Msg: "invalid txn request: " + line, Usage: txnUsage(use, fs)}
}

const (
	txnPrefixFromKey = "`--prefix` and `--from-key` cannot be set at the same time, choose one"
	txnTooManyArgs   = "too many arguments, only accept one argument when `--prefix` or `--from-key` is set"
)

func txnParseGet(line string, argv []string) (txnRequest, error) {
	fs, help := txnFlagSet("get")
	consistency := fs.String("consistency", "l", "Linearizable(l) or Serializable(s)")
	order := fs.String("order", "", "Order of results; ASCEND or DESCEND (ASCEND by default)")
	sortBy := fs.String("sort-by", "", "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION")
	limit := fs.Int64("limit", 0, "Maximum number of results")
	prefix := fs.Bool("prefix", false, "Get keys with matching prefix")
	fromKey := fs.Bool("from-key", false, "Get keys that are greater than or equal to the given key using byte compare")
	rev := fs.Int64("rev", 0, "Specify the kv revision")
	keysOnly := fs.Bool("keys-only", false, "Get only the keys")
	countOnly := fs.Bool("count-only", false, "Get only the count")
	fs.Bool("print-value-only", false, `Only write values when using the "simple" output format`)
	minMod := fs.Int64("min-mod-rev", 0, "Minimum modification revision")
	maxMod := fs.Int64("max-mod-rev", 0, "Maximum modification revision")
	minCreate := fs.Int64("min-create-rev", 0, "Minimum create revision")
	maxCreate := fs.Int64("max-create-rev", 0, "Maximum create revision")
	fs.Bool("stream", false, "Use the RangeStream RPC")
	if err := fs.Parse(argv); err != nil {
		if err == pflag.ErrHelp {
			return txnRequest{Help: txnHelp("Gets the key or a range of keys", getUse, fs)}, nil
		}
		return txnRequest{}, txnFlagError(line, getUse, fs)
	}
	if *help {
		return txnRequest{Help: txnHelp("Gets the key or a range of keys", getUse, fs)}, nil
	}
	args := fs.Args()
	if len(args) == 0 {
		return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, "get command needs one argument as key and an optional argument as range_end")
	}
	if *prefix && *fromKey {
		return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, txnPrefixFromKey)
	}
	if *keysOnly && *countOnly {
		return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, "`--keys-only` and `--count-only` cannot be set at the same time, choose one")
	}
	var opts []clientv3.OpOption
	switch *consistency {
	case "l":
	case "s":
		opts = append(opts, clientv3.WithSerializable())
	default:
		return txnRequest{}, txnErrorf(cmdutil.ExitBadFeature, "unknown consistency flag %q", *consistency)
	}
	key := args[0]
	if len(args) > 1 {
		if *prefix || *fromKey {
			return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, txnTooManyArgs)
		}
		opts = append(opts, clientv3.WithRange(args[1]))
	}
	opts = append(opts, clientv3.WithLimit(*limit))
	if *rev > 0 {
		opts = append(opts, clientv3.WithRev(*rev))
	}
	sortOrder := clientv3.SortNone
	switch strings.ToUpper(*order) {
	case "ASCEND":
		sortOrder = clientv3.SortAscend
	case "DESCEND":
		sortOrder = clientv3.SortDescend
	case "":
	default:
		return txnRequest{}, txnErrorf(cmdutil.ExitBadFeature, "bad sort order %v", *order)
	}
	sortTarget := clientv3.SortByKey
	switch strings.ToUpper(*sortBy) {
	case "CREATE":
		sortTarget = clientv3.SortByCreateRevision
	case "KEY":
		sortTarget = clientv3.SortByKey
	case "MODIFY":
		sortTarget = clientv3.SortByModRevision
	case "VALUE":
		sortTarget = clientv3.SortByValue
	case "VERSION":
		sortTarget = clientv3.SortByVersion
	case "":
	default:
		return txnRequest{}, txnErrorf(cmdutil.ExitBadFeature, "bad sort target %v", *sortBy)
	}
	opts = append(opts, clientv3.WithSort(sortTarget, sortOrder))
	if *prefix {
		opts = append(opts, clientv3.WithPrefix())
	}
	if *fromKey {
		opts = append(opts, clientv3.WithFromKey())
	}
	if *keysOnly {
		opts = append(opts, clientv3.WithKeysOnly())
	}
	if *countOnly {
		opts = append(opts, clientv3.WithCountOnly())
	}
	if *minMod > 0 {
		opts = append(opts, clientv3.WithMinModRev(*minMod))
	}
	if *maxMod > 0 {
		opts = append(opts, clientv3.WithMaxModRev(*maxMod))
	}
	if *minCreate > 0 {
		opts = append(opts, clientv3.WithMinCreateRev(*minCreate))
	}
	if *maxCreate > 0 {
		opts = append(opts, clientv3.WithMaxCreateRev(*maxCreate))
	}
	return txnRequest{Op: clientv3.OpGet(key, opts...)}, nil
}

func txnParsePut(line string, argv []string) (txnRequest, error) {
	fs, help := txnFlagSet("put")
	lease := fs.String("lease", "0", "lease ID (in hexadecimal) to attach to the key")
	prevKV := fs.Bool("prev-kv", false, "return the previous key-value pair before modification")
	ignoreVal := fs.Bool("ignore-value", false, "updates the key using its current value")
	ignoreLease := fs.Bool("ignore-lease", false, "updates the key using its current lease")
	if err := fs.Parse(argv); err != nil {
		if err == pflag.ErrHelp {
			return txnRequest{Help: txnHelp(putLong, putUse, fs)}, nil
		}
		return txnRequest{}, txnFlagError(line, putUse, fs)
	}
	if *help {
		return txnRequest{Help: txnHelp(putLong, putUse, fs)}, nil
	}
	args := fs.Args()
	const needArgs = "put command needs 1 argument and input from stdin or 2 arguments"
	if len(args) == 0 {
		return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, needArgs)
	}
	key, value := args[0], ""
	if *ignoreVal {
		if len(args) > 1 {
			return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, "put command needs only 1 argument when 'ignore-value' is set")
		}
	} else {
		if len(args) < 2 {
			return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, needArgs)
		}
		value = args[1]
	}
	id, err := strconv.ParseInt(*lease, 16, 64)
	if err != nil {
		return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, "bad lease ID (%v), expecting ID in Hex", err)
	}
	var opts []clientv3.OpOption
	if id != 0 {
		opts = append(opts, clientv3.WithLease(clientv3.LeaseID(id)))
	}
	if *prevKV {
		opts = append(opts, clientv3.WithPrevKV())
	}
	if *ignoreVal {
		opts = append(opts, clientv3.WithIgnoreValue())
	}
	if *ignoreLease {
		opts = append(opts, clientv3.WithIgnoreLease())
	}
	return txnRequest{Op: clientv3.OpPut(key, value, opts...)}, nil
}

func txnParseDel(line string, argv []string) (txnRequest, error) {
	fs, help := txnFlagSet("del")
	prefix := fs.Bool("prefix", false, "delete keys with matching prefix")
	prevKV := fs.Bool("prev-kv", false, "return deleted key-value pairs")
	fromKey := fs.Bool("from-key", false, "delete keys that are greater than or equal to the given key using byte compare")
	rangeFlag := fs.Bool("range", false, "delete range of keys")
	if err := fs.Parse(argv); err != nil {
		if err == pflag.ErrHelp {
			return txnRequest{Help: txnHelp("Removes the specified key or range of keys [key, range_end)", delUse, fs)}, nil
		}
		return txnRequest{}, txnFlagError(line, delUse, fs)
	}
	if *help {
		return txnRequest{Help: txnHelp("Removes the specified key or range of keys [key, range_end)", delUse, fs)}, nil
	}
	args := fs.Args()
	if len(args) == 0 || len(args) > 2 {
		return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, "del command needs one argument as key and an optional argument as range_end")
	}
	if *prefix && *fromKey {
		return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, txnPrefixFromKey)
	}
	var opts []clientv3.OpOption
	req := txnRequest{}
	if len(args) > 1 {
		if *prefix || *fromKey {
			return txnRequest{}, txnErrorf(cmdutil.ExitBadArgs, txnTooManyArgs)
		}
		opts = append(opts, clientv3.WithRange(args[1]))
		if !*rangeFlag {
			req.RangeWarning = fmt.Sprintf("Warning: Keys between %q and %q will be deleted. Please interrupt the command within next 2 seconds to cancel. You can provide `--range` flag to avoid the delay.", args[0], args[1])
		}
	}
	if *prefix {
		opts = append(opts, clientv3.WithPrefix())
	}
	if *fromKey {
		opts = append(opts, clientv3.WithFromKey())
	}
	if *prevKV {
		opts = append(opts, clientv3.WithPrevKV())
	}
	req.Op = clientv3.OpDelete(args[0], opts...)
	return req, nil
}
