package api

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
)

// A kept body is returned only for the very schedule it was written from
// (same line and SPT arrays and lengths, same date and benchmark); any
// other schedule of the loan, even one equal in every line, gets a body
// written from itself, which then replaces the kept one.
func TestScheduleBodiesKeptForTheSameSchedule(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 9))
	s := randomSchedule(r)
	for len(s.Lines) < 3 {
		s = randomSchedule(r)
	}
	s.AsOf, s.Benchmark = tfpricing.MustParseDate("2026-11-27"), "LPR1Y"
	s.SPTs = []pricing.SPTStatus{{MetricID: "pet_fdy_energy", Year: 2027, Target: decimal.RequireFromString("82"), Outcome: pricing.Pending}}
	c := newScheduleBodies(2)
	first := c.body("L-00000001", s)
	if !bytes.Equal(first, scheduleBody("L-00000001", s)) {
		t.Fatal("first body is not scheduleBody's")
	}
	if again := c.body("L-00000001", s); &again[0] != &first[0] {
		t.Error("the same schedule read again wrote a new body")
	}
	changed := func(name string, o pricing.Schedule) {
		t.Helper()
		got := c.body("L-00000001", o)
		if &got[0] == &first[0] || !bytes.Equal(got, scheduleBody("L-00000001", o)) {
			t.Errorf("%s: the kept body returned, or not the schedule's own", name)
		}
		if again := c.body("L-00000001", o); len(o.Lines) > 0 && &again[0] != &got[0] {
			t.Errorf("%s: not kept in place of the old body", name)
		}
		if got := c.body("L-00000001", s); &got[0] == &first[0] { // back to s: written again
			t.Errorf("%s: the replaced body came back", name)
		}
		first = c.body("L-00000001", s)
	}
	o := s
	o.Lines = slices.Clone(s.Lines) // equal lines, another array
	changed("cloned lines", o)
	o.Lines[0].Interest = o.Lines[0].Interest.Add(decimal.New(1, -2))
	changed("a changed line", o)
	o = s
	o.Lines = s.Lines[:len(s.Lines)-1] // same array, one line fewer
	changed("fewer lines", o)
	o = s
	o.SPTs = slices.Clone(s.SPTs)
	o.SPTs[0].Outcome = pricing.Met
	changed("another SPT array", o)
	o = s
	o.SPTs = nil
	changed("no SPTs", o)
	o = s
	o.AsOf = s.AsOf.AddDays(1)
	changed("another date", o)
	o = s
	o.Benchmark = "LPR5Y"
	changed("another benchmark", o)
	// Bounded: a third loan pushes one out.
	c.body("L-00000002", s)
	c.body("L-00000003", s)
	if len(c.loans) != 2 {
		t.Errorf("%d loans kept, want at most 2", len(c.loans))
	}
	// A schedule without lines is never kept.
	empty := pricing.Schedule{AsOf: s.AsOf}
	if got := c.body("L-00000004", empty); !bytes.Equal(got, scheduleBody("L-00000004", empty)) {
		t.Error("empty schedule's body")
	}
	if _, ok := c.loans["L-00000004"]; ok {
		t.Error("a schedule without lines was kept")
	}
}
