package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// The fast path of the strict reading. Most bodies are well formed, and
// the shape walker (bind_strict.go) reads them through json.Decoder.Token,
// which costs more than pricing an eligibility request. shapeOK answers
// one question in a single pass over the bytes — would the walker find
// nothing to report? — and the body is then decoded with json.Unmarshal.
// Whenever it cannot say yes (any structural problem, an escaped key, a
// type the plan does not cover) or Unmarshal fails, the request takes the
// walker's path, which words every error; so answers never change, only
// the cost of the clean case.

// shape is the plan of one Go type as the walker reads it.
type shape struct {
	kind     byte // 'o' struct, 'm' map, 'a' slice, 's' string, 'b' bool, 'i' signed, 'u' unsigned
	bits     int
	fields   map[string]int // struct: JSON name → index into elems
	elems    []*shape       // struct: field shapes; map, slice: elems[0]
	goField  []int          // struct: the Go field index of each of elems
	nfields  int
	unusable bool
	custom   bool // has its own UnmarshalJSON or UnmarshalText: decoded by encoding/json
}

// shapes caches the plans of the request DTOs; a type the plan does not
// cover is cached as nil (always the walker).
type shapes struct{ m sync.Map }

func (c *shapes) of(t reflect.Type) *shape {
	if v, ok := c.m.Load(t); ok {
		return v.(*shape)
	}
	sh := planShape(t, map[reflect.Type]*shape{})
	if sh != nil && sh.unusableAnywhere(map[*shape]bool{}) {
		sh = nil
	}
	c.m.Store(t, sh)
	return sh
}

// planShape mirrors shapeWalker.value: pointers are looked through, a
// struct's members are found by the name before the comma of their json
// tag. A field the walker would accept but encoding/json would not read
// under that name (no tag, "-", embedded) makes the type unusable.
func planShape(t reflect.Type, seen map[reflect.Type]*shape) *shape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if sh, ok := seen[t]; ok {
		return sh
	}
	sh := &shape{}
	seen[t] = sh
	if pt := reflect.PointerTo(t); pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler) {
		sh.custom = true
	}
	switch t.Kind() {
	case reflect.Struct:
		sh.kind = 'o'
		sh.fields = map[string]int{}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous { // encoding/json promotes its fields, even unexported ones
				sh.unusable = true
				continue
			}
			if !f.IsExported() {
				continue
			}
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "" || tag == "-" {
				sh.unusable = true
				continue
			}
			if _, dup := sh.fields[tag]; dup {
				continue // the walker finds the first
			}
			sh.fields[tag] = len(sh.elems)
			sh.elems = append(sh.elems, planShape(f.Type, seen))
			sh.goField = append(sh.goField, i)
		}
		sh.nfields = len(sh.elems)
	case reflect.Map:
		sh.kind = 'm'
		sh.unusable = t.Key().Kind() != reflect.String
		sh.elems = []*shape{planShape(t.Elem(), seen)}
	case reflect.Slice:
		sh.kind = 'a'
		sh.elems = []*shape{planShape(t.Elem(), seen)}
	case reflect.String:
		sh.kind = 's'
	case reflect.Bool:
		sh.kind = 'b'
	case reflect.Int, reflect.Int32, reflect.Int64:
		sh.kind, sh.bits = 'i', t.Bits()
	case reflect.Uint, reflect.Uint32, reflect.Uint64:
		sh.kind, sh.bits = 'u', t.Bits()
	default:
		sh.unusable = true
	}
	return sh
}

func (sh *shape) unusableAnywhere(done map[*shape]bool) bool {
	if done[sh] {
		return false
	}
	done[sh] = true
	if sh.unusable {
		return true
	}
	for _, e := range sh.elems {
		if e.unusableAnywhere(done) {
			return true
		}
	}
	return false
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// maxShapeDepth bounds the fast path's recursion; deeper bodies take the
// walker's path.
const maxShapeDepth = 32

// shapeOK reports whether b is one JSON value of shape sh with nothing
// the walker would report: no null, no unknown or duplicate member, every
// value of its field's JSON kind, integers in range. It may say no to a
// clean body (then the walker decides); it never says yes to a body the
// walker would refuse. It also checks JSON syntax fully (escapes, no
// leading zeros: what json.Valid checks), so the body is read once.
func shapeOK(b []byte, sh *shape) bool {
	s := shapeScan{b: b}
	if !s.value(sh, 0) {
		return false
	}
	s.ws()
	return s.i == len(s.b)
}

type shapeScan struct {
	b []byte
	i int
}

func (s *shapeScan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte (0 at the end).
func (s *shapeScan) next() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

func (s *shapeScan) value(sh *shape, depth int) bool {
	if depth > maxShapeDepth {
		return false
	}
	c := s.next()
	switch sh.kind {
	case 'o', 'm':
		return c == '{' && s.object(sh, depth)
	case 'a':
		if c != '[' {
			return false
		}
		s.i++
		if s.next() == ']' {
			s.i++
			return true
		}
		for {
			if !s.value(sh.elems[0], depth+1) {
				return false
			}
			switch s.next() {
			case ',':
				s.i++
			case ']':
				s.i++
				return true
			default:
				return false
			}
		}
	case 's':
		_, ok := s.str(false)
		return c == '"' && ok
	case 'b':
		return s.literal("true") || s.literal("false")
	case 'i', 'u':
		return s.integer(sh)
	}
	return false
}

// object reads {…} for a struct or a map; a struct's members are found by
// exact name (the walker's rule) and each may appear once.
func (s *shapeScan) object(sh *shape, depth int) bool {
	s.i++ // {
	var seen []bool
	var seenKeys map[string]bool
	if sh.kind == 'o' {
		seen = make([]bool, sh.nfields)
	}
	if s.next() == '}' {
		s.i++
		return true
	}
	for {
		if s.next() != '"' {
			return false
		}
		key, ok := s.str(true)
		if !ok {
			return false
		}
		elem := (*shape)(nil)
		if sh.kind == 'o' {
			idx, known := sh.fields[string(key)]
			if !known || seen[idx] {
				return false
			}
			seen[idx] = true
			elem = sh.elems[idx]
		} else {
			if seenKeys == nil {
				seenKeys = map[string]bool{}
			}
			if seenKeys[string(key)] {
				return false
			}
			seenKeys[string(key)] = true
			elem = sh.elems[0]
		}
		if s.next() != ':' {
			return false
		}
		s.i++
		if !s.value(elem, depth+1) {
			return false
		}
		switch s.next() {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

// str reads a string whose opening quote is at s.i and returns its
// contents. A key with an escape is refused (the walker compares the
// unescaped text); a value's escapes are skipped.
func (s *shapeScan) str(key bool) ([]byte, bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return s.b[start:j], true
		case c == '\\':
			if key {
				return nil, false
			}
			n := escapeLen(s.b[j+1:])
			if n == 0 {
				return nil, false
			}
			j += n
		case c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// escapeLen is the length of the valid JSON escape that b starts with
// (after its backslash): 1 for \" \\ \/ \b \f \n \r \t, 5 for \u and four
// hex digits, 0 for anything else.
func escapeLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	switch b[0] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 1
	case 'u':
		if len(b) < 5 {
			return 0
		}
		for _, h := range b[1:5] {
			if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
				return 0
			}
		}
		return 5
	}
	return 0
}

func (s *shapeScan) literal(lit string) bool {
	if bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
		s.i += len(lit)
		return true
	}
	return false
}

// integer reads a JSON number that the walker would call an integer (no
// '.', 'e' or 'E') and checks its range as the walker does.
func (s *shapeScan) integer(sh *shape) bool {
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	digits := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	if s.i == digits || s.b[digits] == '0' && s.i-digits > 1 { // JSON allows no leading zero
		return false
	}
	if s.i < len(s.b) {
		switch s.b[s.i] {
		case '.', 'e', 'E':
			return false
		}
	}
	n := string(s.b[start:s.i])
	var err error
	if sh.kind == 'u' {
		_, err = strconv.ParseUint(n, 10, sh.bits)
	} else {
		_, err = strconv.ParseInt(n, 10, sh.bits)
	}
	return err == nil
}
