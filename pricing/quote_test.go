package pricing

import (
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

// quoteTerms is DESIGN.md §7's quote request: CNY 50m from 2026-12-01, 36
// months, quarterly, equal principal, subsidy 100 bp until 2027-12-01, for
// the Appendix A borrower with SPTs 2026: 82, 2027: 76, 2028: 70.
func quoteTerms() Terms {
	t := appendixTerms()
	t.KPIs[0].Targets = []catalog.Observation{{Year: 2026, Value: dec("82")}, {Year: 2027, Value: dec("76")},
		{Year: 2028, Value: dec("70")}}
	t.Facility.StartDate = day("2026-12-01")
	t.Facility.Subsidy = &Subsidy{RateBp: dec("100"), EndDate: day("2027-12-01")}
	return t
}

func TestPriceQuote(t *testing.T) {
	q, err := PriceQuote(quoteTerms(), shippedPolicy(t), shippedCurve(t), day("2026-11-27"))
	if err != nil {
		t.Fatal(err)
	}
	b := q.Breakdown
	// LPR1Y 3.00 (2025-05-20) + (50 - 10 - 10 + 0 + 0)/100 = 3.3000.
	if b.BenchmarkName != "LPR1Y" || b.BenchmarkDate != day("2025-05-20") || FormatRate(b.BenchmarkRate) != "3.0000" ||
		FormatBp(b.CreditSpreadBp) != "50" || FormatBp(b.TierAdjustmentBp) != "-10" ||
		FormatBp(b.ESGAdjustmentBp) != "-10" || FormatBp(b.CarbonAdjustmentBp) != "0" ||
		FormatBp(b.RatchetAdjustmentBp) != "0" || FormatBp(b.TotalAdjustmentBp) != "-20" ||
		b.FloorApplied || b.CapApplied || FormatRate(b.AllInRate) != "3.3000" {
		t.Errorf("breakdown %+v", b)
	}
	if q.ValidUntil != day("2026-12-27") || q.AsOf != day("2026-11-27") || q.Policy.Version != "2026.1" {
		t.Errorf("valid until %s, as of %s, policy %+v", q.ValidUntil, q.AsOf, q.Policy)
	}
	// Savings is the difference of total interest, none_met minus all_met.
	if !q.Savings.Equal(q.NoneMet.TotalInterest.Sub(q.AllMet.TotalInterest)) || !q.Savings.IsPositive() {
		t.Errorf("savings %s", q.Savings)
	}
	// 2026 is due 2027-04-30: all_met steps down to -30 from the period
	// starting 2027-06-01, none_met up to -15; before that all agree.
	for i, want := range []struct{ cur, met, none string }{{"-20", "-20", "-20"}, {"-20", "-20", "-20"},
		{"-20", "-30", "-15"}, {"-20", "-30", "-15"}} {
		got := [3]string{FormatBp(q.Current.Lines[i].AdjustmentBp), FormatBp(q.AllMet.Lines[i].AdjustmentBp),
			FormatBp(q.NoneMet.Lines[i].AdjustmentBp)}
		if got != [3]string{want.cur, want.met, want.none} {
			t.Errorf("period %d adjustments %v, want %v", i+1, got, want)
		}
	}
	if q.AllMet.SPTs[0].Outcome != Met || !q.AllMet.SPTs[0].Assumed || q.Current.SPTs[0].Outcome != Pending {
		t.Errorf("SPTs %+v / %+v", q.AllMet.SPTs[0], q.Current.SPTs[0])
	}
	// The subsidy does not depend on the ratchet here (it is below the
	// interest), so every projection has the same subsidy.
	if !q.AllMet.TotalSubsidy.Equal(q.NoneMet.TotalSubsidy) || !q.Current.TotalSubsidy.IsPositive() {
		t.Errorf("subsidies %s %s", q.AllMet.TotalSubsidy, q.NoneMet.TotalSubsidy)
	}
}

func TestPriceQuoteRefusals(t *testing.T) {
	p, c, asOf := shippedPolicy(t), shippedCurve(t), day("2026-11-27")
	cases := []struct {
		name   string
		change func(*Terms)
		code   string
		fields string
	}{
		{"start before as_of", func(t *Terms) { t.Facility.StartDate = day("2026-11-26") },
			tfpricing.EUNPROCESSABLE, "facility.start_date"},
		{"ineligible", func(t *Terms) { t.Tier = catalog.Ineligible }, tfpricing.EUNPROCESSABLE, ""},
		{"unpriced rating", func(t *Terms) { t.CreditRating = "CCC" }, tfpricing.EUNPROCESSABLE, "borrower.credit_rating"},
		{"invalid terms", func(t *Terms) { t.Facility.Currency, t.ESGScore = "EUR", 200 }, tfpricing.EINVALID,
			"borrower.esg_score facility.currency"},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			terms := quoteTerms()
			cs.change(&terms)
			_, err := PriceQuote(terms, p, c, asOf)
			if e := appErr(t, err, cs.code); fieldsOf(e) != cs.fields {
				t.Errorf("fields %q, want %q", fieldsOf(e), cs.fields)
			}
		})
	}
	_, err := PriceQuote(quoteTerms(), nil, c, asOf)
	appErr(t, err, tfpricing.EINTERNAL)
	// Starting on as_of itself is allowed.
	terms := quoteTerms()
	terms.Facility.StartDate = asOf
	if _, err := PriceQuote(terms, p, c, asOf); err != nil {
		t.Errorf("start on as_of: %v", err)
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{FormatRate(dec("3.85")), "3.8500"},
		{FormatRate(dec("2.2")), "2.2000"},
		{FormatAmount(dec("491944.444")), "491944.44"},
		{FormatAmount(dec("0.005")), "0.01"}, // half-up
		{FormatAmount(dec("50000000")), "50000000.00"},
		{FormatBp(dec("-15.50")), "-15.5"},
		{FormatBp(dec("0.000")), "0"},
		{FormatBp(dec("400")), "400"},
		{FormatBp(dec("1200")), "1200"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// The floor and cap flags of a first period show in the breakdown: the cap
// over the benchmark set to 10 bp holds AA's 3.30 at 3.10.
func TestPriceQuoteCap(t *testing.T) {
	p := *shippedPolicy(t)
	p.Limits.CapOverBenchmarkBp = dec("10")
	q, err := PriceQuote(quoteTerms(), &p, shippedCurve(t), day("2026-11-27"))
	if err != nil {
		t.Fatal(err)
	}
	if !q.Breakdown.CapApplied || q.Breakdown.FloorApplied || FormatRate(q.Breakdown.AllInRate) != "3.1000" {
		t.Errorf("breakdown %+v", q.Breakdown)
	}
	// With the floor above the cap, the cap still wins: §4.4 applies it last.
	p.Limits.FloorRate = dec("5")
	q, err = PriceQuote(quoteTerms(), &p, shippedCurve(t), day("2026-11-27"))
	if err != nil {
		t.Fatal(err)
	}
	if !q.Breakdown.CapApplied || !q.Breakdown.FloorApplied || FormatRate(q.Breakdown.AllInRate) != "3.1000" {
		t.Errorf("breakdown %+v", q.Breakdown)
	}
}
