package catalog_test

import (
	"testing"

	"tfpricing/catalog"
)

// BenchmarkEligibility is DESIGN.md §9's eligibility figure: plan
// validation, KPI resolution and the nine rules against the shipped
// catalogue, as POST /v1/eligibility runs them.
func BenchmarkEligibility(b *testing.B) {
	cat := shipped(b)
	// DESIGN.md §7's eligibility body: C2822 under C28-P01, pet_fdy_energy
	// from 88 (2025) to 82, 76, 70.
	plan := plan("C2822", "C28-P01", score(72), kpi("pet_fdy_energy", "2025:88", "2026:82", "2027:76", "2028:70"))
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
