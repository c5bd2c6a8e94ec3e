package storedfmt

import (
	"bytes"
	"strconv"
	"sync"

	"tfpricing/pricing/loanbook"
)

// The stamp of a schedule state is read twice for every attestation (the
// read transaction that prepares it and the write transaction that checks
// nothing moved since), and decoding the whole record for three numbers
// was 15 % of an attestation's CPU (BENCHMARKS.md, "Issue 18: attestation
// CPU (session 4, second round)"). Records of version 2 are written by
// encoding/json from Schedule, whose fields come in a fixed order: the
// stamp's three are among the first six, before the rates. stampPrefix
// reads the record only that far; anything else — version 1, a field it
// does not expect before the stamp is complete — is left to the full
// reader. The frame is still decompressed whole (zstd checks its CRC over
// it), into a pooled buffer, since nothing of it outlives the call. The
// rest of the record is not parsed, so JSON gone wrong after the stamp
// inside an intact frame would go unnoticed here (ReadSchedule reports
// it); pack only ever frames what encoding/json wrote. A bare record (a
// file from before compression, with no CRC) is still read whole.

// stampBufs holds decompression buffers for ReadStamp.
var stampBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// readStampPacked is ReadStamp of a record in the envelope.
func readStampPacked(raw []byte) (loanbook.ScheduleStamp, error) {
	bp := stampBufs.Get().(*[]byte)
	defer stampBufs.Put(bp)
	out, err := decoder().DecodeAll(raw[1:], (*bp)[:0])
	if err != nil {
		return loanbook.ScheduleStamp{}, errEnvelope(err)
	}
	if cap(out) <= 1<<20 { // keep an ordinary buffer, not one grown for a huge record
		*bp = out[:0]
	}
	if st, ok := stampPrefix(out); ok {
		return st, nil
	}
	return readStampRecord(out)
}

// stampPrefix reads the stamp from the first keys of a version 2 record
// exactly as encoding/json writes Schedule — {"v":2,"loan_id":…,
// "calculated_on":…,"latest_fixing":…,"revision":…,"decision_seq":…, —
// reporting false for any other bytes, which the full reader then reads.
// It relies on a key's not being repeated later (encoding/json would take
// the last), which Schedule's records never do.
func stampPrefix(rec []byte) (loanbook.ScheduleStamp, bool) {
	var st loanbook.ScheduleStamp
	rest, ok := bytes.CutPrefix(rec, []byte(`{"v":2,"loan_id":`))
	if !ok {
		return st, false
	}
	if _, rest, ok = jsonString(rest); !ok {
		return st, false
	}
	if rest, ok = bytes.CutPrefix(rest, []byte(`,"calculated_on":`)); !ok {
		return st, false
	}
	if _, rest, ok = jsonString(rest); !ok {
		return st, false
	}
	if rest, ok = bytes.CutPrefix(rest, []byte(`,"latest_fixing":`)); !ok {
		return st, false
	}
	var fixing []byte
	if fixing, rest, ok = jsonString(rest); !ok || bytes.IndexByte(fixing, '\\') >= 0 ||
		st.LatestFixing.UnmarshalText(fixing) != nil {
		return st, false
	}
	if st.Revision, rest, ok = jsonUint(rest, `,"revision":`); !ok {
		return st, false
	}
	if st.DecisionSeq, rest, ok = jsonUint(rest, `,"decision_seq":`); !ok || len(rest) == 0 || rest[0] != ',' {
		return st, false
	}
	return st, true
}

// jsonString returns the inside of the JSON string b starts with (escapes
// left as they are) and what follows it.
func jsonString(b []byte) (inside, rest []byte, ok bool) {
	if len(b) == 0 || b[0] != '"' {
		return nil, nil, false
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++ // the escaped byte cannot end the string
		case '"':
			return b[1:i], b[i+1:], true
		}
	}
	return nil, nil, false
}

// jsonUint reads key and the unsigned integer after it, as encoding/json
// writes one (no sign, no leading zero, no fraction or exponent).
func jsonUint(b []byte, key string) (n uint64, rest []byte, ok bool) {
	if b, ok = bytes.CutPrefix(b, []byte(key)); !ok {
		return 0, nil, false
	}
	i := 0
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	if i == 0 || i > 1 && b[0] == '0' {
		return 0, nil, false
	}
	n, err := strconv.ParseUint(string(b[:i]), 10, 64)
	return n, b[i:], err == nil
}
