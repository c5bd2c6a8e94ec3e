package pricing

import (
	"context"
	"testing"
)

// BenchmarkBookSimulation10kx10k is the issue-17 speed goal: 10,000 loans ×
// 10,000 runs, one scenario (p 0.6, ρ 0.3). Run it alone, once:
//
//	go test -run - -bench BookSimulation10k -benchtime 1x ./pricing/
func BenchmarkBookSimulation10kx10k(b *testing.B) {
	loans := bookOf(b, 10_000)
	in := BookSimulation{AsOf: day("2026-11-27"), Curve: shippedCurve(b), Runs: 10_000, Seed: 1, Loans: loans,
		Scenarios: []BookScenario{scenario("base", "0.6", "0.3")}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := SimulateBook(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}
