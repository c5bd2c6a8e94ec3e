package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
)

type simBaselineJSON struct {
	Name        string `json:"name"`
	Source      string `json:"source"`
	NetInterest string `json:"net_interest"`
}

type simDeterministicJSON struct {
	Name                 string                       `json:"name"`
	Kind                 string                       `json:"kind"`
	TotalInterest        string                       `json:"total_interest"`
	TotalSubsidy         string                       `json:"total_subsidy"`
	NetInterest          string                       `json:"net_interest"`
	DifferenceVsBaseline string                       `json:"difference_vs_baseline"`
	Outcomes             map[string]map[string]string `json:"outcomes"`
	Schedule             []lineJSON                   `json:"schedule"`
}

type simStatsJSON struct {
	Mean string `json:"mean"`
	P5   string `json:"p5"`
	P50  string `json:"p50"`
	P95  string `json:"p95"`
}

type simMonteCarloJSON struct {
	Name              string                       `json:"name"`
	Kind              string                       `json:"kind"`
	Runs              int                          `json:"runs"`
	Seed              uint64                       `json:"seed"`
	TotalInterest     simStatsJSON                 `json:"total_interest"`
	LastRate          simStatsJSON                 `json:"last_rate"`
	SPTMetProbability map[string]map[string]string `json:"spt_met_probability"`
	AllMetShare       string                       `json:"all_met_share"`
}

type simulationJSON struct {
	AsOf      tfpricing.Date   `json:"as_of"`
	Policy    policyRefJSON    `json:"policy"`
	Catalogue catalogueRefJSON `json:"catalogue"`
	Baseline  simBaselineJSON  `json:"baseline"`
	// Scenarios holds simDeterministicJSON and simMonteCarloJSON values in
	// request order; kind tells them apart.
	Scenarios []any `json:"scenarios"`
	// DecisionID is the recorded decision's id, with record: true.
	DecisionID string `json:"decision_id,omitempty"`
}

func toSimulationJSON(pr *pricedRequest, pol *pricing.Policy, res pricing.SimulationResult) simulationJSON {
	ref := pol.Ref()
	out := simulationJSON{
		AsOf: pr.plan.AsOf, Policy: policyRefJSON{Version: ref.Version, Digest: ref.Digest},
		Catalogue: toRefJSON(pr.cat.Ref()),
		Baseline: simBaselineJSON{Name: res.Baseline.Name, Source: res.Baseline.Source,
			NetInterest: pricing.FormatAmount(res.Baseline.NetInterest)},
		Scenarios: make([]any, len(res.Scenarios)),
	}
	for i, sc := range res.Scenarios {
		if mc := sc.MonteCarlo; mc != nil {
			probs := map[string]map[string]string{}
			for _, p := range mc.SPTMet {
				if probs[p.MetricID] == nil {
					probs[p.MetricID] = map[string]string{}
				}
				probs[p.MetricID][strconv.Itoa(p.Year)] = p.Probability.StringFixed(4)
			}
			out.Scenarios[i] = simMonteCarloJSON{
				Name: sc.Name, Kind: sc.Kind, Runs: mc.Runs, Seed: mc.Seed,
				TotalInterest:     statsJSON(mc.TotalInterest, pricing.FormatAmount),
				LastRate:          statsJSON(mc.LastRate, pricing.FormatRate),
				SPTMetProbability: probs, AllMetShare: mc.AllMetShare.StringFixed(4),
			}
			continue
		}
		s := sc.Schedule
		outcomes := map[string]map[string]string{}
		for _, st := range s.SPTs {
			if outcomes[st.MetricID] == nil {
				outcomes[st.MetricID] = map[string]string{}
			}
			outcomes[st.MetricID][strconv.Itoa(st.Year)] = string(st.Outcome)
		}
		out.Scenarios[i] = simDeterministicJSON{
			Name: sc.Name, Kind: sc.Kind,
			TotalInterest: pricing.FormatAmount(s.TotalInterest), TotalSubsidy: pricing.FormatAmount(s.TotalSubsidy),
			NetInterest:          pricing.FormatAmount(s.NetInterest),
			DifferenceVsBaseline: pricing.FormatAmount(sc.DifferenceVsBaseline),
			Outcomes:             outcomes, Schedule: toLinesJSON(s.Lines),
		}
	}
	return out
}

func statsJSON(s pricing.Stats, format func(decimal.Decimal) string) simStatsJSON {
	return simStatsJSON{Mean: format(s.Mean), P5: format(s.P5), P50: format(s.P50), P95: format(s.P95)}
}

// simulationCSVHeader is the header row of ?format=csv.
var simulationCSVHeader = []string{"scenario", "period", "start", "end", "days", "benchmark_rate", "adjustment_bp",
	"rate", "opening_principal", "principal", "interest", "subsidy", "net_interest", "closing_principal"}

// writeSimulationCSV writes one row per deterministic scenario and period,
// the values exactly as in the JSON lines. Monte Carlo scenarios have no
// schedule and no rows. A scenario name that a spreadsheet would read as a
// formula (starting with =, +, -, @, tab or carriage return) is prefixed
// with an apostrophe, the usual defence against CSV injection.
func writeSimulationCSV(c echo.Context, res pricing.SimulationResult) error {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	_ = w.Write(simulationCSVHeader)
	for _, sc := range res.Scenarios {
		if sc.Kind != pricing.KindDeterministic {
			continue
		}
		name := sc.Name
		if strings.IndexAny(name, "=+-@\t\r") == 0 {
			name = "'" + name
		}
		for _, l := range toLinesJSON(sc.Schedule.Lines) {
			_ = w.Write([]string{name, strconv.Itoa(l.Period), l.Start.String(), l.End.String(), strconv.Itoa(l.Days),
				l.BenchmarkRate, l.AdjustmentBp, l.Rate, l.OpeningPrincipal, l.Principal, l.Interest, l.Subsidy,
				l.NetInterest, l.ClosingPrincipal})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="simulation.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
