package storedfmt

import (
	"encoding/json"
	"testing"

	"tfpricing"
	"tfpricing/pricing/loanbook"
)

// stampPrefix reads the stamp of the records Schedule writes from their
// first keys, and gives up — leaving it to the full reader — on any other
// layout; ReadStamp answers the same either way. The golden stamps are the
// numbers written into the hand-made records below.
func TestStampPrefix(t *testing.T) {
	want := loanbook.ScheduleStamp{Revision: 9007199254740993, DecisionSeq: 41, LatestFixing: tfpricing.MustParseDate("2025-05-20")}
	// 2^53+1: a revision a float64 could not hold, to show it is not read as one.
	st := loanbook.ScheduleState{LoanID: `L-"7"`, CalculatedOn: tfpricing.MustParseDate("2025-06-15"),
		LatestFixing: want.LatestFixing, Revision: want.Revision, DecisionSeq: want.DecisionSeq, TotalInterest: dec("1")}
	written, _ := json.Marshal(NewSchedule(st))
	if got, ok := stampPrefix(written); !ok || got != want {
		t.Errorf("record as written: %+v %v, want %+v", got, ok, want)
	}
	packed, _ := EncodeSchedule(st)
	if got, err := ReadStamp(packed); err != nil || got != want {
		t.Errorf("compressed record: %+v %v, want %+v", got, err, want)
	}
	for name, c := range map[string]struct {
		rec    string
		prefix bool // stampPrefix reads it
		want   loanbook.ScheduleStamp
	}{
		"keys in another order": {`{"decision_seq":41,"latest_fixing":"2025-05-20","v":2,"revision":9007199254740993,"rates":[]}`, false, want},
		"space after a colon":   {`{"v":2,"loan_id":"L","calculated_on":"","latest_fixing":"2025-05-20","revision": 9007199254740993,"decision_seq":41,"rates":[]}`, false, want},
		"decision_seq last":     {`{"v":2,"loan_id":"L","calculated_on":"","latest_fixing":"2025-05-20","revision":9007199254740993,"decision_seq":41}`, false, want},
		"escaped quote and backslash in the loan ID": {`{"v":2,"loan_id":"L\\\"\\","calculated_on":"","latest_fixing":"2025-05-20","revision":0,"decision_seq":41,"rates":[]}`, true,
			loanbook.ScheduleStamp{DecisionSeq: 41, LatestFixing: want.LatestFixing}},
		"no latest fixing yet":   {`{"v":2,"loan_id":"L","calculated_on":"2025-06-15","latest_fixing":"","revision":1,"decision_seq":2,"rates":null}`, true, loanbook.ScheduleStamp{Revision: 1, DecisionSeq: 2}},
		"rates before the stamp": {`{"v":2,"rates":[],"latest_fixing":"2025-05-20","revision":9007199254740993,"decision_seq":41}`, false, want},
		"version 1":              {`{"v":1,"state":{"LatestFixing":"2025-05-20","Revision":9007199254740993,"DecisionSeq":41}}`, false, want},
		"stamp missing a field": {`{"v":2,"latest_fixing":"2025-05-20","revision":9007199254740993}`, false,
			loanbook.ScheduleStamp{Revision: want.Revision, LatestFixing: want.LatestFixing}},
	} {
		got, ok := stampPrefix([]byte(c.rec))
		if ok != c.prefix || ok && got != c.want {
			t.Errorf("%s: prefix %+v %v", name, got, ok)
		}
		if got, err := ReadStamp([]byte(c.rec)); err != nil || got != c.want {
			t.Errorf("%s: ReadStamp %+v %v, want %+v", name, got, err, c.want)
		}
		if got, err := ReadStamp(Pack([]byte(c.rec))); err != nil || got != c.want {
			t.Errorf("%s: ReadStamp of the packed record %+v %v, want %+v", name, got, err, c.want)
		}
	}
	for _, bad := range []string{`{"v":3,"revision":1,"decision_seq":2,"latest_fixing":""}`, `{"v":2,"revision":"1"`, `[1]`, `{"v":2,"revision":-1}`,
		`{"v":2,"loan_id":"L","calculated_on":"","latest_fixing":"2025-05-20","revision":01,"decision_seq":41,"rates":[]}`,
		`{"v":2,"loan_id":"L","calculated_on":"","latest_fixing":"2025-05-20","revision":18446744073709551616,"decision_seq":41,"rates":[]}`,
		`{"v":2,"loan_id":"L","calculated_on":"","latest_fixing":"2025-02-30","revision":1,"decision_seq":41,"rates":[]}`,
		`{"v":2,"loan_id":"L","calculated_on":"","latest_fixing":"2025-05-20","revision":1.5,"decision_seq":41,"rates":[]}`,
		`{"v":2,"loan_id":"L","calculated_on":"","latest_fixing":"2025-05-20","revision":1,"decision_seq":41,"rates":[}`} {
		if got, err := ReadStamp([]byte(bad)); err == nil {
			t.Errorf("%s: read as %+v", bad, got)
		}
		if got, err := ReadStamp(Pack([]byte(bad))); err == nil && bad[len(bad)-2:] != "[}" {
			t.Errorf("packed %s: read as %+v", bad, got)
		}
	}
	// Inside an intact frame only the stamp's prefix is parsed (stamp.go):
	// the broken tail of the last record above goes unnoticed there, and
	// ReadSchedule still reports it.
	broken := Pack([]byte(`{"v":2,"loan_id":"L","calculated_on":"","latest_fixing":"2025-05-20","revision":1,"decision_seq":41,"rates":[}`))
	if got, err := ReadStamp(broken); err != nil || got != (loanbook.ScheduleStamp{Revision: 1, DecisionSeq: 41, LatestFixing: want.LatestFixing}) {
		t.Errorf("stamp of a record broken after it: %+v %v", got, err)
	}
	if _, err := ReadSchedule(broken); err == nil {
		t.Error("ReadSchedule read a broken record")
	}
	// A version-2 frame cut short does not decode as far as the stamp. A
	// version-3 value (what EncodeSchedule writes now) keeps its stamp in
	// front of the frame, so only ReadSchedule, which decompresses the
	// frame, can notice the cut.
	v2 := Pack(written)
	if _, err := ReadStamp(v2[:len(v2)-1]); err == nil {
		t.Error("truncated version-2 frame read")
	}
	if _, err := ReadSchedule(packed[:len(packed)-1]); err == nil {
		t.Error("truncated version-3 frame read")
	}
}
