package pricing

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// Repayment is how principal is repaid.
type Repayment string

// The repayment profiles.
const (
	Bullet         Repayment = "bullet"          // everything in the last period
	EqualPrincipal Repayment = "equal_principal" // round2(amount/n) each period, the rest last
)

// frequencyNames maps the request names of payment frequencies to months.
var frequencyNames = []struct {
	name   string
	months int
}{{"monthly", 1}, {"quarterly", 3}, {"semiannual", 6}, {"annual", 12}}

// ParseFrequency returns the months of a payment frequency given by name
// (monthly, quarterly, semiannual, annual) or as a month count (1, 3, 6, 12).
func ParseFrequency(s string) (int, bool) {
	for _, f := range frequencyNames {
		if s == f.name || s == strconv.Itoa(f.months) {
			return f.months, true
		}
	}
	return 0, false
}

// FrequencyName returns the request name of a frequency in months, or "".
func FrequencyName(months int) string {
	for _, f := range frequencyNames {
		if f.months == months {
			return f.name
		}
	}
	return ""
}

// Subsidy is an interest subsidy (贴息) of RateBp on the opening principal
// for the periods starting before EndDate.
type Subsidy struct {
	RateBp  decimal.Decimal
	EndDate tfpricing.Date
}

// Facility is the loan itself.
type Facility struct {
	Amount           decimal.Decimal
	Currency         string
	StartDate        tfpricing.Date
	TenorMonths      int
	Repayment        Repayment
	PaymentFrequency int // months: 1, 3, 6 or 12
	Subsidy          *Subsidy
}

// KPI is a plan KPI as priced: its SPTs are the catalogue KPI's targets, and
// StepDownBp/StepUpBp, when set, replace the policy's ratchet steps for it.
type KPI struct {
	catalog.KPI
	StepDownBp *decimal.Decimal
	StepUpBp   *decimal.Decimal
}

// Terms are everything about a borrower and a facility that sets its price.
// Tier comes from the eligibility assessment; CarbonGrade 0 means the
// borrower has no carbon efficiency grade.
type Terms struct {
	Tier         catalog.Tier
	CreditRating string
	ESGScore     int
	CarbonGrade  int
	KPIs         []KPI
	Facility     Facility
}

// Limits of the input domain. They are far beyond any real loan and keep
// every computation small and every date within the calendar.
const (
	maxTenorMonths = 600 // 50 years
	minYear        = 1900
	maxYear        = 2999
)

var (
	maxAmount   = decimal.New(1, 15) // CNY 1,000 trillion, exclusive
	maxStepBp   = decimal.NewFromInt(10000)
	currencyCNY = "CNY"
)

// Validate checks the terms on their own, before any policy or curve is
// consulted, and lists every bad field by the JSON path a quote request
// uses. Refusals that depend on the policy (an unpriced rating) are 422s
// raised when pricing.
func (t Terms) Validate() error {
	var fs []tfpricing.FieldError
	add := func(field, code, format string, args ...any) {
		fs = append(fs, fieldErr(field, code, fmt.Sprintf(format, args...)))
	}
	if t.CreditRating == "" {
		add("borrower.credit_rating", "required", "is required")
	}
	if t.ESGScore < 0 || t.ESGScore > 100 {
		add("borrower.esg_score", "range", "must be from 0 to 100")
	}
	if t.CarbonGrade < 0 || t.CarbonGrade > 5 {
		add("borrower.carbon_efficiency_grade", "range", "must be from 1 (best) to 5, or absent")
	}
	seen := make(map[string]bool, len(t.KPIs))
	for i, k := range t.KPIs {
		// The path is written only for a bad field: terms are validated
		// on every attestation.
		p := func() string { return fmt.Sprintf("kpis[%d].", i) }
		switch {
		case k.MetricID == "":
			add(p()+"metric_id", "required", "is required")
		case seen[k.MetricID]:
			add(p()+"metric_id", "duplicate", "another KPI has the same metric_id")
		}
		seen[k.MetricID] = true
		if !k.Direction.Valid() {
			add(p()+"direction", "oneof", "must be lower_is_better or higher_is_better")
		}
		for _, s := range []struct {
			name string
			v    *decimal.Decimal
		}{{"step_down_bp", k.StepDownBp}, {"step_up_bp", k.StepUpBp}} {
			if s.v != nil && (s.v.IsNegative() || s.v.GreaterThan(maxStepBp) || s.v.Exponent() < -4) {
				add(p()+s.name, "range", "must be from 0 to 10000 bp with at most 4 decimals")
			}
		}
		for j, tg := range k.Targets {
			if tg.Year < minYear || tg.Year > maxYear || (j > 0 && tg.Year <= k.Targets[j-1].Year) {
				add(fmt.Sprintf("%stargets[%d].year", p(), j), "range",
					"target years must be strictly increasing, from %d to %d", minYear, maxYear)
			}
		}
	}
	fs = append(fs, t.Facility.problems()...)
	return tfpricing.Invalid(fs)
}

func (f Facility) problems() []tfpricing.FieldError {
	var fs []tfpricing.FieldError
	add := func(field, code, msg string) { fs = append(fs, fieldErr("facility."+field, code, msg)) }
	if !f.Amount.IsPositive() || f.Amount.Exponent() < -2 || cmpDecimal(f.Amount, maxAmount) >= 0 {
		add("amount", "range", "must be a positive amount below 10^15 with at most 2 decimals")
	}
	if f.Currency != currencyCNY {
		add("currency", "oneof", "must be CNY")
	}
	if f.StartDate.IsZero() {
		add("start_date", "required", "is required")
	} else if y := f.StartDate.Year(); y < minYear || y > maxYear-50 {
		add("start_date", "range", "is outside the supported calendar")
	}
	if f.TenorMonths < 1 || f.TenorMonths > maxTenorMonths {
		add("tenor_months", "range", "must be from 1 to 600 months")
	}
	if FrequencyName(f.PaymentFrequency) == "" {
		add("payment_frequency", "oneof", "must be monthly, quarterly, semiannual or annual")
	} else if f.TenorMonths > 0 && f.TenorMonths%f.PaymentFrequency != 0 {
		add("tenor_months", "multiple", "must be a multiple of the payment frequency's months")
	}
	if f.Repayment != Bullet && f.Repayment != EqualPrincipal {
		add("repayment", "oneof", "must be bullet or equal_principal")
	}
	if s := f.Subsidy; s != nil {
		if s.RateBp.IsNegative() || s.RateBp.GreaterThan(maxStepBp) || s.RateBp.Exponent() < -4 {
			add("subsidy.rate_bp", "range", "must be from 0 to 10000 bp with at most 4 decimals")
		}
		if s.EndDate.IsZero() {
			add("subsidy.end_date", "required", "is required")
		} else if !f.StartDate.IsZero() && !s.EndDate.After(f.StartDate) {
			add("subsidy.end_date", "range", "must be after the start date")
		}
	}
	return fs
}

// MaturityDate returns the end of the last period.
func (f Facility) MaturityDate() tfpricing.Date {
	return f.StartDate.AddMonths(f.TenorMonths)
}
