package loanbook_test

import (
	"context"
	"testing"

	"tfpricing/pricing"
)

// BenchmarkPortfolio10k is GET /v1/portfolio's work over a generated book of
// 10,000 loans (the bench terms, in four industries and three ratings),
// logging the figures. Run it once:
//
//	go test -run - -bench Portfolio10k -benchtime 1x ./pricing/loanbook/
func BenchmarkPortfolio10k(b *testing.B) {
	f := newFixture(b, "2026-11-27")
	f.bookMany(b, 10_000)
	b.ResetTimer()
	var p pricing.Portfolio
	for b.Loop() {
		var err error
		if p, err = f.svc.Portfolio(context.Background(), pricing.PortfolioOptions{AsOf: f.today, DueWithinDays: 180}); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("loans %d outstanding %s weighted rate %s ratchet %s deadlines %d", p.Loans, p.Outstanding, p.WeightedRate,
		p.WeightedRatchetBp, len(p.Deadlines))
	for _, pr := range []pricing.Projection{pricing.Current, pricing.AllMet, pricing.NoneMet} {
		b.Logf("%s: next 12 months %s, to maturity %s", pr, p.Income[pr].Next12Months, p.Income[pr].ToMaturity)
	}
	b.Logf("KPI status %+v", p.KPIStatus)
}
