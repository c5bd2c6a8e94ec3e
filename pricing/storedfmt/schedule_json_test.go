package storedfmt

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// randomText is a string encoding/json may escape: empty, plain, HTML
// characters (escaped by json.Marshal only), quotes and controls, Chinese,
// U+2028/U+2029, invalid UTF-8 and a four-byte rune.
func randomText(r *rand.Rand) string {
	strs := []string{"", "L-00000042", "pet_fdy_energy", "met", `q"uote\back`, "tab\tnl\nctl\x01\x7f",
		"<&>", "a&b", "湖州", "\u2028\u2029", "bad\xffutf8", "emoji😀", "e2\xe2\x80"}
	return strs[r.IntN(len(strs))]
}

func randomDate(r *rand.Rand) tfpricing.Date {
	switch r.IntN(4) {
	case 0:
		return tfpricing.Date{}
	case 1:
		return tfpricing.NewDate(1+r.IntN(9999), 12, 31)
	default:
		return tfpricing.NewDate(2020+r.IntN(20), time1(r), 1+r.IntN(28))
	}
}

func time1(r *rand.Rand) time.Month { return time.Month(1 + r.IntN(12)) }

// randomDecimal is zero (of several scales), small, negative, with a
// positive exponent, or far beyond int64 in either direction.
func randomDecimal(r *rand.Rand) decimal.Decimal {
	switch r.IntN(7) {
	case 0:
		return decimal.Decimal{}
	case 1:
		return decimal.New(0, -int32(r.IntN(6)))
	case 2:
		return decimal.New(r.Int64N(1_000_000)-500_000, -int32(r.IntN(9)))
	case 3:
		return decimal.New(r.Int64N(1000), int32(r.IntN(4)))
	case 4:
		return decimal.RequireFromString("-123456789012345678901234567890.000000000000000000001")
	case 5:
		return decimal.New(r.Int64(), -int32(r.IntN(30)))
	}
	return decimal.RequireFromString("3.8500")
}

func randomSchedule(r *rand.Rand) loanbook.ScheduleState {
	s := loanbook.ScheduleState{LoanID: randomText(r), CalculatedOn: randomDate(r), LatestFixing: randomDate(r),
		Revision: []uint64{0, 1, 41, 1<<64 - 1}[r.IntN(4)], DecisionSeq: r.Uint64() >> r.IntN(64),
		TotalInterest: randomDecimal(r)}
	if n := r.IntN(25); n > 0 {
		s.Rates = make([]audit.PeriodRate, n-1) // n == 1: empty, not nil
		for i := range s.Rates {
			s.Rates[i] = audit.PeriodRate{Period: []int{0, i + 1, -1, 1 << 40}[r.IntN(4)], Start: randomDate(r), Rate: randomDecimal(r)}
		}
	}
	if n := r.IntN(5); n > 0 {
		s.SPTs = make([]loanbook.SPTMark, n-1)
		for i := range s.SPTs {
			s.SPTs[i] = loanbook.SPTMark{MetricID: randomText(r), Year: 2020 + r.IntN(20) - r.IntN(2)*5000,
				Outcome: pricing.Outcome(randomText(r)), DeterminedOn: randomDate(r)}
		}
	}
	switch r.IntN(4) {
	case 1:
		s.AttChain = audit.AttestationChain{Count: r.IntN(100), ThroughSeq: r.Uint64() >> r.IntN(64), Chain: randomText(r)}
	case 2: // one field set alone still writes the chain
		s.AttChain.Chain = randomText(r)
	case 3:
		s.AttChain.Count = -r.IntN(3)
	}
	return s
}

// The hand-written schedule record is json.Marshal's bytes of NewSchedule
// for any state.
func TestScheduleJSONMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 14))
	for i := range 20000 {
		s := randomSchedule(r)
		want, err := json.Marshal(NewSchedule(s))
		if err != nil {
			t.Fatal(err)
		}
		if got := appendScheduleJSON(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("state %d:\n got %s\nwant %s", i, got, want)
		}
	}
	// Appending keeps what was there.
	if got := appendScheduleJSON([]byte("x"), loanbook.ScheduleState{}); string(got) != `x{"v":2,"loan_id":"","calculated_on":"","latest_fixing":"","revision":0,"decision_seq":0,"rates":[],"total_interest":"0","spts":[]}` {
		t.Errorf("%s", got)
	}
}
