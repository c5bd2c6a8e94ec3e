package pricing

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tfpricing/catalog"
)

func TestScratchWorstCase(t *testing.T) {
	terms := simTerms()
	terms.Facility.TenorMonths, terms.Facility.PaymentFrequency = 120, 1
	terms.KPIs = nil
	g := map[string]Growth{}
	for i := 0; i < 20; i++ {
		k := KPI{KPI: catalog.KPI{MetricID: fmt.Sprint("k", i), Direction: catalog.LowerIsBetter, Baseline: catalog.Observation{Year: 2025, Value: dec("100")}}}
		for y := 2026; y <= 2035; y++ {
			k.Targets = append(k.Targets, catalog.Observation{Year: y, Value: dec(fmt.Sprint(100 - 3*(y-2025)))})
		}
		terms.KPIs = append(terms.KPIs, k)
		g[k.MetricID] = Growth{MeanPct: dec("-3"), SDPct: dec("5")}
	}
	in := simulation(t, terms, Scenario{Name: "mc", MonteCarlo: &MonteCarlo{Runs: 100000, Seed: 1, KPIs: g}})
	st := time.Now()
	r, err := Simulate(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v distinct %d", time.Since(st), r.Scenarios[0].MonteCarlo.distinct)
}
