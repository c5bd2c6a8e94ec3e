package api

import (
	"encoding/json"
	"strconv"
)

// The pieces of a hand-written fast path over shapeScan (eligibility_decode.go):
// each reads one JSON value or member as shapeOK would accept it and sets
// a Go value as fill would; false is a no, never an error to report.

// member reads the next member's key and its colon (s.i is at the key's
// opening quote after white space); a key with an escape is a no, as in
// shapeOK.
func (s *shapeScan) member() ([]byte, bool) {
	if s.next() != '"' {
		return nil, false
	}
	key, ok := s.str(true)
	if !ok || s.next() != ':' {
		return nil, false
	}
	s.i++
	return key, true
}

// open reads '{' and reports whether the object is empty (its '}' read).
func (s *shapeScan) open() (empty, ok bool) {
	if s.next() != '{' {
		return false, false
	}
	s.i++
	if s.next() == '}' {
		s.i++
		return true, true
	}
	return false, true
}

// more reads the ',' or '}' after a member: more members, or the end.
func (s *shapeScan) more(end byte) (more, ok bool) {
	switch s.next() {
	case ',':
		s.i++
		return true, true
	case end:
		s.i++
		return false, true
	}
	return false, false
}

// once marks bit in seen; false when it was there (a duplicate member).
func once(seen *uint16, bit uint16) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// text reads a JSON string into dst. Plain ASCII without escapes is
// copied; anything else (escapes, other bytes, invalid UTF-8) is checked
// by str and decoded by encoding/json, as fill does.
func (s *shapeScan) text(dst *string) bool {
	if s.next() != '"' {
		return false
	}
	start := s.i
	for j := start + 1; j < len(s.b); j++ {
		c := s.b[j]
		if c == '"' {
			*dst = string(s.b[start+1 : j])
			s.i = j + 1
			return true
		}
		if c < 0x20 || c == '\\' || c >= 0x80 {
			break
		}
	}
	raw, ok := s.str(false)
	if !ok {
		return false
	}
	if bytesHasEscapeOrBadUTF8(raw) {
		return json.Unmarshal(s.b[start:s.i], dst) == nil
	}
	*dst = string(raw)
	return true
}

// int reads a JSON integer into dst: what integer accepts for an int (no
// leading zero, within int's range).
func (s *shapeScan) int(dst *int) bool {
	s.ws()
	start := s.i
	neg := s.i < len(s.b) && s.b[s.i] == '-'
	if neg {
		s.i++
	}
	digits := s.i
	var n int
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		n = n*10 + int(s.b[s.i]-'0')
		s.i++
	}
	nd := s.i - digits
	if nd == 0 || s.b[digits] == '0' && nd > 1 {
		return false
	}
	// A fraction or exponent after the digits is refused by the caller,
	// which wants ',' or '}' next.
	if nd > 18 || strconv.IntSize < 64 { // n may have overflowed: strconv decides
		x, err := strconv.ParseInt(string(s.b[start:s.i]), 10, strconv.IntSize)
		*dst = int(x)
		return err == nil
	}
	if neg {
		n = -n
	}
	*dst = n
	return true
}

func (s *shapeScan) bool(dst *bool) bool {
	s.ws()
	if s.literal("true") {
		*dst = true
		return true
	}
	return s.literal("false")
}
