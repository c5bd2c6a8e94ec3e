package audit

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/configs"
	"tfpricing/pricing"
)

// Test inputs of the audit package: the shipped policy and LPR curve, and
// DESIGN.md's Appendix A loan and §7 quote (the same figures as the pricing
// package's tests, which pin their arithmetic; here they only feed decisions).

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) tfpricing.Date { return tfpricing.MustParseDate(s) }

// shipped is the reference data the binary ships (configs/), loaded as
// start-up loads it.
func shipped(t testing.TB) *configs.Reference {
	t.Helper()
	cfg, err := configs.Load(func(string) string { return "" }, configs.Flags{})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := cfg.LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// shippedPolicy is policy 2026.1, which the fixtures' decisions are priced
// under.
func shippedPolicy(t testing.TB) *pricing.Policy {
	t.Helper()
	for _, p := range shipped(t).Policies.All() {
		if p.Version == "2026.1" {
			return p
		}
	}
	t.Fatal("policy 2026.1 is not shipped")
	return nil
}

func shippedCurve(t testing.TB) pricing.Curve { return shipped(t).Fixings }

// appErr asserts err is a *tfpricing.Error with the code and returns it.
func appErr(t testing.TB, err error, code string) *tfpricing.Error {
	t.Helper()
	var e *tfpricing.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error %v, want a *tfpricing.Error with code %s", err, code)
	}
	return e
}

// fieldsOf lists an error's field paths, space-separated, for comparisons.
func fieldsOf(e *tfpricing.Error) string {
	paths := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		paths[i] = f.Field
	}
	return strings.Join(paths, " ")
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// appendixTerms: Appendix A's AA borrower (ESG 70, grade 3, transitioning),
// CNY 50m from 2023-07-01 for 36 months, quarterly, equal principal, SPTs
// pet_fdy_energy 2023: 80, 2024: 74, 2025: 68.
func appendixTerms() pricing.Terms {
	return pricing.Terms{
		Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70, CarbonGrade: 3,
		KPIs: []pricing.KPI{{KPI: catalog.KPI{MetricID: "pet_fdy_energy", Direction: catalog.LowerIsBetter,
			Targets: []catalog.Observation{{Year: 2023, Value: dec("80")}, {Year: 2024, Value: dec("74")},
				{Year: 2025, Value: dec("68")}}}}},
		Facility: pricing.Facility{Amount: dec("50000000.00"), Currency: "CNY", StartDate: day("2023-07-01"),
			TenorMonths: 36, Repayment: pricing.EqualPrincipal, PaymentFrequency: 3},
	}
}

// appendixAttestations: 2023 value 79 accepted 2024-03-15 (met), 2024 value
// 76 accepted 2025-03-01 (missed); 2025 none.
func appendixAttestations() []pricing.Attestation {
	return []pricing.Attestation{
		{ID: "att-2023", Seq: 1, MetricID: "pet_fdy_energy", Year: 2023, Value: dec("79"), AcceptedOn: day("2024-03-15")},
		{ID: "att-2024", Seq: 2, MetricID: "pet_fdy_energy", Year: 2024, Value: dec("76"), AcceptedOn: day("2025-03-01")},
	}
}

func appendixInput(t testing.TB) pricing.Input {
	return pricing.Input{Terms: appendixTerms(), Policy: shippedPolicy(t), Curve: shippedCurve(t),
		Attestations: appendixAttestations(), AsOf: day("2026-11-27")}
}

// quoteTerms is DESIGN.md §7's quote request: the Appendix A borrower, CNY
// 50m from 2026-12-01, subsidy 100 bp until 2027-12-01, SPTs 2026: 82,
// 2027: 76, 2028: 70.
func quoteTerms() pricing.Terms {
	t := appendixTerms()
	t.KPIs[0].Targets = []catalog.Observation{{Year: 2026, Value: dec("82")}, {Year: 2027, Value: dec("76")},
		{Year: 2028, Value: dec("70")}}
	t.Facility.StartDate = day("2026-12-01")
	t.Facility.Subsidy = &pricing.Subsidy{RateBp: dec("100"), EndDate: day("2027-12-01")}
	return t
}
