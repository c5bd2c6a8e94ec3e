package pricing

import (
	"slices"

	"github.com/shopspring/decimal"
)

// fenStats summarises per-run amounts in fen: the exact mean rounded half
// away from zero to 2 decimals, and nearest-rank percentiles.
func fenStats(vals []int64) Stats {
	n := len(vals)
	if n == 0 {
		z := decimal.New(0, -2)
		return Stats{Mean: z, P5: z, P50: z, P95: z}
	}
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	sum := decimal.Zero
	for _, v := range sorted {
		sum = sum.Add(decimal.NewFromInt(v))
	}
	at := func(p int) decimal.Decimal { return decimal.New(sorted[nearestRank(p, n)-1], -2) }
	return Stats{Mean: sum.Shift(-2).DivRound(decimal.NewFromInt(int64(n)), 2), P5: at(5), P50: at(50), P95: at(95)}
}

// meanFen is a sum of fen over runs as a mean amount, 2 decimals.
func meanFen(sum int64, runs int) decimal.Decimal {
	return decimal.New(sum, -2).DivRound(decimal.NewFromInt(int64(runs)), 2)
}

func limitHits(count int64, anyRun, runs int) LimitHits {
	return LimitHits{MeanPerRun: decimal.NewFromInt(count).DivRound(decimal.NewFromInt(int64(runs)), 4), AnyRun: anyRun}
}

// summarise turns a scenario's accumulator into its result.
func summarise(name string, acc *bookAcc, loans []bookLoanRun, industries []string) BookScenarioResult {
	nInd := len(industries)
	res := BookScenarioResult{Name: name, Distinct: acc.distinct,
		Floor:         limitHits(acc.floor, acc.floorAny, acc.runs),
		Cap:           limitHits(acc.cap, acc.capAny, acc.runs),
		DiscountLimit: limitHits(acc.dlimit, acc.dAny, acc.runs)}
	var down, up int64
	for i := range industries {
		down, up = down+acc.down[i], up+acc.up[i]
	}
	res.Income = BookIncome{Stats: fenStats(acc.book), ExpectedStepDownCost: meanFen(down, acc.runs),
		ExpectedStepUpIncome: meanFen(up, acc.runs)}
	counts := make([]int, nInd)
	for _, l := range loans {
		counts[l.ind]++
	}
	col := make([]int64, acc.runs)
	for i, code := range industries {
		for r := range col {
			col[r] = acc.ind[r*nInd+i]
		}
		res.ByIndustry = append(res.ByIndustry, IndustryIncome{IndustryCode: code, Loans: counts[i],
			BookIncome: BookIncome{Stats: fenStats(col), ExpectedStepDownCost: meanFen(acc.down[i], acc.runs),
				ExpectedStepUpIncome: meanFen(acc.up[i], acc.runs)}})
	}
	return res
}
