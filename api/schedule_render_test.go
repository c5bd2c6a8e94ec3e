package api

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"tfpricing"
	"tfpricing/pricing"
)

// randomString is one of fillDTO's strings (escapes, control characters,
// HTML characters, Chinese, U+2028/2029, invalid UTF-8 among them).
func randomString(r *rand.Rand) string {
	var s string
	fillDTO(r, reflect.ValueOf(&s).Elem())
	return s
}

// scheduleBody writes exactly what writeJSON writes for toScheduleJSON of
// the same schedule: every member, the zero date, empty and missing lines
// and SPTs, null and present determined_on and attestation_id.
func TestScheduleBodyMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 8))
	for range 500 {
		s := randomLoanSchedule(r)
		id := randomString(r)
		got := scheduleBody(id, s)
		var want bytes.Buffer
		if err := writeJSON(&want, toScheduleJSON(id, s)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("scheduleBody differs from writeJSON:\n got %s\nwant %s", got, want.Bytes())
		}
	}
}

// randomLoanSchedule is randomSchedule with a loan's own members: a random
// benchmark name, as_of (sometimes the zero date) and SPTs (none, an empty
// list or several, with and without determinations).
func randomLoanSchedule(r *rand.Rand) pricing.Schedule {
	outcomes := []pricing.Outcome{pricing.Met, pricing.Missed, pricing.Pending, pricing.NotReported, pricing.Outcome(randomString(r))}
	s := randomSchedule(r)
	s.Benchmark = randomString(r)
	if r.IntN(8) > 0 {
		s.AsOf = tfpricing.MustParseDate("2026-01-01").AddDays(r.IntN(4000))
	}
	if r.IntN(5) > 0 {
		s.SPTs = make([]pricing.SPTStatus, r.IntN(6))
	}
	for i := range s.SPTs {
		p := pricing.SPTStatus{MetricID: randomString(r), Year: 2020 + r.IntN(20) - r.IntN(3000)*r.IntN(2),
			Target: randomDec(r), Outcome: outcomes[r.IntN(len(outcomes))], Assumed: r.IntN(2) == 0}
		if r.IntN(6) > 0 {
			p.DueDate = tfpricing.MustParseDate("2026-01-01").AddDays(r.IntN(4000))
		}
		if r.IntN(2) == 0 {
			p.DeterminedOn = tfpricing.MustParseDate("2026-01-01").AddDays(r.IntN(4000))
		}
		if r.IntN(2) == 0 {
			p.AttestationID = randomString(r)
		}
		s.SPTs[i] = p
	}
	return s
}
