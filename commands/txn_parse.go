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
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/etcdctl-rewritten/etcdctl/internal/cmdutil"
	"github.com/spf13/pflag"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// txnParseError is a txn input error; Err has the kind of failure it is. Usage, when set, is
// the inner command's usage text, shown on stderr before the error (as upstream does for a bad flag).
type txnParseError struct {
	Err   error
	Usage string
}

func (e *txnParseError) Error() string { return e.Err.Error() }
func (e *txnParseError) Unwrap() error { return e.Err }

// txnInvalid is an invalid-input txn error (exit 3 in upstream).
func txnInvalid(format string, a ...any) *txnParseError {
	return &txnParseError{Err: cmdutil.InvalidInput(format, a...)}
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
					return nil, txnInvalid("%v", err)
				}
				return nil, &txnParseError{Err: cmdutil.AsInvalidInput(err)}
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
		return clientv3.Cmp{}, txnInvalid("malformed comparison: %s", line)
	}
	target := line[:lparen]
	var key, op, val string
	if _, err := fmt.Sscanf(line[lparen+1:], "%q) %s %q", &key, &op, &val); err != nil {
		return clientv3.Cmp{}, txnInvalid("malformed comparison: %s; got %s(%q) %s %q", line, target, key, op, val)
	}
	var cmp clientv3.Cmp
	numeric, base := true, 10
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
		// The value is a lease ID in hexadecimal. (3.7.3 panics on any lease compare; 3.6.16 and
		// upstream's development branch evaluate it, and so do we.)
		cmp, base = clientv3.LeaseValue(key), 16
	default:
		return clientv3.Cmp{}, txnInvalid("malformed comparison: %s (unknown target %s)", line, target)
	}
	var v any = val
	if numeric {
		n, err := strconv.ParseInt(val, base, 64)
		if err != nil {
			return clientv3.Cmp{}, txnInvalid("invalid txn compare request: %s", line)
		}
		v = n
	}
	if !txnValidOp(op) {
		// Upstream panics here ("Unknown result op", exit 2); we end cleanly with the same code.
		return clientv3.Cmp{}, &txnParseError{Err: &cmdutil.UpstreamPanicError{Err: errors.New("Unknown result op")}}
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
		return txnRequest{}, txnInvalid("%v", err)
	}
	if len(args) < 2 {
		return txnRequest{}, txnInvalid("invalid txn compare request: %s", line)
	}
	verb := txnMatchVerb(args[0])
	if verb == "" {
		return txnRequest{}, txnInvalid("invalid txn request: %s", line)
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
	return &txnParseError{Err: cmdutil.InvalidInput("invalid txn request: %s", line), Usage: txnUsage(use, fs)}
}

// txnParseRequestArgs parses a request line's flags into fl; with -h/--help it returns the inner
// command's help page instead (no request then).
func txnParseFlags(line, use, short string, fs *pflag.FlagSet, help *bool, argv []string) (helpPage string, err error) {
	if err := fs.Parse(argv); err != nil {
		if err == pflag.ErrHelp {
			return txnHelp(short, use, fs), nil
		}
		return "", txnFlagError(line, use, fs)
	}
	if *help {
		return txnHelp(short, use, fs), nil
	}
	return "", nil
}

// txnCheck turns a verb's check error into a txn error of the same kind and text.
func txnCheck(err error) error {
	if err == nil {
		return nil
	}
	return &txnParseError{Err: err}
}

func txnParseGet(line string, argv []string) (txnRequest, error) {
	fs, help := txnFlagSet("get")
	var s getSpec
	s.addFlags(fs)
	if page, err := txnParseFlags(line, getUse, getShort, fs, help, argv); page != "" || err != nil {
		return txnRequest{Help: page}, err
	}
	if err := s.validate(fs.Args()); err != nil {
		return txnRequest{}, txnCheck(err)
	}
	return txnRequest{Op: s.op()}, nil
}

func txnParsePut(line string, argv []string) (txnRequest, error) {
	fs, help := txnFlagSet("put")
	var s putSpec
	s.addFlags(fs)
	if page, err := txnParseFlags(line, putUse, putLong, fs, help, argv); page != "" || err != nil {
		return txnRequest{Help: page}, err
	}
	if err := s.validate(fs.Args(), nil); err != nil {
		return txnRequest{}, txnCheck(err)
	}
	op, err := s.op()
	if err != nil {
		return txnRequest{}, txnCheck(err)
	}
	return txnRequest{Op: op}, nil
}

func txnParseDel(line string, argv []string) (txnRequest, error) {
	fs, help := txnFlagSet("del")
	var s delSpec
	s.addFlags(fs)
	if page, err := txnParseFlags(line, delUse, delShort, fs, help, argv); page != "" || err != nil {
		return txnRequest{Help: page}, err
	}
	if err := s.validate(fs.Args()); err != nil {
		return txnRequest{}, txnCheck(err)
	}
	return txnRequest{Op: s.op(), RangeWarning: s.rangeWarning()}, nil
}
