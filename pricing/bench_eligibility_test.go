package pricing

import (
	"testing"

	"tfpricing/catalog"
)

// BenchmarkEligibility is DESIGN.md §9's eligibility figure: plan
// validation, KPI resolution and the nine rules against the shipped
// catalogue, as POST /v1/eligibility runs them.
func BenchmarkEligibility(b *testing.B) {
	cat := shippedCatalogue(b)
	plan := quotePlan()
	ind, _ := cat.IndustryFor(plan.Borrower.IndustryCode)
	b.ReportAllocs()
	for b.Loop() {
		if err := plan.Validate(); err != nil {
			b.Fatal(err)
		}
		kpis, err := cat.ResolveKPIs(ind, plan.KPIs)
		if err != nil {
			b.Fatal(err)
		}
		p := plan
		p.KPIs = kpis
		if a := cat.Assess(p); !a.Eligible || a.Tier != catalog.Transitioning {
			b.Fatalf("assessment %v", a)
		}
	}
}
