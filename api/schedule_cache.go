package api

import (
	"sync"

	"tfpricing"
	"tfpricing/pricing"
)

// The schedule read's body, kept per loan. The loan book hands a repeated
// read of the same loan, date and curve the very schedule it computed
// before (loanbook.Service.recompute keeps it with the loan's view, checked
// against the read's own schedule stamp), and a returned schedule is shared
// and never modified. So a body written from a schedule whose lines and SPTs
// are the same slices — same backing arrays, same lengths — and whose date
// and benchmark are the same is the body of this schedule too, and writing
// it again, formatting every decimal of every line, was most of a cached
// read (≈ 80 K of ≈ 140 K instructions, BENCHMARKS.md "Issue 18: request
// paths"). The entry holds the slices it was written from, so their arrays
// stay alive and no other schedule can come to have the same addresses
// while it is kept. Anything else — a new state, another date, another
// curve, a schedule with no lines — is a miss, and the body is written
// afresh and kept in place of the old one.
type scheduleBodies struct {
	mu    sync.Mutex
	loans map[string]scheduleBodyEntry
	max   int
}

// scheduleBodyEntry is a body and the schedule it was written from.
type scheduleBodyEntry struct {
	lines     []pricing.Line
	spts      []pricing.SPTStatus
	asOf      tfpricing.Date
	benchmark string
	body      []byte
}

// scheduleBodiesSize bounds the kept bodies to this many loans, as the loan
// book bounds its views (a body is ≈ 330 bytes a line).
const scheduleBodiesSize = 1024

func newScheduleBodies(max int) *scheduleBodies {
	return &scheduleBodies{loans: make(map[string]scheduleBodyEntry, max), max: max}
}

// same reports whether e was written from s.
func (e *scheduleBodyEntry) same(s *pricing.Schedule) bool {
	return len(s.Lines) > 0 && len(e.lines) == len(s.Lines) && &e.lines[0] == &s.Lines[0] &&
		len(e.spts) == len(s.SPTs) && (len(s.SPTs) == 0 || &e.spts[0] == &s.SPTs[0]) &&
		e.asOf == s.AsOf && e.benchmark == s.Benchmark
}

// body returns scheduleBody(loanID, s), the kept one when it was written
// from s. The bytes returned are shared: callers must not modify them.
func (c *scheduleBodies) body(loanID string, s pricing.Schedule) []byte {
	c.mu.Lock()
	e, ok := c.loans[loanID]
	c.mu.Unlock()
	if ok && e.same(&s) {
		return e.body
	}
	b := scheduleBody(loanID, s)
	if len(s.Lines) == 0 {
		return b
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.loans[loanID]; !ok && len(c.loans) >= c.max {
		for id := range c.loans { // any one: a miss only costs writing a body
			delete(c.loans, id)
			break
		}
	}
	c.loans[loanID] = scheduleBodyEntry{lines: s.Lines, spts: s.SPTs, asOf: s.AsOf, benchmark: s.Benchmark, body: b}
	return b
}
