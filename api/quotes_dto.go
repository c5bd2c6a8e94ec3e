package api

import (
	"fmt"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
)

// quoteBorrowerDTO is the borrower of a quote: the eligibility fields plus
// what prices the credit.
type quoteBorrowerDTO struct {
	Name                  string     `json:"name" validate:"max=200"`
	USCC                  string     `json:"uscc" validate:"required"`
	IndustryCode          string     `json:"industry_code" validate:"required"`
	JustTransitionScore   *int       `json:"just_transition_score" validate:"omitempty,min=0,max=100"`
	ObsoleteCapacity      bool       `json:"obsolete_capacity"`
	NewCapacity           strictBool `json:"new_capacity"`
	CreditRating          string     `json:"credit_rating" validate:"required,max=8"`
	ESGScore              *int       `json:"esg_score" validate:"required,min=0,max=100"`
	CarbonEfficiencyGrade *int       `json:"carbon_efficiency_grade" validate:"omitempty,min=1,max=5"`
}

type subsidyDTO struct {
	RateBp  string `json:"rate_bp" validate:"required,decimal"`
	EndDate string `json:"end_date" validate:"required,date"`
}

type facilityDTO struct {
	Amount           string      `json:"amount" validate:"required,decimal"`
	Currency         string      `json:"currency" validate:"required,oneof=CNY"`
	StartDate        string      `json:"start_date" validate:"required,date"`
	TenorMonths      int         `json:"tenor_months" validate:"min=1,max=600"`
	Repayment        string      `json:"repayment" validate:"required,oneof=bullet equal_principal"`
	PaymentFrequency string      `json:"payment_frequency" validate:"required,oneof=monthly quarterly semiannual annual"`
	Subsidy          *subsidyDTO `json:"subsidy"`
}

// quoteRequest is the body of POST /v1/quotes, of a simulation's quote and
// of a booking's terms.
type quoteRequest struct {
	Borrower  *quoteBorrowerDTO `json:"borrower" validate:"required"`
	PathwayID string            `json:"pathway_id" validate:"required,max=64"`
	KPIs      []kpiDTO          `json:"kpis" validate:"required,min=1,max=20,dive"`
	Facility  *facilityDTO      `json:"facility" validate:"required"`
	AsOf      string            `json:"as_of" validate:"omitempty,date"`
}

// pricedRequest is a quote request converted and checked: the eligibility
// plan (KPIs resolved against the catalogue), its assessment, and the terms
// with the tier set from it.
type pricedRequest struct {
	plan       catalog.Plan
	cat        *catalog.Catalogue
	assessment catalog.Assessment
	terms      pricing.Terms
}

// toPriced converts a quote request, collecting every bad field of the
// plan and of the terms into one 400, then assesses eligibility.
func (s *Server) toPriced(req *quoteRequest, prefix string) (*pricedRequest, error) {
	var f fieldSet
	if err := f.addErr(prefixed(prefix, s.validateStruct(req))); err != nil {
		return nil, err
	}
	b := req.Borrower
	if b == nil {
		b = &quoteBorrowerDTO{}
	}
	borrower := catalog.Borrower{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
		JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity,
		NewCapacity: bool(b.NewCapacity)}
	var sub fieldSet
	plan, cat, err := s.toPlan(&sub, borrower, req.PathwayID, req.KPIs, req.AsOf)
	var refused error // a 422 of the plan, returned once the terms are checked too
	if err != nil && tfpricing.ErrorCode(err) != tfpricing.EINVALID {
		refused = err
	}
	terms := pricing.Terms{CreditRating: b.CreditRating, KPIs: make([]pricing.KPI, len(plan.KPIs))}
	if b.ESGScore != nil {
		terms.ESGScore = *b.ESGScore
	}
	if b.CarbonEfficiencyGrade != nil {
		terms.CarbonGrade = *b.CarbonEfficiencyGrade
	}
	for i, k := range plan.KPIs {
		terms.KPIs[i] = pricing.KPI{KPI: k}
		if i < len(req.KPIs) {
			p := fmt.Sprintf("kpis[%d].", i)
			terms.KPIs[i].StepDownBp = sub.parseOptDec(p+"step_down_bp", req.KPIs[i].StepDownBp)
			terms.KPIs[i].StepUpBp = sub.parseOptDec(p+"step_up_bp", req.KPIs[i].StepUpBp)
		}
	}
	if refused != nil {
		// Unresolved against a catalogue, a catalogue metric has no
		// direction yet: not the client's error.
		for i := range terms.KPIs {
			if terms.KPIs[i].Direction == "" {
				terms.KPIs[i].Direction = catalog.LowerIsBetter
			}
		}
	}
	if req.Facility != nil {
		terms.Facility = sub.toFacility(req.Facility)
		// Duplicates of fields already reported are dropped by the fieldSet.
		_ = sub.addErr(terms.Validate())
	}
	for _, fe := range sub.list {
		fe.Field = prefix + fe.Field
		f.add(fe)
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, prefixed(prefix, refused)
	}
	a := cat.Assess(plan)
	if !a.Eligible {
		// The converted request comes back with the refusal, so that a
		// simulation can still check its scenarios against the terms.
		return &pricedRequest{plan: plan, cat: cat, assessment: a, terms: terms}, &tfpricing.Error{
			Code:       tfpricing.EUNPROCESSABLE,
			Message:    "the borrower is not eligible under " + cat.ID + " " + cat.Version + "; see checks",
			Extensions: map[string]any{"eligibility": toAssessmentJSON(a, plan.AsOf)},
		}
	}
	terms.Tier = a.Tier
	return &pricedRequest{plan: plan, cat: cat, assessment: a, terms: terms}, nil
}

func (f *fieldSet) toFacility(d *facilityDTO) pricing.Facility {
	fac := pricing.Facility{Currency: d.Currency, TenorMonths: d.TenorMonths, Repayment: pricing.Repayment(d.Repayment)}
	fac.Amount = f.parseDec("facility.amount", d.Amount)
	fac.StartDate = f.parseDate("facility.start_date", d.StartDate)
	fac.PaymentFrequency, _ = pricing.ParseFrequency(d.PaymentFrequency)
	if d.Subsidy != nil {
		fac.Subsidy = &pricing.Subsidy{
			RateBp:  f.parseDec("facility.subsidy.rate_bp", d.Subsidy.RateBp),
			EndDate: f.parseDate("facility.subsidy.end_date", d.Subsidy.EndDate),
		}
	}
	return fac
}

func (f *fieldSet) parseOptDec(field string, s *string) *decimal.Decimal {
	if s == nil {
		return nil
	}
	d := f.parseDec(field, *s)
	return &d
}

func (f *fieldSet) parseDate(field, s string) tfpricing.Date {
	d, err := tfpricing.ParseDate(s)
	if err != nil {
		f.add(tfpricing.FieldError{Field: field, Code: "date", Message: dateMessage(field, s)})
	}
	return d
}

// prefixed puts prefix before every field of an error (400 or 422), for
// request bodies nested in others (a simulation's quote, a booking's terms).
func prefixed(prefix string, err error) error {
	te, ok := err.(*tfpricing.Error)
	if prefix == "" || !ok || len(te.Fields) == 0 {
		return err
	}
	out := *te
	out.Fields = make([]tfpricing.FieldError, len(te.Fields))
	for i, fe := range te.Fields {
		fe.Field = prefix + fe.Field
		out.Fields[i] = fe
	}
	return &out
}
