package pricing

import (
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

func TestTermsValidateListsEveryField(t *testing.T) {
	neg, big := dec("-1"), dec("10000.5")
	terms := Terms{
		Tier: catalog.Transitioning, CreditRating: "", ESGScore: 101, CarbonGrade: 6,
		KPIs: []KPI{
			{KPI: catalog.KPI{MetricID: "pet", Direction: "sideways",
				Targets: []catalog.Observation{{Year: 2027}, {Year: 2027}}}, StepDownBp: &neg},
			{KPI: catalog.KPI{MetricID: "pet", Direction: catalog.LowerIsBetter}, StepUpBp: &big},
			{KPI: catalog.KPI{Direction: catalog.HigherIsBetter}},
		},
		Facility: Facility{Amount: dec("100.001"), Currency: "USD", TenorMonths: 601, PaymentFrequency: 2,
			Repayment: "annuity", Subsidy: &Subsidy{RateBp: dec("-5")}},
	}
	e := appErr(t, terms.Validate(), tfpricing.EINVALID)
	want := "borrower.credit_rating borrower.esg_score borrower.carbon_efficiency_grade " +
		"kpis[0].direction kpis[0].step_down_bp kpis[0].targets[1].year " +
		"kpis[1].metric_id kpis[1].step_up_bp kpis[2].metric_id " +
		"facility.amount facility.currency facility.start_date facility.tenor_months " +
		"facility.payment_frequency facility.repayment facility.subsidy.rate_bp facility.subsidy.end_date"
	if got := fieldsOf(e); got != want {
		t.Errorf("fields\n got %s\nwant %s", got, want)
	}
}

func TestFacilityRules(t *testing.T) {
	ok := appendixTerms()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(*Facility)
		field  string
	}{
		{"zero amount", func(f *Facility) { f.Amount = dec("0") }, "facility.amount"},
		{"huge amount", func(f *Facility) { f.Amount = dec("1000000000000000") }, "facility.amount"},
		{"tenor over 50 years", func(f *Facility) { f.TenorMonths = 612 }, "facility.tenor_months"},
		{"tenor not a multiple", func(f *Facility) { f.TenorMonths = 13 }, "facility.tenor_months"},
		{"subsidy ends at start", func(f *Facility) {
			f.Subsidy = &Subsidy{RateBp: dec("100"), EndDate: f.StartDate}
		}, "facility.subsidy.end_date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			terms := appendixTerms()
			c.change(&terms.Facility)
			if e := appErr(t, terms.Validate(), tfpricing.EINVALID); fieldsOf(e) != c.field {
				t.Errorf("fields %q, want %q", fieldsOf(e), c.field)
			}
		})
	}
	terms := appendixTerms()
	terms.Facility.TenorMonths, terms.Facility.PaymentFrequency = 600, 12
	if err := terms.Validate(); err != nil {
		t.Errorf("50 years annual must be valid: %v", err)
	}
}

func TestParseFrequency(t *testing.T) {
	for in, want := range map[string]int{"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12,
		"1": 1, "3": 3, "6": 6, "12": 12} {
		if got, ok := ParseFrequency(in); !ok || got != want {
			t.Errorf("ParseFrequency(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "weekly", "2", "Quarterly", " 3"} {
		if _, ok := ParseFrequency(in); ok {
			t.Errorf("ParseFrequency(%q) accepted", in)
		}
	}
	if FrequencyName(6) != "semiannual" || FrequencyName(4) != "" {
		t.Error("FrequencyName")
	}
}

// Business refusals are 422s, bad input 400s with the field path.
func TestComputeRefusals(t *testing.T) {
	base := func() Input { return appendixInput(t) }
	cases := []struct {
		name   string
		change func(*Input)
		code   string
		fields string
	}{
		{"rating not in policy", func(in *Input) { in.Terms.CreditRating = "BB" }, tfpricing.EUNPROCESSABLE, "borrower.credit_rating"},
		{"tier not priced", func(in *Input) { in.Terms.Tier = catalog.Ineligible }, tfpricing.EUNPROCESSABLE, ""},
		// Before 2022-08-22 the shipped history has no fixing.
		{"no fixing in force", func(in *Input) {
			in.Terms.Facility.StartDate, in.AsOf, in.Attestations = day("2022-01-01"), day("2022-06-01"), nil
		}, tfpricing.EUNPROCESSABLE, ""},
		{"no policy", func(in *Input) { in.Policy = nil }, tfpricing.EINTERNAL, ""},
		{"no as_of", func(in *Input) { in.AsOf = tfpricing.Date{} }, tfpricing.EINVALID, "as_of"},
		{"attestation for no KPI", func(in *Input) { in.Attestations[1].MetricID = "nope" },
			tfpricing.EINVALID, "attestations[1].metric_id"},
		{"attestation for no SPT year", func(in *Input) { in.Attestations[0].Year = 2030 },
			tfpricing.EINVALID, "attestations[0].year"},
		{"attestation without date", func(in *Input) { in.Attestations[0].AcceptedOn = tfpricing.Date{} },
			tfpricing.EINVALID, "attestations[0].accepted_on"},
		{"assumed fixing not in the future", func(in *Input) {
			in.AssumedFixings = []Fixing{{EffectiveDate: in.AsOf, OneYear: dec("2.8"), FiveYear: dec("3.3")}}
		}, tfpricing.EINVALID, "lpr_path[0].effective_date"},
		{"terms and attestations together", func(in *Input) {
			in.Terms.ESGScore, in.Attestations[0].MetricID = -1, "nope"
		}, tfpricing.EINVALID, "borrower.esg_score attestations[0].metric_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			c.change(&in)
			_, err := Compute(in)
			if e := appErr(t, err, c.code); fieldsOf(e) != c.fields {
				t.Errorf("fields %q, want %q", fieldsOf(e), c.fields)
			}
		})
	}
}

// Benchmarks by repricing date (§4.2) for a loan from 2026-12-01, with a
// fixing published on 2026-12-22 (1Y 2.90) in the curve.
func TestBenchmarkKnowledge(t *testing.T) {
	curve, err := shippedCurve(t).With(Fixing{EffectiveDate: day("2026-12-22"), OneYear: dec("2.90"), FiveYear: dec("3.40")})
	if err != nil {
		t.Fatal(err)
	}
	benches := func(asOf string, assumed ...Fixing) string {
		in := appendixInput(t)
		in.Terms.Facility.StartDate, in.Attestations, in.Curve, in.AsOf = day("2026-12-01"), nil, curve, day(asOf)
		in.AssumedFixings = assumed
		s, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range s.Lines {
			if (l.Period-1)%4 == 0 {
				out = append(out, FormatRate(l.BenchmarkRate)+"@"+l.BenchmarkDate.String())
			}
		}
		return strings.Join(out, " ")
	}
	// As of 2026-11-27 the 2026-12-22 fixing is unknown: 3.00 throughout.
	if got := benches("2026-11-27"); got != "3.0000@2025-05-20 3.0000@2025-05-20 3.0000@2025-05-20" {
		t.Errorf("as of 2026-11-27: %s", got)
	}
	// As of 2027-01-10 it is known: the first period keeps 3.00 (in force
	// on 2026-12-01), later anniversaries read min(r, as_of) and get 2.90.
	if got := benches("2027-01-10"); got != "3.0000@2025-05-20 2.9000@2026-12-22 2.9000@2026-12-22" {
		t.Errorf("as of 2027-01-10: %s", got)
	}
	// An assumed fixing applies on the repricing date itself, not capped at
	// as_of; one effective after the 2027-12-01 anniversary waits for 2028.
	got := benches("2026-11-27",
		Fixing{EffectiveDate: day("2027-06-20"), OneYear: dec("2.80"), FiveYear: dec("3.30")},
		Fixing{EffectiveDate: day("2027-12-02"), OneYear: dec("2.70"), FiveYear: dec("3.20")})
	if got != "3.0000@2025-05-20 2.8000@2027-06-20 2.7000@2027-12-02" {
		t.Errorf("assumed: %s", got)
	}
}
