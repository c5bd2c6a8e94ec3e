package api

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"tfpricing/pricing"
)

type bookStatsJSON struct {
	Mean string `json:"mean"`
	P5   string `json:"p5"`
	P50  string `json:"p50"`
	P95  string `json:"p95"`
}

type bookIncomeJSON struct {
	InterestIncome       bookStatsJSON `json:"interest_income"`
	ExpectedStepDownCost string        `json:"expected_step_down_cost"`
	ExpectedStepUpIncome string        `json:"expected_step_up_income"`
}

type limitJSON struct {
	MeanLoansPerRun string `json:"mean_loans_per_run"`
	LoansAnyRun     int    `json:"loans_any_run"`
}

type bookIndustryJSON struct {
	IndustryCode string `json:"industry_code"`
	Loans        int    `json:"loans"`
	bookIncomeJSON
}

type bookScenarioJSON struct {
	Name string `json:"name"`
	bookIncomeJSON
	Floor           limitJSON          `json:"floor"`
	Cap             limitJSON          `json:"cap"`
	DiscountLimit   limitJSON          `json:"discount_limit"`
	ByIndustry      []bookIndustryJSON `json:"by_industry"`
	DistinctVectors int                `json:"distinct_schedules"`
}

type bookSimJSON struct {
	DecisionID string             `json:"decision_id,omitempty"`
	AsOf       string             `json:"as_of"`
	Runs       int                `json:"runs"`
	Seed       uint64             `json:"seed"`
	Loans      int                `json:"loans"`
	Scenarios  []bookScenarioJSON `json:"scenarios"`
}

func toIncomeJSON(b pricing.BookIncome) bookIncomeJSON {
	return bookIncomeJSON{InterestIncome: bookStatsJSON{Mean: b.Mean.StringFixed(2), P5: b.P5.StringFixed(2), P50: b.P50.StringFixed(2),
		P95: b.P95.StringFixed(2)}, ExpectedStepDownCost: b.ExpectedStepDownCost.StringFixed(2),
		ExpectedStepUpIncome: b.ExpectedStepUpIncome.StringFixed(2)}
}

func toLimitJSON(l pricing.LimitHits) limitJSON {
	return limitJSON{MeanLoansPerRun: l.MeanPerRun.StringFixed(4), LoansAnyRun: l.AnyRun}
}

func toBookSimJSON(r pricing.BookSimulationResult) bookSimJSON {
	out := bookSimJSON{AsOf: r.AsOf.String(), Runs: r.Runs, Seed: r.Seed, Loans: r.Loans, Scenarios: []bookScenarioJSON{}}
	for _, sc := range r.Scenarios {
		js := bookScenarioJSON{Name: sc.Name, bookIncomeJSON: toIncomeJSON(sc.Income), Floor: toLimitJSON(sc.Floor),
			Cap: toLimitJSON(sc.Cap), DiscountLimit: toLimitJSON(sc.DiscountLimit), ByIndustry: []bookIndustryJSON{},
			DistinctVectors: sc.Distinct}
		for _, g := range sc.ByIndustry {
			js.ByIndustry = append(js.ByIndustry, bookIndustryJSON{IndustryCode: g.IndustryCode, Loans: g.Loans,
				bookIncomeJSON: toIncomeJSON(g.BookIncome)})
		}
		out.Scenarios = append(out.Scenarios, js)
	}
	return out
}

// bookSimCSVHeader: one row per scenario for the whole book (industry_code
// "*") and then per industry.
var bookSimCSVHeader = []string{"scenario", "industry_code", "loans", "income_mean", "income_p5", "income_p50",
	"income_p95", "expected_step_down_cost", "expected_step_up_income"}

func writeBookSimCSV(c echo.Context, r pricing.BookSimulationResult) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	if _, err := c.Response().Write([]byte(utf8BOM)); err != nil {
		return nil
	}
	cw := csv.NewWriter(c.Response())
	_ = cw.Write(bookSimCSVHeader)
	row := func(name, code string, loans int, b pricing.BookIncome) {
		_ = cw.Write([]string{name, code, strconv.Itoa(loans), b.Mean.StringFixed(2), b.P5.StringFixed(2), b.P50.StringFixed(2),
			b.P95.StringFixed(2), b.ExpectedStepDownCost.StringFixed(2), b.ExpectedStepUpIncome.StringFixed(2)})
	}
	for _, sc := range r.Scenarios {
		row(sc.Name, "*", r.Loans, sc.Income)
		for _, g := range sc.ByIndustry {
			row(sc.Name, g.IndustryCode, g.Loans, g.BookIncome)
		}
	}
	cw.Flush()
	return nil
}
