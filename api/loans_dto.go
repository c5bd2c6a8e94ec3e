package api

import (
	"unicode/utf8"

	"strconv"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// bookingRequest is the body of POST /v1/loans: a stored quote, or full
// terms (a quote body with its as_of) to migrate an existing loan.
// Its own fields are checked by hand (check) rather than by tags, because
// the validator would also dive into terms, whose fields toPriced reports.
type bookingRequest struct {
	QuoteID     string        `json:"quote_id"`
	Terms       *quoteRequest `json:"terms"`
	ExternalRef string        `json:"external_ref"`
}

// check lists the problems of the booking's own fields.
func (r *bookingRequest) check() error {
	var f fieldSet
	switch {
	case r.QuoteID != "" && r.Terms != nil:
		f.add(tfpricing.FieldError{Field: "quote_id", Code: "excluded_with", Message: "give quote_id or terms, not both"})
	case r.QuoteID == "" && r.Terms == nil:
		f.add(tfpricing.FieldError{Field: "quote_id", Code: "required", Message: "give quote_id (a stored quote) or terms (a full quote body)"},
			tfpricing.FieldError{Field: "terms", Code: "required", Message: "give terms (a full quote body) or quote_id (a stored quote)"})
	case utf8.RuneCountInString(r.QuoteID) > 32:
		f.add(tfpricing.FieldError{Field: "quote_id", Code: "max", Message: "must have at most 32 characters"})
	}
	if utf8.RuneCountInString(r.ExternalRef) > 64 {
		f.add(tfpricing.FieldError{Field: "external_ref", Code: "max", Message: "must have at most 64 characters"})
	}
	return f.err()
}

type sptJSON struct {
	MetricID      string          `json:"metric_id"`
	Year          int             `json:"year"`
	Target        string          `json:"target"`
	DueDate       tfpricing.Date  `json:"due_date"`
	Outcome       string          `json:"outcome"`
	DeterminedOn  *tfpricing.Date `json:"determined_on"`
	AttestationID *string         `json:"attestation_id"`
}

// scheduleJSON is a loan's schedule as of a date.
type scheduleJSON struct {
	LoanID        string         `json:"loan_id"`
	AsOf          tfpricing.Date `json:"as_of"`
	Benchmark     string         `json:"benchmark"`
	TotalInterest string         `json:"total_interest"`
	TotalSubsidy  string         `json:"total_subsidy"`
	NetInterest   string         `json:"net_interest"`
	Schedule      []lineJSON     `json:"schedule"`
	SPTs          []sptJSON      `json:"spts"`
}

func toScheduleJSON(loanID string, s pricing.Schedule) scheduleJSON {
	out := scheduleJSON{
		LoanID: loanID, AsOf: s.AsOf, Benchmark: s.Benchmark,
		TotalInterest: pricing.FormatAmount(s.TotalInterest), TotalSubsidy: pricing.FormatAmount(s.TotalSubsidy),
		NetInterest: pricing.FormatAmount(s.NetInterest), Schedule: toLinesJSON(s.Lines), SPTs: make([]sptJSON, 0, len(s.SPTs)),
	}
	for _, p := range s.SPTs {
		j := sptJSON{MetricID: p.MetricID, Year: p.Year, Target: p.Target.String(), DueDate: p.DueDate, Outcome: string(p.Outcome)}
		if !p.DeterminedOn.IsZero() {
			d := p.DeterminedOn
			j.DeterminedOn = &d
		}
		if p.AttestationID != "" {
			id := p.AttestationID
			j.AttestationID = &id
		}
		out.SPTs = append(out.SPTs, j)
	}
	return out
}

type kpiOutJSON struct {
	MetricID   string           `json:"metric_id"`
	Name       string           `json:"name"`
	Unit       string           `json:"unit"`
	Direction  string           `json:"direction"`
	Custom     bool             `json:"custom"`
	Baseline   observationDTO   `json:"baseline"`
	Targets    []observationDTO `json:"targets"`
	StepDownBp *string          `json:"step_down_bp"`
	StepUpBp   *string          `json:"step_up_bp"`
}

type loanJSON struct {
	ID          string           `json:"id"`
	ExternalRef string           `json:"external_ref"`
	QuoteID     *string          `json:"quote_id"`
	BookedAt    string           `json:"booked_at"`
	BookedOn    tfpricing.Date   `json:"booked_on"`
	AsOf        tfpricing.Date   `json:"as_of"`
	Borrower    map[string]any   `json:"borrower"`
	PathwayID   string           `json:"pathway_id"`
	Tier        string           `json:"tier"`
	Catalogue   catalogueRefJSON `json:"catalogue"`
	Policy      policyRefJSON    `json:"policy"`
	Facility    map[string]any   `json:"facility"`
	KPIs        []kpiOutJSON     `json:"kpis"`
	Active      bool             `json:"active"`
	Schedule    *scheduleJSON    `json:"schedule,omitempty"`
	// DecisionID is the booking decision, in the booking response only.
	DecisionID string `json:"decision_id,omitempty"`
}

// decisionID is the public id of a decision: its sequence number.
func decisionID(seq uint64) string { return strconv.FormatUint(seq, 10) }

func optBp(d *pricing.KPI, down bool) *string {
	v := d.StepUpBp
	if down {
		v = d.StepDownBp
	}
	if v == nil {
		return nil
	}
	s := pricing.FormatBp(*v)
	return &s
}

func toLoanJSON(l loanbook.Loan, today tfpricing.Date) loanJSON {
	t := l.Terms
	f := t.Facility
	facility := map[string]any{
		"amount": pricing.FormatAmount(f.Amount), "currency": f.Currency, "start_date": f.StartDate,
		"tenor_months": f.TenorMonths, "repayment": string(f.Repayment),
		"payment_frequency": pricing.FrequencyName(f.PaymentFrequency), "maturity_date": f.MaturityDate(),
	}
	if f.Subsidy != nil {
		facility["subsidy"] = map[string]any{"rate_bp": pricing.FormatBp(f.Subsidy.RateBp), "end_date": f.Subsidy.EndDate}
	}
	borrower := map[string]any{
		"name": l.Borrower.Name, "uscc": l.Borrower.USCC, "industry_code": l.Borrower.IndustryCode,
		"just_transition_score": l.Borrower.JustTransitionScore, "obsolete_capacity": l.Borrower.ObsoleteCapacity,
		"new_capacity":  l.Borrower.NewCapacity,
		"credit_rating": t.CreditRating, "esg_score": t.ESGScore, "carbon_efficiency_grade": nil,
	}
	if t.CarbonGrade != 0 {
		borrower["carbon_efficiency_grade"] = t.CarbonGrade
	}
	out := loanJSON{
		ID: l.ID, ExternalRef: l.ExternalRef, BookedAt: l.BookedAt.UTC().Format("2006-01-02T15:04:05Z"),
		BookedOn: l.BookedOn, AsOf: l.AsOf, Borrower: borrower, PathwayID: l.PathwayID, Tier: string(t.Tier),
		Catalogue: toRefJSON(l.Catalogue), Policy: policyRefJSON{Version: l.Policy.Version, Digest: l.Policy.Digest},
		Facility: facility, Active: l.Active(today), KPIs: make([]kpiOutJSON, 0, len(t.KPIs)),
	}
	if l.QuoteID != "" {
		q := l.QuoteID
		out.QuoteID = &q
	}
	for i := range t.KPIs {
		k := &t.KPIs[i]
		j := kpiOutJSON{MetricID: k.MetricID, Name: k.Name, Unit: k.Unit, Direction: string(k.Direction), Custom: k.Custom,
			Baseline:   observationDTO{Year: k.Baseline.Year, Value: k.Baseline.Value.String()},
			StepDownBp: optBp(k, true), StepUpBp: optBp(k, false)}
		for _, tg := range k.Targets {
			j.Targets = append(j.Targets, observationDTO{Year: tg.Year, Value: tg.Value.String()})
		}
		out.KPIs = append(out.KPIs, j)
	}
	return out
}
