package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// decodeShape is json.Unmarshal(b, dst) for a body shapeOK accepts: false
// when it cannot say (dst is then partly filled).
func decodeShape(b []byte, sh *shape, dst any) bool {
	return shapeOK(b, sh) && fillShape(b, sh, reflect.ValueOf(dst).Elem())
}

// fillShape decodes b, which shapeOK accepted (and so found valid JSON),
// into v (the addressable value of a zero DTO), setting fields through the
// plan instead of encoding/json's own walk: what json.Unmarshal would
// set, since the body holds no unknown, duplicate, null or mistyped
// member. A string with an escape or invalid UTF-8, and a type with its
// own UnmarshalJSON or UnmarshalText, are handed to json.Unmarshal itself;
// false means that refused it (the caller then takes the walker's path).
func fillShape(b []byte, sh *shape, v reflect.Value) bool {
	f := shapeScan{b: b}
	return f.fill(sh, v)
}

func (s *shapeScan) fill(sh *shape, v reflect.Value) bool {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	c := s.next()
	if sh.custom {
		start := s.i
		if !s.value(sh, 0) { // skips it; shapeOK already checked it
			return false
		}
		return json.Unmarshal(s.b[start:s.i], v.Addr().Interface()) == nil
	}
	switch sh.kind {
	case 'o':
		return c == '{' && s.fillMembers(func(key []byte) bool {
			i := sh.fields[string(key)]
			return s.fill(sh.elems[i], v.Field(sh.goField[i]))
		})
	case 'm':
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		return c == '{' && s.fillMembers(func(key []byte) bool {
			e := reflect.New(v.Type().Elem()).Elem()
			if !s.fill(sh.elems[0], e) {
				return false
			}
			v.SetMapIndex(reflect.ValueOf(string(key)).Convert(v.Type().Key()), e)
			return true
		})
	case 'a':
		s.i++ // [
		list := reflect.MakeSlice(v.Type(), 0, 0)
		if s.next() == ']' {
			s.i++
			v.Set(list)
			return true
		}
		for {
			list = reflect.Append(list, reflect.Zero(v.Type().Elem()))
			if !s.fill(sh.elems[0], list.Index(list.Len()-1)) {
				return false
			}
			if s.next() == ']' {
				s.i++
				v.Set(list)
				return true
			}
			s.i++ // ,
		}
	case 's':
		start := s.i
		raw, ok := s.str(false)
		if !ok {
			return false
		}
		if bytesHasEscapeOrBadUTF8(raw) {
			return json.Unmarshal(s.b[start:s.i], v.Addr().Interface()) == nil
		}
		v.SetString(string(raw))
		return true
	case 'b':
		v.SetBool(c == 't')
		return s.literal("true") || s.literal("false")
	case 'i', 'u':
		start := s.i
		if !s.integer(sh) {
			return false
		}
		n := string(s.b[start:s.i])
		if sh.kind == 'u' {
			x, err := strconv.ParseUint(n, 10, 64)
			v.SetUint(x)
			return err == nil
		}
		x, err := strconv.ParseInt(n, 10, 64)
		v.SetInt(x)
		return err == nil
	}
	return false
}

// fillMembers reads an object's members, calling member with each key
// positioned at its value.
func (s *shapeScan) fillMembers(member func(key []byte) bool) bool {
	s.i++ // {
	if s.next() == '}' {
		s.i++
		return true
	}
	for {
		s.next()
		key, ok := s.str(true)
		if !ok || s.next() != ':' {
			return false
		}
		s.i++
		if !member(key) {
			return false
		}
		if s.next() == '}' {
			s.i++
			return true
		}
		s.i++ // ,
	}
}

func bytesHasEscapeOrBadUTF8(b []byte) bool {
	return bytes.IndexByte(b, '\\') >= 0 || !utf8.Valid(b)
}
