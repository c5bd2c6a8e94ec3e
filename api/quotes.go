package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

type benchmarkJSON struct {
	Name          string         `json:"name"`
	EffectiveDate tfpricing.Date `json:"effective_date"`
	Rate          string         `json:"rate"`
}

type breakdownJSON struct {
	Benchmark           benchmarkJSON `json:"benchmark"`
	CreditSpreadBp      string        `json:"credit_spread_bp"`
	TierAdjustmentBp    string        `json:"tier_adjustment_bp"`
	ESGAdjustmentBp     string        `json:"esg_adjustment_bp"`
	CarbonAdjustmentBp  string        `json:"carbon_adjustment_bp"`
	RatchetAdjustmentBp string        `json:"ratchet_adjustment_bp"`
	TotalAdjustmentBp   string        `json:"total_adjustment_bp"`
	FloorApplied        bool          `json:"floor_applied"`
	CapApplied          bool          `json:"cap_applied"`
	AllInRate           string        `json:"all_in_rate"`
}

type lineJSON struct {
	Period           int            `json:"period"`
	Start            tfpricing.Date `json:"start"`
	End              tfpricing.Date `json:"end"`
	Days             int            `json:"days"`
	BenchmarkRate    string         `json:"benchmark_rate"`
	AdjustmentBp     string         `json:"adjustment_bp"`
	Rate             string         `json:"rate"`
	OpeningPrincipal string         `json:"opening_principal"`
	Principal        string         `json:"principal"`
	Interest         string         `json:"interest"`
	Subsidy          string         `json:"subsidy"`
	NetInterest      string         `json:"net_interest"`
	ClosingPrincipal string         `json:"closing_principal"`
}

type projectionJSON struct {
	TotalInterest string     `json:"total_interest"`
	TotalSubsidy  string     `json:"total_subsidy"`
	NetInterest   string     `json:"net_interest"`
	Schedule      []lineJSON `json:"schedule"`
}

type policyRefJSON struct {
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

type quoteJSON struct {
	QuoteID     string                    `json:"quote_id"`
	DecisionID  string                    `json:"decision_id"`
	AsOf        tfpricing.Date            `json:"as_of"`
	ValidUntil  tfpricing.Date            `json:"valid_until"`
	Eligibility assessmentJSON            `json:"eligibility"`
	Rate        breakdownJSON             `json:"rate"`
	Projections map[string]projectionJSON `json:"projections"`
	Savings     string                    `json:"savings_all_met_vs_none_met"`
	Policy      policyRefJSON             `json:"policy"`
	Catalogue   catalogueRefJSON          `json:"catalogue"`
}

func toLinesJSON(ls []pricing.Line) []lineJSON {
	out := make([]lineJSON, len(ls))
	for i, l := range ls {
		out[i] = lineJSON{
			Period: l.Period, Start: l.Start, End: l.End, Days: l.Days,
			BenchmarkRate: pricing.FormatRate(l.BenchmarkRate), AdjustmentBp: pricing.FormatBp(l.AdjustmentBp),
			Rate: pricing.FormatRate(l.Rate), OpeningPrincipal: pricing.FormatAmount(l.OpeningPrincipal),
			Principal: pricing.FormatAmount(l.Principal), Interest: pricing.FormatAmount(l.Interest),
			Subsidy: pricing.FormatAmount(l.Subsidy), NetInterest: pricing.FormatAmount(l.NetInterest),
			ClosingPrincipal: pricing.FormatAmount(l.ClosingPrincipal),
		}
	}
	return out
}

func toProjectionJSON(s pricing.Schedule) projectionJSON {
	return projectionJSON{
		TotalInterest: pricing.FormatAmount(s.TotalInterest), TotalSubsidy: pricing.FormatAmount(s.TotalSubsidy),
		NetInterest: pricing.FormatAmount(s.NetInterest), Schedule: toLinesJSON(s.Lines),
	}
}

func toBreakdownJSON(b pricing.Breakdown) breakdownJSON {
	return breakdownJSON{
		Benchmark:      benchmarkJSON{Name: b.BenchmarkName, EffectiveDate: b.BenchmarkDate, Rate: pricing.FormatRate(b.BenchmarkRate)},
		CreditSpreadBp: pricing.FormatBp(b.CreditSpreadBp), TierAdjustmentBp: pricing.FormatBp(b.TierAdjustmentBp),
		ESGAdjustmentBp: pricing.FormatBp(b.ESGAdjustmentBp), CarbonAdjustmentBp: pricing.FormatBp(b.CarbonAdjustmentBp),
		RatchetAdjustmentBp: pricing.FormatBp(b.RatchetAdjustmentBp), TotalAdjustmentBp: pricing.FormatBp(b.TotalAdjustmentBp),
		FloorApplied: b.FloorApplied, CapApplied: b.CapApplied, AllInRate: pricing.FormatRate(b.AllInRate),
	}
}

func toQuoteJSON(id, decision string, pr *pricedRequest, q pricing.Quote) quoteJSON {
	out := quoteHeadJSON(id, decision, pr, q)
	out.Projections = map[string]projectionJSON{
		"current": toProjectionJSON(q.Current), "all_met": toProjectionJSON(q.AllMet), "none_met": toProjectionJSON(q.NoneMet),
	}
	return out
}

// quoteHeadJSON is toQuoteJSON without the projections (quoteBody writes
// them).
func quoteHeadJSON(id, decision string, pr *pricedRequest, q pricing.Quote) quoteJSON {
	return quoteJSON{
		QuoteID: id, DecisionID: decision, AsOf: q.AsOf, ValidUntil: q.ValidUntil,
		Eligibility: toAssessmentJSON(pr.assessment, pr.plan.AsOf),
		Rate:        toBreakdownJSON(q.Breakdown),
		Savings:     pricing.FormatAmount(q.Savings),
		Policy:      policyRefJSON{Version: q.Policy.Version, Digest: q.Policy.Digest},
		Catalogue:   toRefJSON(pr.cat.Ref()),
	}
}

// price converts and prices a quote request as of its as_of. A request
// refused by a business rule (422) comes back converted with its error when
// it got that far, so that a simulation can check its scenarios.
func (s *Server) price(ctx context.Context, req *quoteRequest, prefix string) (*pricedRequest, pricing.Quote, error) {
	pr, err := s.toPriced(req, prefix)
	if err != nil {
		return pr, pricing.Quote{}, err
	}
	pol, err := s.policyFor(pr.plan.AsOf)
	if err != nil {
		return nil, pricing.Quote{}, err
	}
	if err := pricing.CheckPlausible(pr.terms, pol, pr.plan.AsOf, s.plaus); err != nil {
		return pr, pricing.Quote{}, prefixed(prefix, err)
	}
	curve, err := s.curve(ctx)
	if err != nil {
		return nil, pricing.Quote{}, err
	}
	q, err := pricing.PriceQuote(pr.terms, pol, curve, pr.plan.AsOf)
	return pr, q, prefixed(prefix, err)
}

func (s *Server) postQuote(c echo.Context) error {
	var req quoteRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	pr, q, err := s.price(c.Request().Context(), &req, "")
	if err != nil {
		return err
	}
	id, decision, err := s.storeQuote(c, pr, q, &req)
	if err != nil {
		return err
	}
	return respondBody(c, http.StatusCreated, quoteBody(quoteHeadJSON(id, decision, pr, q), q))
}

// storeQuote has the loan book keep the quote for booking within its
// validity and record its decision; the request is kept as received, with
// its as_of filled in.
func (s *Server) storeQuote(c echo.Context, pr *pricedRequest, q pricing.Quote, req *quoteRequest) (string, string, error) {
	req.AsOf = pr.plan.AsOf.String()
	raw, err := audit.EncodeQuoteRequest(toQuoteRecord(req))
	if err != nil {
		return "", "", err
	}
	id, seq, err := s.book.RecordQuote(c.Request().Context(), actor(c), loanbook.PricedQuote{
		Plan: pr.plan, Terms: pr.terms, Assessment: pr.assessment, Quote: q, Catalogue: pr.cat.Ref(), Request: raw})
	if err != nil {
		return "", "", err
	}
	return id, decisionID(seq), nil
}
