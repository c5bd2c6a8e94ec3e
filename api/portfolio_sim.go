package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// POST /v1/portfolio/simulations: scenarios over the book (pricing.SimulateBook,
// whose comment states the model). This file converts the request, lists
// every bad field and writes JSON or, with ?format=csv, one CSV row per
// scenario and industry.

type bookSimRequest struct {
	AsOf        string            `json:"as_of" validate:"omitempty,date"`
	Runs        int               `json:"runs" validate:"min=1,max=100000"`
	Seed        *uint64           `json:"seed" validate:"required,max=9007199254740991"`
	Filter      *bookFilterDTO    `json:"filter"`
	DraftPolicy string            `json:"draft_policy" validate:"max=65536"`
	Scenarios   []bookScenarioDTO `json:"scenarios" validate:"required,min=1,max=10,dive"`
	// Record asks for the simulation to be recorded as a decision of kind
	// simulation (audit.EncodeBookSimulation), whose id the response carries.
	Record bool `json:"record"`
}

// bookFilterDTO keeps the loans whose industry, pathway and tier are each
// in its list (an absent or empty list keeps all).
type bookFilterDTO struct {
	IndustryCodes []string `json:"industry_codes" validate:"max=100"`
	PathwayIDs    []string `json:"pathway_ids" validate:"max=100"`
	Tiers         []string `json:"tiers" validate:"max=10"`
}

// bookScenarioDTO is one scenario. probabilities is keyed by metric id,
// then by year ("2027") or "*" for every year of the metric.
type bookScenarioDTO struct {
	Name               string                       `json:"name" validate:"required,max=100"`
	DefaultProbability string                       `json:"default_probability" validate:"required"`
	Probabilities      map[string]map[string]string `json:"probabilities" validate:"max=50"`
	DefaultCorrelation string                       `json:"default_correlation"`
	Correlation        map[string]string            `json:"correlation_by_industry" validate:"max=100"`
	LPRPath            []simFixingDTO               `json:"lpr_path" validate:"max=100,dive"`
	ReportLagDays      *int                         `json:"report_lag_days" validate:"omitempty,min=1,max=366"`
	Policy             string                       `json:"policy" validate:"omitempty,oneof=booked draft"`
}

func (f *fieldSet) toBookScenarios(in []bookScenarioDTO) []pricing.BookScenario {
	out := make([]pricing.BookScenario, len(in))
	for i, d := range in {
		p := fmt.Sprintf("scenarios[%d].", i)
		sc := pricing.BookScenario{Name: d.Name, DefaultProbability: f.parseDec(p+"default_probability", d.DefaultProbability),
			Draft: d.Policy == "draft", Probabilities: map[string]map[int]decimal.Decimal{},
			Correlation: map[string]decimal.Decimal{}}
		if d.DefaultCorrelation != "" {
			sc.DefaultCorrelation = f.parseDec(p+"default_correlation", d.DefaultCorrelation)
		}
		if d.ReportLagDays != nil {
			sc.ReportLagDays = *d.ReportLagDays
		}
		for _, metric := range sortedMapKeys(d.Probabilities) {
			sc.Probabilities[metric] = map[int]decimal.Decimal{}
			for _, ys := range sortedMapKeys(d.Probabilities[metric]) {
				path := p + "probabilities." + metric + "." + ys
				year := 0
				if ys != "*" {
					n, err := strconv.Atoi(ys)
					if err != nil || n < 1900 || n > 2999 {
						f.add(tfpricing.FieldError{Field: path, Code: "year", Message: "the key must be a year or *"})
						continue
					}
					year = n
				}
				sc.Probabilities[metric][year] = f.parseDec(path, d.Probabilities[metric][ys])
			}
		}
		for _, ind := range sortedMapKeys(d.Correlation) {
			sc.Correlation[ind] = f.parseDec(p+"correlation_by_industry."+ind, d.Correlation[ind])
		}
		for j, fx := range d.LPRPath {
			fp := fmt.Sprintf("%slpr_path[%d].", p, j)
			sc.AssumedFixings = append(sc.AssumedFixings, pricing.Fixing{EffectiveDate: f.parseDate(fp+"effective_date", fx.EffectiveDate),
				OneYear: f.parseDec(fp+"one_year", fx.OneYear), FiveYear: f.parseDec(fp+"five_year", fx.FiveYear)})
		}
		out[i] = sc
	}
	return out
}

func (d *bookFilterDTO) keep(l loanbook.Loan) bool {
	if d == nil {
		return true
	}
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	return in(d.IndustryCodes, l.Borrower.IndustryCode) && in(d.PathwayIDs, l.PathwayID) && in(d.Tiers, string(l.Terms.Tier))
}

func (s *Server) postBookSimulation(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" {
		return fieldErr("format", "oneof", "must be json or csv")
	}
	var req bookSimRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	var f fieldSet
	if err := f.addErr(s.validateStruct(&req)); err != nil {
		return err
	}
	curve, err := s.curve(c.Request().Context())
	if err != nil {
		return err
	}
	sim := pricing.BookSimulation{AsOf: s.today(), Curve: curve, Runs: req.Runs, Scenarios: f.toBookScenarios(req.Scenarios)}
	if req.Seed != nil {
		sim.Seed = *req.Seed
	}
	if req.AsOf != "" {
		sim.AsOf = f.parseDate("as_of", req.AsOf)
	}
	if req.DraftPolicy != "" {
		p, err := pricing.ParsePolicy("draft_policy", []byte(req.DraftPolicy))
		var te *tfpricing.Error
		switch {
		case errors.As(err, &te) && len(te.Fields) > 0:
			for _, fe := range te.Fields {
				fe.Field = "draft_policy." + fe.Field
				f.add(fe)
			}
		case err != nil:
			f.add(tfpricing.FieldError{Field: "draft_policy", Code: "invalid", Message: tfpricing.ErrorMessage(err)})
		}
		sim.Draft = p
	}
	if err := f.addErr(sim.Validate()); err != nil {
		return err
	}
	if err := f.err(); err != nil {
		return err
	}
	if sim.AsOf.After(s.today()) {
		return &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE, Message: "as_of may not be later than the business date " + s.today().String(),
			Fields: []tfpricing.FieldError{{Field: "as_of", Code: "after_business_date", Message: "may not be later than " + s.today().String()}}}
	}
	ctx := c.Request().Context()
	loans, err := s.book.BookLoans(ctx, sim.AsOf, req.Filter.keep)
	if err != nil {
		return err
	}
	sim.Loans = loans
	res, err := pricing.SimulateBook(ctx, sim)
	switch {
	case errors.Is(err, context.Canceled):
		return c.NoContent(statusClientClosed)
	case errors.Is(err, context.DeadlineExceeded):
		return tfpricing.Errorf(tfpricing.EUNAVAILABLE, "the simulation did not finish in time; ask for fewer runs")
	case err != nil:
		return err
	}
	out := toBookSimJSON(res)
	if req.Record {
		id, err := s.recordBookSimulation(c, sim, out)
		if err != nil {
			return err
		}
		out.DecisionID = id
		c.Response().Header().Set(decisionIDHeader, id)
	}
	if format == "csv" {
		return writeBookSimCSV(c, res)
	}
	return respond(c, http.StatusOK, out)
}

// recordBookSimulation records a portfolio simulation as a decision of kind
// simulation under the catalogue and policy in force on its as_of; the
// outputs are the response without its decision id.
func (s *Server) recordBookSimulation(c echo.Context, sim pricing.BookSimulation, out bookSimJSON) (string, error) {
	cat, err := s.catalogueOn(sim.AsOf)
	if err != nil {
		return "", err
	}
	pol, err := s.policyFor(sim.AsOf)
	if err != nil {
		return "", err
	}
	inputs, outputs, err := audit.EncodeBookSimulation(sim, out)
	if err != nil {
		return "", err
	}
	seq, err := s.book.RecordSimulation(c.Request().Context(), actor(c), loanbook.SimulationRecord{
		AsOf: sim.AsOf, Catalogue: cat.Ref(), Policy: pol.Ref(), Inputs: inputs, Outputs: outputs})
	if err != nil {
		return "", err
	}
	return decisionID(seq), nil
}
