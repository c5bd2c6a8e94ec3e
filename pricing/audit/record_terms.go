package audit

import (
	"fmt"

	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// observationRecord is a KPI baseline or target.
type observationRecord struct {
	Value string `json:"value"`
	Year  int    `json:"year"`
}

// kpiRecord is a catalog.KPI as a plan states it.
type kpiRecord struct {
	Baseline  observationRecord `json:"baseline"`
	Custom    bool              `json:"custom"`
	Direction string            `json:"direction"`
	MetricID  string            `json:"metric_id"`
	Name      string            `json:"name"`
	// A priced KPI (in terms) also carries its own ratchet steps; a plan
	// KPI never does. One type rather than an embedding, because the
	// record's keys must be declared in sorted order (see marshalSorted).
	StepDownBp *string             `json:"step_down_bp,omitempty"`
	StepUpBp   *string             `json:"step_up_bp,omitempty"`
	Targets    []observationRecord `json:"targets"`
	Unit       string              `json:"unit"`
}

type subsidyRecord struct {
	EndDate string `json:"end_date,omitempty"`
	RateBp  string `json:"rate_bp"`
}

// facilityRecord keeps the payment frequency in months, the engine's own
// unit, so that any value round-trips, even one validation would refuse.
type facilityRecord struct {
	Amount           string         `json:"amount"`
	Currency         string         `json:"currency"`
	PaymentFrequency int            `json:"payment_frequency_months"`
	Repayment        string         `json:"repayment"`
	StartDate        string         `json:"start_date,omitempty"`
	Subsidy          *subsidyRecord `json:"subsidy,omitempty"`
	TenorMonths      int            `json:"tenor_months"`
}

// termsRecord is Terms. Tier is left out when empty, as in quote inputs,
// where it comes from the assessment.
type termsRecord struct {
	CarbonGrade  int            `json:"carbon_grade"`
	CreditRating string         `json:"credit_rating"`
	ESGScore     int            `json:"esg_score"`
	Facility     facilityRecord `json:"facility"`
	KPIs         []kpiRecord    `json:"kpis"`
	Tier         string         `json:"tier,omitempty"`
	docVersion
}

type borrowerRecord struct {
	IndustryCode        string `json:"industry_code"`
	JustTransitionScore *int   `json:"just_transition_score,omitempty"`
	Name                string `json:"name"`
	// NewCapacity is written only when true, so records made before rule 9
	// existed keep their bytes and hashes.
	NewCapacity      bool   `json:"new_capacity,omitempty"`
	ObsoleteCapacity bool   `json:"obsolete_capacity"`
	USCC             string `json:"uscc"`
}

// planRecord is a catalog.Plan.
type planRecord struct {
	AsOf      string         `json:"as_of,omitempty"`
	Borrower  borrowerRecord `json:"borrower"`
	KPIs      []kpiRecord    `json:"kpis"`
	PathwayID string         `json:"pathway_id"`
	docVersion
}

func newKPIRecord(k catalog.KPI) kpiRecord {
	rec := kpiRecord{MetricID: k.MetricID, Name: k.Name, Unit: k.Unit, Direction: string(k.Direction),
		Custom: k.Custom, Baseline: observationRecord{Year: k.Baseline.Year, Value: pricing.NormalString(k.Baseline.Value)},
		Targets: make([]observationRecord, len(k.Targets))}
	for i, t := range k.Targets {
		rec.Targets[i] = observationRecord{Year: t.Year, Value: pricing.NormalString(t.Value)}
	}
	return rec
}

func (rec kpiRecord) kpi(r *recReader, path string) catalog.KPI {
	k := catalog.KPI{MetricID: rec.MetricID, Name: rec.Name, Unit: rec.Unit,
		Direction: catalog.Direction(rec.Direction), Custom: rec.Custom,
		Baseline: catalog.Observation{Year: rec.Baseline.Year, Value: r.decimal(path+".baseline.value", rec.Baseline.Value)},
		Targets:  make([]catalog.Observation, len(rec.Targets))}
	for i, t := range rec.Targets {
		k.Targets[i] = catalog.Observation{Year: t.Year, Value: r.decimal(fmt.Sprintf("%s.targets[%d].value", path, i), t.Value)}
	}
	return k
}

func newTermsRecord(t pricing.Terms) termsRecord {
	f := t.Facility
	rec := termsRecord{Tier: string(t.Tier), CreditRating: t.CreditRating, ESGScore: t.ESGScore,
		CarbonGrade: t.CarbonGrade, KPIs: make([]kpiRecord, len(t.KPIs)),
		Facility: facilityRecord{Amount: amountString(f.Amount), Currency: f.Currency, StartDate: f.StartDate.String(),
			TenorMonths: f.TenorMonths, Repayment: string(f.Repayment), PaymentFrequency: f.PaymentFrequency}}
	for i, k := range t.KPIs {
		rec.KPIs[i] = newKPIRecord(k.KPI)
		rec.KPIs[i].StepDownBp, rec.KPIs[i].StepUpBp = optBp(k.StepDownBp), optBp(k.StepUpBp)
	}
	if s := f.Subsidy; s != nil {
		rec.Facility.Subsidy = &subsidyRecord{RateBp: pricing.NormalString(s.RateBp), EndDate: s.EndDate.String()}
	}
	return rec
}

func (rec termsRecord) terms(r *recReader, prefix string) pricing.Terms {
	f := rec.Facility
	fp := prefixed(prefix, "facility.")
	t := pricing.Terms{Tier: catalog.Tier(rec.Tier), CreditRating: rec.CreditRating, ESGScore: rec.ESGScore,
		CarbonGrade: rec.CarbonGrade, KPIs: make([]pricing.KPI, len(rec.KPIs)),
		Facility: pricing.Facility{Amount: r.decimal(fp+"amount", f.Amount), Currency: f.Currency,
			StartDate: r.date(fp+"start_date", f.StartDate), TenorMonths: f.TenorMonths,
			Repayment: pricing.Repayment(f.Repayment), PaymentFrequency: f.PaymentFrequency}}
	for i, k := range rec.KPIs {
		p := prefixed(prefix, fmt.Sprintf("kpis[%d]", i))
		t.KPIs[i] = pricing.KPI{KPI: k.kpi(r, p), StepDownBp: r.optDecimal(p+".step_down_bp", k.StepDownBp),
			StepUpBp: r.optDecimal(p+".step_up_bp", k.StepUpBp)}
	}
	if s := f.Subsidy; s != nil {
		t.Facility.Subsidy = &pricing.Subsidy{RateBp: r.decimal(fp+"subsidy.rate_bp", s.RateBp),
			EndDate: r.date(fp+"subsidy.end_date", s.EndDate)}
	}
	return t
}

func newPlanRecord(p catalog.Plan) planRecord {
	b := p.Borrower
	rec := planRecord{Borrower: borrowerRecord{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
		ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: b.NewCapacity}, PathwayID: p.PathwayID, KPIs: make([]kpiRecord, len(p.KPIs)),
		AsOf: p.AsOf.String()}
	if s := b.JustTransitionScore; s != nil {
		v := *s
		rec.Borrower.JustTransitionScore = &v
	}
	for i, k := range p.KPIs {
		rec.KPIs[i] = newKPIRecord(k)
	}
	return rec
}

func (rec planRecord) plan(r *recReader, prefix string) catalog.Plan {
	b := rec.Borrower
	p := catalog.Plan{Borrower: catalog.Borrower{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
		ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: b.NewCapacity}, PathwayID: rec.PathwayID, KPIs: make([]catalog.KPI, len(rec.KPIs)),
		AsOf: r.date(prefixed(prefix, "as_of"), rec.AsOf)}
	if s := b.JustTransitionScore; s != nil {
		v := *s
		p.Borrower.JustTransitionScore = &v
	}
	for i, k := range rec.KPIs {
		path := prefixed(prefix, fmt.Sprintf("kpis[%d]", i))
		p.KPIs[i] = k.kpi(r, path)
		// Steps belong to priced terms; in a plan they would be ignored,
		// so they must not be there to mislead.
		if k.StepDownBp != nil || k.StepUpBp != nil {
			r.fail(path, "unknown_field", "a plan KPI carries no step_down_bp or step_up_bp")
		}
	}
	return p
}

// EncodeTerms returns the stored record of t.
func EncodeTerms(t pricing.Terms) ([]byte, error) {
	rec := newTermsRecord(t)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodeTerms decodes a record written by EncodeTerms, strictly.
func DecodeTerms(data []byte) (pricing.Terms, error) {
	return decodeDoc("terms", data, func(rec termsRecord, r *recReader) pricing.Terms { return rec.terms(r, "") }, EncodeTerms)
}

// EncodePlan returns the stored record of a transition plan.
func EncodePlan(p catalog.Plan) ([]byte, error) {
	rec := newPlanRecord(p)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodePlan decodes a record written by EncodePlan, strictly.
func DecodePlan(data []byte) (catalog.Plan, error) {
	return decodeDoc("plan", data, func(rec planRecord, r *recReader) catalog.Plan { return rec.plan(r, "") }, EncodePlan)
}
