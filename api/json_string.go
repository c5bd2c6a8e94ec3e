package api

import (
	"encoding/binary"

	"tfpricing/pricing/canon"
)

// appendJSONString is canon.AppendString (encoding/json's bytes for a
// string, HTML escaping off) for the response writers, with a faster
// answer for the common string that needs no escaping at all: plain
// ASCII read eight bytes at a time, and the three-byte sequences of
// Chinese text. Such a string is written as it is, between quotes, which
// is exactly what AppendString writes for it; for any other string the
// copy is taken back and AppendString writes it. TestAppendJSONStringMatches
// holds the two to each other.
func appendJSONString(out []byte, s string) []byte {
	n := len(out)
	out = append(out, '"')
	out = append(out, s...)
	if !verbatimJSON(out[n+1:]) {
		return canon.AppendString(out[:n], s)
	}
	return append(out, '"')
}

// verbatimClass sorts the bytes for verbatimJSON: 1 for the ASCII bytes
// encoding/json copies as they are (0x20–0x7F but '"' and '\\'), 3 for
// the leads of three-byte sequences that take any continuation bytes
// (E1–EC, EE, EF: not E0, whose second byte is restricted against
// overlong forms, nor E2, the lead of U+2028 and U+2029, nor ED, whose
// second byte is restricted against surrogates), 0 for the rest.
var verbatimClass = func() (t [256]byte) {
	for c := 0x20; c < 0x80; c++ {
		if c != '"' && c != '\\' {
			t[c] = 1
		}
	}
	for c := 0xe1; c <= 0xef; c++ {
		if c != 0xe2 && c != 0xed {
			t[c] = 3
		}
	}
	return t
}()

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// verbatimJSON reports whether s holds only bytes encoding/json copies:
// ASCII from 0x20 up but '"' and '\\', and well-formed three-byte
// sequences whose lead is E1–EF but E2 (the lead of U+2028 and U+2029)
// and ED (surrogates) — those leads take any continuation byte. It may
// say no to a string that needs no escaping (other runes); never yes to
// one that does.
func verbatimJSON(s []byte) bool {
	for i := 0; i < len(s); {
		switch verbatimClass[s[i]] {
		case 3: // a lead and two continuation bytes (10xxxxxx)
			if i+3 > len(s) || binary.LittleEndian.Uint16(s[i+1:])&0xc0c0 != 0x8080 {
				return false
			}
			i += 3
		case 1:
			i++
			// Then eight bytes at a time while none is from 0x80 up,
			// below 0x20, '"' or '\\' (the classic has-less and has-zero
			// tests, exact when no byte is from 0x80 up — and such a
			// byte stops the loop anyway).
			for i+8 <= len(s) {
				x := binary.LittleEndian.Uint64(s[i:])
				q, bs := x^(ones*'"'), x^(ones*'\\')
				if (x|(x-ones*0x20)&^x|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
					break
				}
				i += 8
			}
		default:
			return false
		}
	}
	return true
}
