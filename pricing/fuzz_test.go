package pricing

import (
	"errors"
	"os"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// fuzzDecimal turns fuzz text into a decimal the way a request would: strict
// plain notation, zero when it does not parse (which the checks then see).
func fuzzDecimal(s string) decimal.Decimal {
	d, err := parseDecimal(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// FuzzCompute drives Compute and PriceQuote with arbitrary terms, an
// attestation and assumptions: whatever the input, they must not panic, and
// every error must be a *tfpricing.Error.
func FuzzCompute(f *testing.F) {
	f.Add("50000000.00", 36, 3, "2023-07-01", "2026-11-27", "AA", "transitioning", 70, 3,
		"80", 2023, "79", "2024-03-15", "10", "100", "all_met", 0)
	f.Add("0.06", 12, 1, "2024-01-31", "2024-01-31", "AAA", "leading", 100, 1,
		"40", 2024, "41", "2025-04-30", "0", "0", "none_met", 120)
	f.Add("-1", 0, 0, "2024-02-30", "", "ZZZ", "ineligible", -5, 9, "x", 0, "1e9", "bad", "-1", "1e-9", "???", -3)
	f.Add("999999999999999.99", 600, 12, "2949-12-31", "2949-12-31", "BBB", "advancing", 0, 0,
		"99999999999999999999.999999999999", 2999, "0", "3000-01-01", "10000", "10000", "current", 1)
	f.Add("1", 1, 1, "1900-01-01", "2999-12-31", "A", "leading", 50, 5, "1", 1900, "1", "1901-01-01", "", "", "", 0)
	p := shippedPolicy(f)
	c := shippedCurve(f)
	f.Fuzz(func(t *testing.T, amount string, tenor, freq int, start, asOf, rating, tier string, esg, grade int,
		target string, year int, value, accepted, step, subsidy, projection string, lag int) {
		st, _ := tfpricing.ParseDate(start)
		ao, _ := tfpricing.ParseDate(asOf)
		acc, _ := tfpricing.ParseDate(accepted)
		stepBp := fuzzDecimal(step)
		terms := Terms{Tier: catalog.Tier(tier), CreditRating: rating, ESGScore: esg, CarbonGrade: grade,
			KPIs: []KPI{{KPI: catalog.KPI{MetricID: "k", Direction: catalog.LowerIsBetter,
				Targets: []catalog.Observation{{Year: year, Value: fuzzDecimal(target)}}}, StepDownBp: &stepBp}},
			Facility: Facility{Amount: fuzzDecimal(amount), Currency: "CNY", StartDate: st, TenorMonths: tenor,
				PaymentFrequency: freq, Repayment: EqualPrincipal}}
		if subsidy != "" {
			terms.Facility.Subsidy = &Subsidy{RateBp: fuzzDecimal(subsidy), EndDate: st.AddMonths(12)}
		}
		in := Input{Terms: terms, Policy: p, Curve: c, AsOf: ao,
			Attestations: []Attestation{{ID: "a", Seq: 1, MetricID: "k", Year: year, Value: fuzzDecimal(value), AcceptedOn: acc}},
			Assumptions:  Assumptions{Projection: Projection(projection), ReportLagDays: lag}}
		s, err := Compute(in)
		checkFuzzErr(t, err)
		if err == nil && len(s.Lines) == 0 {
			t.Fatal("a schedule without lines")
		}
		_, err = PriceQuote(terms, p, c, ao)
		checkFuzzErr(t, err)
		_, _, err = PreviewAttestation(terms, p, nil, in.Attestations[0])
		checkFuzzErr(t, err)
	})
}

func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	var e *tfpricing.Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("error %T %v is not a *tfpricing.Error", err, err)
	}
}

// FuzzParsePolicy: any bytes either parse into a policy whose canonical
// form parses back to the same digest, or give a *tfpricing.Error.
func FuzzParsePolicy(f *testing.F) {
	shipped, err := os.ReadFile("../configs/policy/2026.1.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shipped)
	f.Add([]byte(reformatted))
	f.Add([]byte("version: [1, 2]\nbenchmark: &a {x: *a}\n"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy("fuzz", data)
		checkFuzzErr(t, err)
		if err != nil {
			return
		}
		again, err := ParsePolicy("canonical", p.Canonical)
		if err != nil || again.Digest != p.Digest {
			t.Fatalf("canonical form does not round-trip: %v", err)
		}
	})
}

// FuzzParseFixings: any bytes either parse into fixings a curve accepts, or
// give a *tfpricing.Error.
func FuzzParseFixings(f *testing.F) {
	shipped, err := os.ReadFile("../configs/lpr/lpr.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shipped)
	f.Add([]byte("fixings: [{effective_date: 2024-01-01, one_year: 3, five_year: 4}]"))
	f.Add([]byte("fixings: *x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := ParseFixings("fuzz", data)
		checkFuzzErr(t, err)
		if err != nil {
			return
		}
		if _, err := NewCurve(fs); err != nil {
			t.Fatalf("parsed fixings refused by NewCurve: %v", err)
		}
	})
}
