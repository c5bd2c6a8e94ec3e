package audit

import "bytes"

// A stored decision is the canonical JSON of its record, so what the chain
// needs of it — its sequence number, prev_hash and hash, and the text the
// hash covers — can be read off the bytes without decoding them: the
// top-level members are in key order, each once, and the hashed text is
// the stored text without its "hash" member. ChainVerifier.AddRecord uses
// this fast path and falls back on the full decode whenever the bytes are
// not laid out so, which then names what is wrong.
//
// Only the members around the hash and at the end are read: "actor" to
// "hash" from the front, "prev_hash" to "v" from the last prev_hash
// member, which is top-level when the members after it run to the
// record's final brace. The middle (inputs, kind, outputs and the rest) is
// vouched for by the hash alone: bytes that hash right are the bytes
// sealed, and sealing writes only canonical records with consistent
// output digests. A record rewritten and rehashed is the checkpoints'
// business; replay still decodes every input and compares output digests.

// sealedRecord is the part of a stored record the chain checks, as slices
// of the stored bytes.
type sealedRecord struct {
	seq      uint64
	prevHash []byte // 64 hex digits
	hash     []byte // 64 hex digits
	// The hashed text is before ‖ after: the record with its hash member
	// (and the comma before it) cut out.
	before, after []byte
}

// sealedKeys are the top-level keys of a stored record, in canonical
// order, and whether each is required.
var sealedKeys = []struct {
	name     string
	required bool
}{
	{"actor", true}, {"as_of", false}, {"business_date", false}, {"catalogue", false},
	{"engine_version", true}, {"fixings", false}, {"hash", true}, {"inputs", true}, {"kind", true},
	{"loan_id", false}, {"output_digest", true}, {"outputs", true}, {"policy", false},
	{"prev_hash", true}, {"quote_id", false}, {"recorded_at", true}, {"seq", true}, {"v", true},
}

// sealedPrevHash is the index of "prev_hash" in sealedKeys, derived from
// the table so the two cannot drift apart; never assigned after start-up.
var sealedPrevHash = func() int {
	for i, k := range sealedKeys {
		if k.name == "prev_hash" {
			return i
		}
	}
	panic("sealedKeys has no prev_hash")
}()

// scanSealed reads a stored record's chain fields. It reports false when
// the members it reads are not laid out canonically (a key out of order,
// unknown or missing, a malformed seq or hash): the caller then decodes
// the record in full. Strings and nested values are skipped, not checked.
func scanSealed(b []byte) (sealedRecord, bool) {
	var r sealedRecord
	if len(b) < 2 || b[0] != '{' {
		return r, false
	}
	for pos, k := 1, 0; ; {
		i, start, end, ok := sealedMember(b, pos, k)
		if !ok {
			return r, false
		}
		if sealedKeys[i].name == "hash" {
			if r.hash, ok = quotedHex(b[start:end]); !ok || pos < 2 {
				return r, false
			}
			r.before, r.after = b[:pos-1], b[end:]
			if len(r.after) < 10 || string(r.after[:10]) != `,"inputs":` {
				return r, false
			}
			break
		}
		if b[end] != ',' {
			return r, false
		}
		pos, k = end+1, i+1
	}
	tail := lastIndex(b, `,"prev_hash":`)
	if tail <= len(r.before) {
		return r, false
	}
	for pos, k := tail+1, sealedPrevHash; ; {
		i, start, end, ok := sealedMember(b, pos, k)
		if !ok {
			return r, false
		}
		switch sealedKeys[i].name {
		case "prev_hash":
			r.prevHash, ok = quotedHex(b[start:end])
		case "seq":
			r.seq, ok = plainUint(b[start:end])
		case "v":
			ok = string(b[start:end]) == "1"
		}
		if !ok {
			return r, false
		}
		if b[end] == '}' {
			// The record's final brace, after its last key: the members
			// read were the top-level ones.
			return r, end == len(b)-1 && sealedKeys[i].name == "v"
		}
		if b[end] != ',' {
			return r, false
		}
		pos, k = end+1, i+1
	}
}

// sealedMember reads the member at b[pos], whose key must be sealedKeys[i] for
// some i ≥ k with no required key skipped, and returns i and the span of
// its value, which is followed by at least one byte.
func sealedMember(b []byte, pos, k int) (i, start, end int, ok bool) {
	key, next, ok := plainKey(b, pos)
	if !ok || next >= len(b) || b[next] != ':' {
		return 0, 0, 0, false
	}
	for i = k; i < len(sealedKeys) && sealedKeys[i].name != string(key); i++ {
		if sealedKeys[i].required {
			return 0, 0, 0, false
		}
	}
	if i == len(sealedKeys) {
		return 0, 0, 0, false // unknown, repeated or out of order
	}
	start = next + 1
	end, ok = skipValue(b, start)
	return i, start, end, ok && end < len(b)
}

func lastIndex(b []byte, s string) int {
	return bytes.LastIndex(b, []byte(s))
}

// plainKey reads a key of lower-case letters and underscores at b[pos] (a
// quote) and returns it and the position after its closing quote.
func plainKey(b []byte, pos int) ([]byte, int, bool) {
	if pos >= len(b) || b[pos] != '"' {
		return nil, 0, false
	}
	for i := pos + 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return b[pos+1 : i], i + 1, i > pos+1
		case c != '_' && (c < 'a' || c > 'z'):
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// skipValue returns the end of the JSON value starting at b[pos]. It
// tracks strings and nesting only; the value's grammar is not checked.
func skipValue(b []byte, pos int) (int, bool) {
	if pos >= len(b) {
		return 0, false
	}
	switch b[pos] {
	case '"':
		return skipString(b, pos)
	case '{', '[':
		depth := 0
		for i := pos; i < len(b); i++ {
			switch b[i] {
			case '"':
				end, ok := skipString(b, i)
				if !ok {
					return 0, false
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, true
				}
			}
		}
		return 0, false
	}
	for i := pos; i < len(b); i++ {
		if c := b[i]; c == ',' || c == '}' || c == ']' {
			return i, i > pos
		}
	}
	return 0, false
}

// skipString returns the position after the string starting at b[pos] (a
// quote). Most strings of a record are short keys and figures, read byte
// by byte; a long one is searched with IndexByte.
func skipString(b []byte, pos int) (int, bool) {
	i := pos + 1
	for n := 0; n < 24 && i < len(b); n, i = n+1, i+1 {
		switch b[i] {
		case '"':
			return i + 1, true
		case '\\':
			i++
		}
	}
	for i < len(b) {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return 0, false
		}
		i += j
		escapes := 0
		for k := i - 1; k > pos && b[k] == '\\'; k-- {
			escapes++
		}
		if escapes%2 == 0 {
			return i + 1, true
		}
		i++
	}
	return 0, false
}

// quotedHex returns the 64 hex digits of a JSON string holding 64
// lower-case hex digits.
func quotedHex(v []byte) ([]byte, bool) {
	if len(v) != 66 || v[0] != '"' || v[65] != '"' {
		return nil, false
	}
	h := v[1:65]
	for _, c := range h {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return nil, false
		}
	}
	return h, true
}

// plainUint parses a JSON integer without sign, fraction or leading zero.
func plainUint(v []byte) (uint64, bool) {
	if len(v) == 0 || len(v) > 19 || (v[0] == '0' && len(v) > 1) {
		return 0, false
	}
	var n uint64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}
