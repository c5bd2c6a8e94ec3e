package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
)

// POST /v1/simulations (DESIGN.md §4.5, §7): scenarios over a quote body.
// The pricing package does the work (pricing.Simulate, whose comment states
// the modelling decisions); this file converts the request, lists every bad
// field, and writes JSON or, with ?format=csv, the deterministic scenarios'
// schedule lines as CSV. A simulation never reads or writes stored loans.

// simulationRequest is the body of POST /v1/simulations.
type simulationRequest struct {
	Quote     *quoteRequest    `json:"quote" validate:"required"`
	Scenarios []simScenarioDTO `json:"scenarios" validate:"required,min=1,max=50,dive"`
	// Record asks for the simulation to be recorded as a decision of kind
	// simulation (recordSimulation), whose id the response carries.
	Record bool `json:"record"`
}

// simScenarioDTO is one scenario. Maps are keyed by metric id, then by the
// year as a string ("2027").
type simScenarioDTO struct {
	Name          string                       `json:"name" validate:"required,max=100"`
	Outcomes      map[string]map[string]string `json:"outcomes" validate:"max=20"`
	KPIValues     map[string]map[string]string `json:"kpi_values" validate:"max=20"`
	LPRPath       []simFixingDTO               `json:"lpr_path" validate:"max=100,dive"`
	ReportLagDays *int                         `json:"report_lag_days" validate:"omitempty,min=1,max=366"`
	Projection    string                       `json:"projection" validate:"omitempty,oneof=current all_met none_met"`
	MonteCarlo    *simMonteCarloDTO            `json:"monte_carlo"`
}

// simFixingDTO is an assumed future LPR fixing.
type simFixingDTO struct {
	EffectiveDate string `json:"effective_date" validate:"required,date"`
	OneYear       string `json:"one_year" validate:"required,decimal"`
	FiveYear      string `json:"five_year" validate:"required,decimal"`
}

// simMonteCarloDTO asks for Monte Carlo runs. The seed is at most 2^53 − 1,
// the largest integer a JavaScript client reads exactly: a seed must
// survive the round trip to reproduce a result.
type simMonteCarloDTO struct {
	Runs int                     `json:"runs" validate:"min=1,max=100000"`
	Seed *uint64                 `json:"seed" validate:"required,max=9007199254740991"`
	KPIs map[string]simGrowthDTO `json:"kpis" validate:"required,min=1,max=20"`
}

type simGrowthDTO struct {
	Mean string `json:"annual_change_pct_mean"`
	SD   string `json:"annual_change_pct_sd"`
}

// toScenarios converts the scenarios, recording every field that does not
// parse; what does not parse is left out, so the domain checks that follow
// report each field once.
func toScenarios(f *fieldSet, in []simScenarioDTO) []pricing.Scenario {
	out := make([]pricing.Scenario, len(in))
	for i, d := range in {
		p := fmt.Sprintf("scenarios[%d].", i)
		sc := pricing.Scenario{Name: d.Name, Assumptions: pricing.Assumptions{Projection: pricing.Projection(d.Projection)}}
		if d.ReportLagDays != nil {
			sc.Assumptions.ReportLagDays = *d.ReportLagDays
		}
		if d.Outcomes != nil {
			sc.Assumptions.Outcomes = map[string]map[int]pricing.Outcome{}
			eachYear(f, p+"outcomes", d.Outcomes, func(metric string, year int, path, v string) {
				if sc.Assumptions.Outcomes[metric] == nil {
					sc.Assumptions.Outcomes[metric] = map[int]pricing.Outcome{}
				}
				sc.Assumptions.Outcomes[metric][year] = pricing.Outcome(v)
			})
		}
		if d.KPIValues != nil {
			sc.Assumptions.Values = map[string]map[int]decimal.Decimal{}
			eachYear(f, p+"kpi_values", d.KPIValues, func(metric string, year int, path, v string) {
				if sc.Assumptions.Values[metric] == nil {
					sc.Assumptions.Values[metric] = map[int]decimal.Decimal{}
				}
				if dv, ok := plainDecimal(v); ok {
					sc.Assumptions.Values[metric][year] = dv
				} else {
					f.add(tfpricing.FieldError{Field: path, Code: "decimal", Message: "must be a decimal string such as \"75.2\""})
				}
			})
		}
		for j, fx := range d.LPRPath {
			fp := fmt.Sprintf("%slpr_path[%d].", p, j)
			sc.AssumedFixings = append(sc.AssumedFixings, pricing.Fixing{
				EffectiveDate: f.parseDate(fp+"effective_date", fx.EffectiveDate),
				OneYear:       f.parseDec(fp+"one_year", fx.OneYear),
				FiveYear:      f.parseDec(fp+"five_year", fx.FiveYear),
			})
		}
		if mc := d.MonteCarlo; mc != nil {
			sc.MonteCarlo = &pricing.MonteCarlo{Runs: mc.Runs, KPIs: make(map[string]pricing.Growth, len(mc.KPIs))}
			if mc.Seed != nil {
				sc.MonteCarlo.Seed = *mc.Seed
			}
			for _, metric := range sortedMapKeys(mc.KPIs) {
				g, gp := mc.KPIs[metric], p+"monte_carlo.kpis."+metric+"."
				// A part that does not parse is 0, which is valid, so the
				// KPI is still checked and each bad field reported once.
				mean := requiredDecimal(f, gp+"annual_change_pct_mean", g.Mean)
				sd := requiredDecimal(f, gp+"annual_change_pct_sd", g.SD)
				sc.MonteCarlo.KPIs[metric] = pricing.Growth{MeanPct: mean, SDPct: sd}
			}
		}
		out[i] = sc
	}
	return out
}

// eachYear walks a {metric: {year: value}} map in sorted order, reporting
// year keys that are not years.
func eachYear(f *fieldSet, list string, m map[string]map[string]string, fn func(metric string, year int, path, v string)) {
	for _, metric := range sortedMapKeys(m) {
		for _, key := range sortedMapKeys(m[metric]) {
			path := list + "." + metric + "." + key
			year, err := strconv.Atoi(key)
			if len(key) != 4 || err != nil || year < 1000 {
				f.add(tfpricing.FieldError{Field: path, Code: "year", Message: "must be keyed by a year such as \"2027\""})
				continue
			}
			fn(metric, year, path, m[metric][key])
		}
	}
}

func sortedMapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// requiredDecimal parses a required decimal field, recording a missing or
// bad one and returning 0 for it.
func requiredDecimal(f *fieldSet, field, s string) decimal.Decimal {
	if s == "" {
		f.add(tfpricing.FieldError{Field: field, Code: "required", Message: "required"})
		return decimal.Zero
	}
	return f.parseDec(field, s)
}

func (s *Server) postSimulation(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" {
		return fieldErr("format", "oneof", "must be json or csv")
	}
	var req simulationRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	var f fieldSet
	if err := f.addErr(s.validateStruct(&req)); err != nil {
		return err
	}
	scenarios := toScenarios(&f, req.Scenarios)
	if req.Quote == nil {
		return f.err()
	}
	pr, _, err := s.price(c.Request().Context(), req.Quote, "quote.")
	var refused error // the quote's refusal (422), once the scenarios are checked
	if err != nil {
		// Invalid fields anywhere come before a refusal of the quote (422).
		if refused = f.addErr(err); refused == nil || pr == nil {
			// Without valid terms the scenarios cannot be checked against them.
			if len(f.list) == 0 {
				return refused
			}
			return f.err()
		}
	}
	pol, err := s.policyFor(pr.plan.AsOf)
	if err != nil {
		return err
	}
	curve, err := s.curve(c.Request().Context())
	if err != nil {
		return err
	}
	sim := pricing.Simulation{Terms: pr.terms, Policy: pol, Curve: curve, AsOf: pr.plan.AsOf, Scenarios: scenarios}
	if err := f.addErr(sim.Validate()); err != nil {
		return err
	}
	if err := f.err(); err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	res, err := pricing.Simulate(c.Request().Context(), sim)
	switch {
	case errors.Is(err, context.Canceled):
		// The client went away: nobody reads the answer, but the log and
		// the metrics get 499 (client closed request) rather than a 500.
		return c.NoContent(statusClientClosed)
	case errors.Is(err, context.DeadlineExceeded):
		return tfpricing.Errorf(tfpricing.EUNAVAILABLE, "the simulation did not finish in time; ask for fewer runs")
	case err != nil:
		return err
	}
	out := toSimulationJSON(pr, pol, res)
	if req.Record {
		if out.DecisionID, err = s.recordSimulation(c, &req, pr, pol, out); err != nil {
			return err
		}
		c.Response().Header().Set(decisionIDHeader, out.DecisionID)
	}
	if format == "csv" {
		return writeSimulationCSV(c, res)
	}
	return respond(c, http.StatusOK, out)
}

// statusClientClosed is nginx's 499: the client closed the connection.
const statusClientClosed = 499
