package api

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// tagsPass must never say yes where validator/v10 reports something (the
// refusals would be lost); it is written to agree exactly, so the test
// also wants a yes wherever the validator is silent (else the fast path is
// not being taken). Random requests with every tagged value drawn at and
// around its limits: string lengths 0, 64/65, 200/201 runes (CJK too),
// scores −1…101, years 1989…2101, 0/1/20/21 KPIs, 0/1/50/51 targets,
// nil and non-nil pointers (a pointer to "" included), good and bad
// decimals and dates.
func TestEligibilityTagsPassAgrees(t *testing.T) {
	s := &Server{valid: newValidator()}
	rng := rand.New(rand.NewPCG(18, 11))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	str := func(limit int) string {
		n := []int{0, 1, limit - 1, limit, limit + 1}[rng.IntN(5)]
		if rng.IntN(2) == 0 {
			return strings.Repeat("湖", n) // runes, not bytes, are counted
		}
		return strings.Repeat("a", n)
	}
	dec := func() string { return pick("88", "0", "-1.5", "1e3", "", "abc", "100.25", " 1", "0012") }
	decPtr := func() *string {
		if rng.IntN(2) == 0 {
			return nil
		}
		v := dec()
		return &v
	}
	obs := func() observationDTO {
		return observationDTO{Year: 1989 + rng.IntN(3) + 110*rng.IntN(2), Value: dec()}
	}
	count := func(limit int) int { return []int{0, 1, 2, limit, limit + 1}[rng.IntN(5)] }
	passes, total := 0, 6000
	for range total {
		req := eligibilityRequest{PathwayID: str(64), AsOf: pick("", "2026-11-27", "2026-02-30", "27/11/2026")}
		if rng.IntN(8) > 0 {
			b := &borrowerDTO{Name: str(200), USCC: pick("", "91350100M000100Y43"), IndustryCode: pick("", "C2822")}
			if rng.IntN(2) == 0 {
				v := -1 + rng.IntN(3) + 100*rng.IntN(2) // −1, 0, 1, 99, 100, 101
				b.JustTransitionScore = &v
			}
			req.Borrower = b
		}
		if rng.IntN(8) > 0 {
			req.KPIs = make([]kpiDTO, count(20))
		}
		for i := range req.KPIs {
			k := kpiDTO{MetricID: str(64), Name: str(200), Unit: str(64),
				Direction:  pick("", "lower_is_better", "higher_is_better", "down"),
				StepDownBp: decPtr(), StepUpBp: decPtr()}
			if rng.IntN(6) > 0 {
				o := obs()
				k.Baseline = &o
			}
			if rng.IntN(6) > 0 {
				k.Targets = make([]observationDTO, count(50))
			}
			for j := range k.Targets {
				k.Targets[j] = obs()
			}
			req.KPIs[i] = k
		}
		// Mostly-valid requests too: with so many draws per request the
		// random ones almost never pass.
		if rng.IntN(2) == 0 {
			makeMostlyValid(rng, &req)
		}
		err := s.validateStruct(&req)
		pass := req.tagsPass()
		if pass && err != nil {
			t.Fatalf("tagsPass says yes, the validator says %v: %+v", err, req)
		}
		if !pass && err == nil {
			t.Fatalf("tagsPass says no where the validator is silent: %+v", req)
		}
		if pass {
			passes++
		}
	}
	if passes < total/20 {
		t.Errorf("only %d of %d requests pass the tags: the clean path is hardly tested", passes, total)
	}
}

// makeMostlyValid repairs all but at most one tagged value of req.
func makeMostlyValid(rng *rand.Rand, req *eligibilityRequest) {
	keep := rng.IntN(12) // which value may stay as drawn
	good := func(i int) bool { return i != keep }
	if good(0) && (req.Borrower == nil || req.Borrower.USCC == "" || len([]rune(req.Borrower.Name)) > 200) {
		req.Borrower = &borrowerDTO{Name: "湖州某化纤有限公司", USCC: "91350100M000100Y43", IndustryCode: "C2822"}
	}
	if good(1) && req.Borrower != nil {
		req.Borrower.IndustryCode, req.Borrower.JustTransitionScore = "C2822", nil
	}
	if good(2) {
		req.PathwayID = "C28-P01"
	}
	if good(3) {
		req.AsOf = ""
	}
	if good(4) && (len(req.KPIs) == 0 || len(req.KPIs) > 20) {
		req.KPIs = make([]kpiDTO, 1+rng.IntN(20))
	}
	for i := range req.KPIs {
		k := &req.KPIs[i]
		if good(5) {
			k.MetricID = "pet_fdy_energy"
		}
		if good(6) {
			k.Name, k.Unit = "能耗", "kgce/t"
		}
		if good(7) {
			k.Direction = ""
		}
		if good(8) {
			k.Baseline = &observationDTO{Year: 1990, Value: "88"}
		}
		if good(9) && (len(k.Targets) == 0 || len(k.Targets) > 50) {
			k.Targets = make([]observationDTO, 1+rng.IntN(50))
		}
		for j := range k.Targets {
			if good(10) {
				k.Targets[j] = observationDTO{Year: 2100, Value: "-1.5"}
			}
		}
		if good(11) {
			k.StepDownBp, k.StepUpBp = nil, nil
		}
	}
}
