package dialect

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The v2 client's verb options. Each verb's options are read from its own help page (the
// OPTIONS section of v2pages.txt), so the parser knows exactly the options the page lists, plus
// --help/-h, which every verb has.

// v2Opt is one option: its names (without dashes) and the kind of value it takes.
type v2Opt struct {
	names []string
	kind  v2Kind
}

type v2Kind int

const (
	v2Bool     v2Kind = iota // a switch: --sort, --sort=false
	v2String                 // --path /x, --path=/x
	v2Int                    // --ttl 5 (base prefixes accepted, as Go's flag package does)
	v2Duration               // --timeout 2s
)

// v2OptsOf lists the options on the help page called key (and help).
func v2OptsOf(key string) []v2Opt { return v2OptsFrom(v2Page(key)) }

// v2OptsFrom lists the options of a help page's OPTIONS (or GLOBAL OPTIONS) section, and help.
// An option shown with a value takes a string, an integer when its default is 0, a duration
// when its default is one.
func v2OptsFrom(page string) []v2Opt {
	opts := []v2Opt{{names: []string{"help", "h"}, kind: v2Bool}}
	_, section, ok := strings.Cut(page, "OPTIONS:\n")
	if !ok {
		return opts
	}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "   -") {
			continue
		}
		spec, desc, _ := strings.Cut(strings.TrimSpace(line), "  ")
		o := v2Opt{kind: v2Bool}
		for _, n := range strings.Split(spec, ", ") {
			n, arg, hasArg := strings.Cut(n, " ")
			if hasArg && arg != "" {
				o.kind = v2ValueKind(desc)
			}
			o.names = append(o.names, strings.TrimLeft(n, "-"))
		}
		if !slices.Contains(o.names, "help") {
			opts = append(opts, o)
		}
	}
	return opts
}

// v2ValueKind is the kind of value an option takes, from its description's default.
func v2ValueKind(desc string) v2Kind {
	_, def, ok := strings.Cut(desc, "(default: ")
	def, _, _ = strings.Cut(def, ")")
	switch {
	case !ok:
		return v2String
	case def == "0":
		return v2Int
	}
	if _, err := time.ParseDuration(def); err == nil {
		return v2Duration
	}
	return v2String
}

// v2Parsed is a verb's command line after its options: the values set (by first name) and
// the arguments left.
type v2Parsed struct {
	set  map[string]string
	args []string
}

func (p v2Parsed) on(name string) bool {
	v, ok := p.set[name]
	return ok && v == "true"
}

// v2Find is the option one of whose names is name.
func v2Find(opts []v2Opt, name string) (v2Opt, bool) {
	for _, o := range opts {
		for _, n := range o.names {
			if n == name {
				return o, true
			}
		}
	}
	return v2Opt{}, false
}

// v2Reorder moves a verb's own options (and the word after one given without "=", unless that
// word starts with a dash) before its other words, as the v2 client does before it parses them;
// "--" and what follows stay last. Words starting with a dash that are not its options stay
// among the arguments, so they are not options once an argument precedes them.
func v2Reorder(opts []v2Opt, args []string) []string {
	var front, back []string
	wantValue := false
	for i, a := range args {
		switch {
		case wantValue && !strings.HasPrefix(a, "-"):
			front = append(front, a)
			wantValue = false
		case a == "--":
			back = append(back, args[i:]...)
			return append(front, back...)
		case v2IsOpt(opts, a):
			front = append(front, a)
			wantValue = !strings.Contains(a, "=")
		default:
			back = append(back, a)
		}
	}
	return append(front, back...)
}

// v2IsOpt reports whether a names one of opts (-name, --name, with or without =value).
func v2IsOpt(opts []v2Opt, a string) bool {
	if a == "-" || !strings.HasPrefix(a, "-") {
		return false
	}
	name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	name, _, _ = strings.Cut(name, "=")
	_, ok := v2Find(opts, name)
	return ok
}

// v2Parse reads options from the front of args, stopping at the first word that is not one
// (or after "--"), with the rules and messages of Go's flag package, which the v2 client used.
func v2Parse(opts []v2Opt, args []string) (v2Parsed, error) {
	p := v2Parsed{set: map[string]string{}}
	for len(args) > 0 {
		a := args[0]
		if len(a) < 2 || a[0] != '-' {
			break
		}
		dashes := 1
		if a[1] == '-' {
			dashes = 2
			if len(a) == 2 {
				args = args[1:]
				break
			}
		}
		name := a[dashes:]
		if name == "" || name[0] == '-' || name[0] == '=' {
			return p, fmt.Errorf("bad flag syntax: %s", a)
		}
		args = args[1:]
		name, value, hasValue := strings.Cut(name, "=")
		o, ok := v2Find(opts, name)
		if !ok {
			return p, fmt.Errorf("flag provided but not defined: -%s", name)
		}
		switch o.kind {
		case v2Bool:
			if !hasValue {
				value = "true"
			} else if b, err := strconv.ParseBool(value); err != nil {
				return p, fmt.Errorf("invalid boolean value %q for -%s: parse error", value, name)
			} else {
				value = strconv.FormatBool(b)
			}
		default:
			if !hasValue {
				if len(args) == 0 {
					return p, fmt.Errorf("flag needs an argument: -%s", name)
				}
				value, args = args[0], args[1:]
			}
			switch o.kind {
			case v2Int:
				if _, err := strconv.ParseInt(value, 0, 64); err != nil {
					why := "parse error"
					if errors.Is(err, strconv.ErrRange) {
						why = "value out of range"
					}
					return p, fmt.Errorf("invalid value %q for flag -%s: %s", value, name, why)
				}
			case v2Duration:
				if _, err := time.ParseDuration(value); err != nil {
					return p, fmt.Errorf("invalid value %q for flag -%s: parse error", value, name)
				}
			}
		}
		p.set[o.names[0]] = value
	}
	p.args = args
	return p, nil
}
