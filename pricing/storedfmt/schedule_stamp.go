package storedfmt

import (
	"encoding/binary"
	"errors"
	"fmt"

	"tfpricing/pricing/loanbook"
)

// A schedule state is read far more often for its stamp (every schedule
// read, attestation and planned repricing checks it against the loan
// cache) than whole, and decompressing its frame just to read three
// numbers was most of a cached schedule read (≈ 96 K of 230 K
// instructions, BENCHMARKS.md "Issue 18: request paths"). So a schedule
// state is stored in an envelope of its own, version 3, that carries the
// stamp in front of the frame, uncompressed:
//
//	0x03                    version 3 (schedule states only)
//	uvarint                 revision
//	uvarint                 decision_seq
//	byte n, n bytes         latest_fixing as YYYY-MM-DD (n = 10), or
//	                        nothing (n = 0) when unset
//	zstd frame              as in version 2: the record's JSON, which
//	                        holds the same stamp
//
// The frame is version 2's (same encoder, dictionary 1), so a version-3
// value is 0x03, the stamp, then exactly what follows the 0x02 of a
// version-2 value. ReadSchedule decodes the frame and checks that the
// stamp in front is the record's own; ReadStamp reads only the stamp.
// Versions 1 and 2 (bare JSON, and 0x02 and a frame) still read, the
// stamp then by decoding the record. Both stores write these same bytes.
const scheduleStamped = 0x03

// packSchedule is the version-3 envelope around a schedule state's record.
func packSchedule(st loanbook.ScheduleStamp, record []byte) []byte {
	out := make([]byte, 0, 32+len(record)/4+64)
	out = append(out, scheduleStamped)
	out = binary.AppendUvarint(out, st.Revision)
	out = binary.AppendUvarint(out, st.DecisionSeq)
	d := st.LatestFixing.String()
	out = append(append(out, byte(len(d))), d...)
	return encoder().EncodeAll(record, out)
}

// errStampPrefix reports a version-3 schedule value whose stamp does not
// decode.
var errStampPrefix = errors.New("stored schedule state: malformed stamp")

// splitStamped returns the stamp in front of a version-3 schedule value
// and the frame behind it.
func splitStamped(raw []byte) (loanbook.ScheduleStamp, []byte, error) {
	var st loanbook.ScheduleStamp
	rest := raw[1:]
	var n int
	if st.Revision, n = binary.Uvarint(rest); n <= 0 {
		return st, nil, errStampPrefix
	}
	rest = rest[n:]
	if st.DecisionSeq, n = binary.Uvarint(rest); n <= 0 {
		return st, nil, errStampPrefix
	}
	rest = rest[n:]
	if len(rest) == 0 || len(rest) < 1+int(rest[0]) {
		return st, nil, errStampPrefix
	}
	d := rest[1 : 1+int(rest[0])]
	if err := st.LatestFixing.UnmarshalText(d); err != nil {
		return st, nil, fmt.Errorf("%w: %w", errStampPrefix, err)
	}
	return st, rest[1+len(d):], nil
}

// isStamped reports whether raw is a version-3 schedule value.
func isStamped(raw []byte) bool { return len(raw) > 0 && raw[0] == scheduleStamped }

// unstamped is a version-3 schedule value's record, decompressed, and the
// stamp in front of it.
func unstamped(raw []byte) (loanbook.ScheduleStamp, []byte, error) {
	st, frame, err := splitStamped(raw)
	if err != nil {
		return st, nil, err
	}
	if len(frame) == 0 {
		return st, nil, ErrDecisionEnvelope
	}
	rec, err := decoder().DecodeAll(frame, nil)
	if err != nil {
		return st, nil, fmt.Errorf("%w: %w", ErrDecisionEnvelope, err)
	}
	return st, rec, nil
}

// checkStamp is the error for a version-3 value whose stamp in front is
// not its record's.
func checkStamp(front, record loanbook.ScheduleStamp) error {
	if front != record {
		return fmt.Errorf("stored schedule state: stamp %d/%d/%s in front of a record of %d/%d/%s",
			front.Revision, front.DecisionSeq, front.LatestFixing, record.Revision, record.DecisionSeq, record.LatestFixing)
	}
	return nil
}

// PackSchedule puts a schedule state's record stored bare (as files before
// compression hold it, JSON starting with '{') into the version-3
// envelope, unchanged inside, with the stamp the record holds in front.
// For compaction of older files.
func PackSchedule(record []byte) ([]byte, error) {
	st, err := ReadStamp(record)
	if err != nil {
		return nil, err
	}
	return packSchedule(st, record), nil
}
