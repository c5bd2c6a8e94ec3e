package audit

import (
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
)

// A quote decided by engine version 1 holds the eight eligibility rules of
// its day; replay reassesses it with those eight (RuleSetOf) and matches,
// while the same record claiming version 2 lacks rule 9 and differs.
func TestReplayEngineVersion1Quote(t *testing.T) {
	cat, p, c := shippedCatalogue(t), shippedPolicy(t), shippedCurve(t)
	plan := quotePlan()
	ind, _ := cat.IndustryFor(plan.Borrower.IndustryCode)
	kpis, err := cat.ResolveKPIs(ind, plan.KPIs)
	if err != nil {
		t.Fatal(err)
	}
	plan.KPIs = kpis
	a := cat.AssessWith(plan, catalog.EightRules)
	if len(a.Checks) != 8 || !a.Eligible {
		t.Fatalf("eight-rule assessment: %+v", a)
	}
	terms := quoteTerms()
	terms.KPIs[0].KPI = plan.KPIs[0]
	terms.Tier = a.Tier
	q, err := pricing.PriceQuote(terms, p, c, plan.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	sealed := func(engine string) Decision {
		d, err := NewQuoteInputs(plan, terms, plan.AsOf).Decision(a, &q)
		if err != nil {
			t.Fatal(err)
		}
		d.Seq, d.QuoteID, d.Actor, d.RecordedAt, d.BusinessDate = 1, "Q-00000001", fixtureActor(tfpricing.RoleOfficer),
			fixtureTime, plan.AsOf
		d.EngineVersion = engine
		return reseal(t, d, GenesisHash)
	}
	wantMatch(t, sealed("tfpricing-engine/1"), replay(t, sealed("tfpricing-engine/1"), shippedDocs(t)))
	if res := replay(t, sealed(EngineVersion), shippedDocs(t)); res.Match {
		t.Error("an eight-check quote claiming engine version 2 must not match: rule 9 is missing")
	}
}

// new_capacity is recorded only when true, so quote inputs recorded before
// it existed keep their bytes; when true it survives the record.
func TestQuoteInputsNewCapacity(t *testing.T) {
	cat, p, c := shippedCatalogue(t), shippedPolicy(t), shippedCurve(t)
	for _, isNew := range []bool{false, true} {
		plan := quotePlan()
		plan.Borrower.NewCapacity = isNew
		ind, _ := cat.IndustryFor(plan.Borrower.IndustryCode)
		kpis, err := cat.ResolveKPIs(ind, plan.KPIs)
		if err != nil {
			t.Fatal(err)
		}
		plan.KPIs = kpis
		a := cat.Assess(plan)
		terms := quoteTerms()
		terms.KPIs[0].KPI = plan.KPIs[0]
		terms.Tier = catalog.Transitioning
		q, err := pricing.PriceQuote(terms, p, c, plan.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		d, err := NewQuoteInputs(plan, terms, plan.AsOf).Decision(a, &q)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(d.Inputs), `"new_capacity":true`); got != isNew ||
			strings.Contains(string(d.Inputs), `"new_capacity":false`) {
			t.Errorf("new_capacity %v recorded as %s", isNew, d.Inputs)
		}
		in, err := decodeQuoteInputs(d.Inputs, false)
		if err != nil || in.Plan.Borrower.NewCapacity != isNew {
			t.Errorf("decoded new_capacity %v, want %v (%v)", in.Plan.Borrower.NewCapacity, isNew, err)
		}
	}
}
