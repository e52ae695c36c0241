package loader

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// InputError is bad input: the line (from 1) where the offending object, kvs element or
// character is, the number of the document (top-level JSON object, from 1) and what is wrong.
type InputError struct {
	Line int64
	Doc  int
	Msg  string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("invalid input at line %d (document %d): %s", e.Line, e.Doc, e.Msg)
}

// Rejectf is what a ParseOptions.Emit callback returns to refuse a key-value as bad input; the
// parser turns it into an *InputError that says where the key-value is.
func Rejectf(format string, a ...any) error { return &rejectError{fmt.Sprintf(format, a...)} }

type rejectError struct{ msg string }

func (e *rejectError) Error() string { return e.msg }

// ParseOptions tune Parse.
type ParseOptions struct {
	// Plain: the key and value of {"key","value"} records are plain strings, not base64.
	// Documents from `get -w json` are always base64.
	Plain bool
	// Emit receives every key-value in input order. The slices are only valid during the call.
	Emit func(key, value []byte) error
}

// maxDepth bounds the nesting of skipped values.
const maxDepth = 10000

// Parse reads a sequence of JSON objects from r, each either a document written by
// `etcdctl get -w json` ({"header":...,"kvs":[{"key":"<base64>","value":"<base64>",...}],...};
// kvs may be absent) or a record {"key":...,"value":...}, and emits their key-values. A missing
// value is empty. Bad input is an *InputError; read errors and Emit's other errors come back as
// they are. Memory stays bounded by the largest single key-value, however long the input.
func Parse(r io.Reader, opts ParseOptions) error {
	p := &parser{r: bufio.NewReaderSize(r, 256*1024), line: 1, opts: opts}
	return p.run()
}

type parser struct {
	r    *bufio.Reader
	line int64 // line of the next unread byte
	doc  int
	opts ParseOptions

	key, val []byte // the current object's raw key and value strings
	hasKey   bool
	hasVal   bool
	dkey     []byte // decoded
	dval     []byte
	scratch  []byte // skipped strings
}

// errAt is bad input at a line.
func (p *parser) errAt(line int64, format string, a ...any) error {
	return &InputError{Line: line, Doc: p.doc, Msg: fmt.Sprintf(format, a...)}
}

// errEOF is the error for input that ends inside the object starting at line.
func (p *parser) eof(start int64, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errAt(start, "unexpected end of input")
	}
	return err
}

// next returns the next byte that is not white space, without consuming it.
func (p *parser) next() (byte, error) {
	for {
		c, err := p.r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			p.line++
		case ' ', '\t', '\r':
		default:
			p.r.UnreadByte()
			return c, nil
		}
	}
}

func (p *parser) run() error {
	for {
		c, err := p.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		p.doc++
		start := p.line
		if c != '{' {
			return p.errAt(start, "expected a JSON object, found %s", describe(c))
		}
		if err := p.object(start); err != nil {
			return err
		}
	}
}

// object parses one top-level object (its '{' is next).
func (p *parser) object(start int64) error {
	var isDoc, isRec bool
	p.hasKey, p.hasVal = false, false
	err := p.fields(start, func(name []byte) error {
		switch string(name) {
		case "kvs":
			isDoc = true
			return p.kvs(start)
		case "header", "count", "more":
			isDoc = true
			return p.skip(start, 0)
		case "key":
			isRec = true
			return p.stringField(start, "key", &p.key, &p.hasKey)
		case "value":
			isRec = true
			return p.stringField(start, "value", &p.val, &p.hasVal)
		}
		return p.skip(start, 0)
	})
	if err != nil {
		return err
	}
	switch {
	case isDoc && isRec:
		return p.errAt(start, `mixes a get -w json document ("header", "kvs", "count") with a record ("key", "value")`)
	case isRec:
		return p.emit(start, "", p.opts.Plain)
	case !isDoc:
		return p.errAt(start, `neither a get -w json document ("header", "kvs", "count") nor a record ("key", "value")`)
	}
	return nil
}

// fields walks the members of an object (its '{' is next), calling field with each name; field
// must consume the value.
func (p *parser) fields(start int64, field func(name []byte) error) error {
	p.r.ReadByte() // '{'
	c, err := p.next()
	if err != nil {
		return p.eof(start, err)
	}
	if c == '}' {
		p.r.ReadByte()
		return nil
	}
	var name []byte
	for {
		if c != '"' {
			return p.errAt(p.line, "invalid character %s looking for beginning of object key string", quoteChar(c))
		}
		p.r.ReadByte()
		if name, err = p.str(start, name[:0]); err != nil {
			return err
		}
		if c, err = p.next(); err != nil {
			return p.eof(start, err)
		}
		if c != ':' {
			return p.errAt(p.line, "invalid character %s after object key", quoteChar(c))
		}
		p.r.ReadByte()
		if err := field(name); err != nil {
			return err
		}
		if c, err = p.next(); err != nil {
			return p.eof(start, err)
		}
		p.r.ReadByte()
		switch c {
		case '}':
			return nil
		case ',':
		default:
			return p.errAt(p.line, "invalid character %s after object key:value pair", quoteChar(c))
		}
		if c, err = p.next(); err != nil {
			return p.eof(start, err)
		}
	}
}

// stringField reads a string (or null, meaning absent) into *dst.
func (p *parser) stringField(start int64, where string, dst *[]byte, has *bool) error {
	c, err := p.next()
	if err != nil {
		return p.eof(start, err)
	}
	switch c {
	case '"':
		p.r.ReadByte()
		*dst, err = p.str(start, (*dst)[:0])
		*has = err == nil
		return err
	case 'n':
		*has = false
		return p.literal(start, "null")
	}
	line := p.line
	if err := p.skip(start, 0); err != nil {
		return err
	}
	return p.errAt(line, "%s: expected a string, found %s", where, describe(c))
}

// kvs reads a document's kvs array and emits its elements.
func (p *parser) kvs(start int64) error {
	c, err := p.next()
	if err != nil {
		return p.eof(start, err)
	}
	if c == 'n' {
		return p.literal(start, "null")
	}
	if c != '[' {
		return p.errAt(p.line, "kvs: expected an array, found %s", describe(c))
	}
	p.r.ReadByte()
	for i := 0; ; i++ {
		c, err := p.next()
		if err != nil {
			return p.eof(start, err)
		}
		if c == ']' && i == 0 {
			p.r.ReadByte()
			return nil
		}
		where := "kvs[" + strconv.Itoa(i) + "]"
		el := p.line
		if c != '{' {
			return p.errAt(el, "%s: expected an object, found %s", where, describe(c))
		}
		p.hasKey, p.hasVal = false, false
		err = p.fields(start, func(name []byte) error {
			switch string(name) {
			case "key":
				return p.stringField(start, where+".key", &p.key, &p.hasKey)
			case "value":
				return p.stringField(start, where+".value", &p.val, &p.hasVal)
			}
			return p.skip(start, 0)
		})
		if err != nil {
			return err
		}
		if err := p.emit(el, where+".", false); err != nil {
			return err
		}
		if c, err = p.next(); err != nil {
			return p.eof(start, err)
		}
		p.r.ReadByte()
		switch c {
		case ']':
			return nil
		case ',':
		default:
			return p.errAt(p.line, "invalid character %s after array element", quoteChar(c))
		}
	}
}

// emit decodes the current key and value and hands them to Emit.
func (p *parser) emit(line int64, where string, plain bool) error {
	if !p.hasKey {
		if where != "" {
			return p.errAt(line, "%s: no key", where[:len(where)-1])
		}
		return p.errAt(line, "no key")
	}
	key, val := p.key, p.val
	if !p.hasVal {
		val = val[:0]
	}
	if !plain {
		var err error
		if p.dkey, err = decode64(p.dkey, key); err != nil {
			return p.errAt(line, "%skey: %v", where, err)
		}
		if p.dval, err = decode64(p.dval, val); err != nil {
			return p.errAt(line, "%svalue: %v", where, err)
		}
		key, val = p.dkey, p.dval
	}
	if len(key) == 0 {
		return p.errAt(line, "%skey: empty key", where)
	}
	if err := p.opts.Emit(key, val); err != nil {
		var re *rejectError
		if errors.As(err, &re) {
			return p.errAt(line, "%s%s", where, re.msg)
		}
		return err
	}
	return nil
}

func decode64(dst, src []byte) ([]byte, error) {
	n := base64.StdEncoding.DecodedLen(len(src))
	if cap(dst) < n {
		dst = make([]byte, n)
	}
	m, err := base64.StdEncoding.Decode(dst[:n], src)
	return dst[:m], err
}

// str reads the rest of a string whose opening quote is consumed, appending its bytes to dst.
func (p *parser) str(start int64, dst []byte) ([]byte, error) {
	for {
		// Fast path: copy the plain run of bytes that is already buffered.
		buf, _ := p.r.Peek(max(p.r.Buffered(), 1))
		i := 0
		for i < len(buf) && buf[i] != '"' && buf[i] != '\\' && buf[i] >= 0x20 {
			i++
		}
		dst = append(dst, buf[:i]...)
		p.r.Discard(i)
		if i > 0 && i == len(buf) {
			continue // the buffer ended inside the run: refill
		}
		c, err := p.r.ReadByte()
		if err != nil {
			return dst, p.eof(start, err)
		}
		switch {
		case c == '"':
			return dst, nil
		case c < 0x20:
			return dst, p.errAt(p.line, "invalid character %s in string literal", quoteChar(c))
		}
		// an escape
		e, err := p.r.ReadByte()
		if err != nil {
			return dst, p.eof(start, err)
		}
		switch e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, err := p.hex4(start)
			if err != nil {
				return dst, err
			}
			if utf16.IsSurrogate(r) {
				// A pair is \uD8xx\uDCxx; a lone half becomes U+FFFD (as encoding/json does).
				if b, _ := p.r.Peek(2); len(b) == 2 && b[0] == '\\' && b[1] == 'u' {
					p.r.Discard(2)
					r2, err := p.hex4(start)
					if err != nil {
						return dst, err
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						dst = utf8.AppendRune(dst, dec)
						continue
					}
					dst = utf8.AppendRune(dst, utf8.RuneError)
					r = r2
					if utf16.IsSurrogate(r) {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			return dst, p.errAt(p.line, "invalid character %s in string escape code", quoteChar(e))
		}
	}
}

func (p *parser) hex4(start int64) (rune, error) {
	var r rune
	for i := 0; i < 4; i++ {
		c, err := p.r.ReadByte()
		if err != nil {
			return 0, p.eof(start, err)
		}
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, p.errAt(p.line, "invalid character %s in \\u hexadecimal character escape", quoteChar(c))
		}
	}
	return r, nil
}

// literal consumes the literal word (true, false or null), which is next.
func (p *parser) literal(start int64, word string) error {
	for i := 0; i < len(word); i++ {
		c, err := p.r.ReadByte()
		if err != nil {
			return p.eof(start, err)
		}
		if c != word[i] {
			return p.errAt(p.line, "invalid character %s in literal %s (expecting %s)", quoteChar(c), word, quoteChar(word[i]))
		}
	}
	return p.endOfToken()
}

// endOfToken checks that a number or literal is not followed by more of a word ("nullx", "12a").
func (p *parser) endOfToken() error {
	b, err := p.r.Peek(1)
	if err != nil || len(b) == 0 {
		return nil // the caller sees the end of input next
	}
	switch c := b[0]; c {
	case ' ', '\t', '\r', '\n', ',', '}', ']':
		return nil
	default:
		return p.errAt(p.line, "invalid character %s after a value", quoteChar(c))
	}
}

// skip consumes any JSON value, checking its syntax.
func (p *parser) skip(start int64, depth int) error {
	if depth > maxDepth {
		return p.errAt(p.line, "exceeded max depth")
	}
	c, err := p.next()
	if err != nil {
		return p.eof(start, err)
	}
	switch {
	case c == '"':
		p.r.ReadByte()
		var err error
		p.scratch, err = p.str(start, p.scratch[:0])
		return err
	case c == '{':
		return p.fields(start, func([]byte) error { return p.skip(start, depth+1) })
	case c == '[':
		p.r.ReadByte()
		c, err := p.next()
		if err != nil {
			return p.eof(start, err)
		}
		if c == ']' {
			p.r.ReadByte()
			return nil
		}
		for {
			if err := p.skip(start, depth+1); err != nil {
				return err
			}
			c, err := p.next()
			if err != nil {
				return p.eof(start, err)
			}
			p.r.ReadByte()
			switch c {
			case ']':
				return nil
			case ',':
			default:
				return p.errAt(p.line, "invalid character %s after array element", quoteChar(c))
			}
		}
	case c == 't':
		return p.literal(start, "true")
	case c == 'f':
		return p.literal(start, "false")
	case c == 'n':
		return p.literal(start, "null")
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number(start)
	}
	return p.errAt(p.line, "invalid character %s looking for beginning of value", quoteChar(c))
}

// number consumes a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number(start int64) error {
	peek := func() byte {
		b, _ := p.r.Peek(1)
		if len(b) == 0 {
			return 0
		}
		return b[0]
	}
	digits := func() error {
		c := peek()
		if c < '0' || c > '9' {
			return p.errAt(p.line, "invalid character %s in numeric literal", quoteChar(c))
		}
		for c >= '0' && c <= '9' {
			p.r.ReadByte()
			c = peek()
		}
		return nil
	}
	if peek() == '-' {
		p.r.ReadByte()
	}
	if peek() == '0' {
		p.r.ReadByte()
	} else if err := digits(); err != nil {
		return err
	}
	if peek() == '.' {
		p.r.ReadByte()
		if err := digits(); err != nil {
			return err
		}
	}
	if c := peek(); c == 'e' || c == 'E' {
		p.r.ReadByte()
		if c := peek(); c == '+' || c == '-' {
			p.r.ReadByte()
		}
		if err := digits(); err != nil {
			return err
		}
	}
	return p.endOfToken()
}

// describe names the kind of value that starts with c.
func describe(c byte) string {
	switch {
	case c == '"':
		return "string"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || ('0' <= c && c <= '9'):
		return "number"
	}
	return quoteChar(c)
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}
