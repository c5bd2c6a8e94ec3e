package pricing

import "testing"

// A loan with 30,000,000.00 outstanding to a borrower whose equity + debt is
// 800,000,000.00 and whose 2026 emissions are 120,000 t (scope 1) + 40,000 t
// (scope 2), verified: attributed = 30,000,000 ÷ 800,000,000 × 160,000 =
// 0.0375 × 160,000 = 6,000.000 tCO2e, PCAF score 1. Against the 2025
// baseline of 200,000 t (reported) the reduction is (200,000 − 160,000) ÷
// 200,000 = 20.00 %. With 10,000,000.01 outstanding the share is
// 10,000,000.01 × 160,000 ÷ 800,000,000 = 2,000.000002 → 2,000.000; and with
// 10,000,002.50, 2,000.0005 exactly, a tie rounded up to 2,000.001.
func TestAttributeEmissions(t *testing.T) {
	es := []Emissions{
		{Year: 2025, Scope1: dec("150000"), Scope2: dec("50000"), EquityPlusDebt: dec("700000000.00"), Source: SourceReported},
		{Year: 2026, Scope1: dec("999"), Scope2: dec("1"), EquityPlusDebt: dec("1.00"), Source: SourceEstimated},
		{Year: 2026, Scope1: dec("120000"), Scope2: dec("40000"), EquityPlusDebt: dec("800000000.00"), Source: SourceVerified},
	}
	got := AttributeEmissions(dec("30000000.00"), es, 2026, 2025)
	if got.Missing || got.Attributed.StringFixed(3) != "6000.000" || got.DataQuality != 1 ||
		!got.ReductionKnown || got.ReductionPct.StringFixed(2) != "20.00" {
		t.Errorf("attributed %+v", got)
	}
	if got := AttributeEmissions(dec("10000000.01"), es, 2026, 2025); got.Attributed.StringFixed(3) != "2000.000" {
		t.Errorf("below the tie: %s", got.Attributed)
	}
	if got := AttributeEmissions(dec("10000002.50"), es, 2026, 2025); got.Attributed.StringFixed(3) != "2000.001" {
		t.Errorf("at the tie: %s", got.Attributed)
	}
	if got := AttributeEmissions(dec("30000000.00"), es, 2027, 2025); !got.Missing || !got.Attributed.IsZero() {
		t.Errorf("a year without attestation must be missing: %+v", got)
	}
	if got := AttributeEmissions(dec("30000000.00"), es, 2026, 2024); got.ReductionKnown {
		t.Errorf("a baseline year without attestation has no reduction: %+v", got)
	}
	if q := []int{SourceVerified.DataQuality(), SourceReported.DataQuality(), SourceEstimated.DataQuality()}; q[0] != 1 || q[1] != 2 || q[2] != 4 {
		t.Errorf("PCAF scores %v", q)
	}
}

func TestEmissionsValidate(t *testing.T) {
	e := Emissions{Year: 1999, Scope1: dec("-1"), Scope2: dec("0.0000001"), EquityPlusDebt: dec("0"), Source: "guessed"}
	got := fieldsOf(appErr(t, e.Validate(), "invalid"))
	if got != "year scope1_tco2e scope2_tco2e equity_plus_debt source" {
		t.Errorf("fields %s", got)
	}
}
