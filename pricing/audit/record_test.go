package audit

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
)

// roundTrip encodes v, decodes it, encodes the result again and requires
// the same bytes, then returns the decoded value for further checks.
func roundTrip[T any](t *testing.T, name string, v T, enc func(T) ([]byte, error), decode func([]byte) (T, error)) T {
	t.Helper()
	b1, err := enc(v)
	if err != nil {
		t.Fatalf("%s: encode: %v", name, err)
	}
	if !bytes.Contains(b1, []byte(`"v":1`)) {
		t.Errorf("%s: no top-level version in %s", name, b1)
	}
	got, err := decode(b1)
	if err != nil {
		t.Fatalf("%s: decode %s: %v", name, b1, err)
	}
	b2, err := enc(got)
	if err != nil {
		t.Fatalf("%s: re-encode: %v", name, err)
	}
	if !bytes.Equal(b1, b2) {
		t.Errorf("%s: round trip changed the record\n got %s\nwant %s", name, b2, b1)
	}
	if b3, _ := enc(v); !bytes.Equal(b1, b3) {
		t.Errorf("%s: encoding is not deterministic", name)
	}
	return got
}

func richTerms() pricing.Terms {
	t := quoteTerms()
	down, up := dec("12.5"), dec("0")
	t.KPIs[0].Baseline = catalog.Observation{Year: 2025, Value: dec("88.0")}
	t.KPIs = append(t.KPIs, pricing.KPI{KPI: catalog.KPI{MetricID: "solar_share", Name: "屋顶光伏占比", Unit: "%",
		Direction: catalog.HigherIsBetter, Custom: true, Baseline: catalog.Observation{Year: 2025, Value: dec("4.25")},
		Targets: []catalog.Observation{{Year: 2027, Value: dec("15")}}}, StepDownBp: &down, StepUpBp: &up})
	return t
}

func TestRecordRoundTrips(t *testing.T) {
	terms := roundTrip(t, "terms", richTerms(), EncodeTerms, DecodeTerms)
	want := richTerms()
	if !terms.Facility.Amount.Equal(want.Facility.Amount) || terms.Facility.Subsidy == nil ||
		!terms.Facility.Subsidy.RateBp.Equal(dec("100")) || terms.Facility.Subsidy.EndDate != day("2027-12-01") ||
		terms.KPIs[1].StepDownBp == nil || !terms.KPIs[1].StepDownBp.Equal(dec("12.5")) || terms.KPIs[0].StepUpBp != nil ||
		terms.Tier != want.Tier || terms.KPIs[1].Name != "屋顶光伏占比" || !terms.KPIs[1].Custom {
		t.Errorf("terms decoded as %+v", terms)
	}
	if err := terms.Validate(); err != nil {
		t.Errorf("decoded terms no longer validate: %v", err)
	}

	plan := roundTrip(t, "plan", quotePlan(), EncodePlan, DecodePlan)
	if plan.Borrower.JustTransitionScore == nil || *plan.Borrower.JustTransitionScore != 72 || plan.AsOf != day("2026-11-27") {
		t.Errorf("plan decoded as %+v", plan)
	}
	noScore := quotePlan()
	noScore.Borrower.JustTransitionScore, noScore.Borrower.ObsoleteCapacity = nil, true
	if p := roundTrip(t, "plan without score", noScore, EncodePlan, DecodePlan); p.Borrower.JustTransitionScore != nil {
		t.Errorf("absent score decoded as %v", *p.Borrower.JustTransitionScore)
	}

	f := roundTrip(t, "fixing", pricing.Fixing{EffectiveDate: day("2025-05-20"), OneYear: dec("3.00"), FiveYear: dec("3.5")},
		EncodeFixing, DecodeFixing)
	if err := f.Validate(); err != nil || !f.OneYear.Equal(dec("3")) {
		t.Errorf("fixing decoded as %+v (%v)", f, err)
	}
	a := appendixAttestations()[0]
	a.VerifierName, a.VerifierAccreditation, a.EvidenceSHA256 = "浙江某认证", "CNAS C123", strings.Repeat("ab", 32)
	if got := roundTrip(t, "attestation", a, EncodeAttestation, DecodeAttestation); !reflect.DeepEqual(
		[]any{got.ID, got.Seq, got.VerifierName, got.EvidenceSHA256, got.AcceptedOn}, []any{a.ID, a.Seq, a.VerifierName,
			a.EvidenceSHA256, a.AcceptedOn}) || !got.Value.Equal(a.Value) {
		t.Errorf("attestation decoded as %+v", got)
	}
	p := shippedPolicy(t)
	if got := roundTrip(t, "policy ref", p.Ref(), EncodePolicyRef, DecodePolicyRef); got != p.Ref() {
		t.Errorf("policy ref decoded as %+v", got)
	}
	c := shippedCatalogue(t)
	if got := roundTrip(t, "catalogue ref", c.Ref(), EncodeCatalogueRef, DecodeCatalogueRef); got != c.Ref() {
		t.Errorf("catalogue ref decoded as %+v", got)
	}
}

func TestScheduleAndQuoteRoundTrips(t *testing.T) {
	s, err := pricing.Compute(appendixInput(t))
	if err != nil {
		t.Fatal(err)
	}
	got := roundTrip(t, "schedule", s, EncodeSchedule, DecodeSchedule)
	if len(got.Lines) != 12 || !got.Lines[3].Rate.Equal(dec("3.75")) || got.Lines[3].Start != day("2024-04-01") ||
		!got.TotalInterest.Equal(dec("3069861.11")) || len(got.SPTs) != 3 || got.SPTs[2].Outcome != pricing.NotReported ||
		got.SPTs[0].AttestationID != "att-2023" || len(got.Attestations) != 2 || got.Attestations[1].Outcome != pricing.Missed ||
		len(got.Fixings) != 3 {
		t.Errorf("schedule decoded as %+v", got)
	}
	q, err := pricing.PriceQuote(quoteTerms(), shippedPolicy(t), shippedCurve(t), day("2026-11-27"))
	if err != nil {
		t.Fatal(err)
	}
	gq := roundTrip(t, "quote", q, EncodeQuote, DecodeQuote)
	if !gq.Savings.Equal(q.Savings) || gq.ValidUntil != q.ValidUntil || gq.Policy != q.Policy ||
		gq.Breakdown.AllInRate.String() != "3.3" || len(gq.NoneMet.Lines) != 12 || !gq.AllMet.Lines[11].Subsidy.IsZero() {
		t.Errorf("quote decoded as %+v", gq.Breakdown)
	}
}

func TestAssessmentRoundTrip(t *testing.T) {
	cat := shippedCatalogue(t)
	dec := func(b []byte) (catalog.Assessment, error) { return DecodeAssessment(b, cat) }
	a := roundTrip(t, "assessment", cat.Assess(quotePlan()), EncodeAssessment, dec)
	if !a.Eligible || a.Tier != catalog.Transitioning || a.Industry == nil || a.Industry.Code != "C28" ||
		a.Pathway == nil || a.Pathway.ID != "C28-P01" || a.CoreKPI != "pet_fdy_energy" || len(a.Checks) != 9 ||
		a.Catalogue != cat.Ref() {
		t.Errorf("assessment decoded as %+v", a)
	}
	uncovered := quotePlan()
	uncovered.Borrower.IndustryCode = "A0111"
	none := cat.Assess(uncovered)
	b, _ := EncodeAssessment(none)
	if got, err := DecodeAssessment(b, nil); err != nil || got.Industry != nil || got.Eligible {
		t.Errorf("uncovered assessment decoded as %+v, %v", got, err)
	}
	// An industry can only be resolved in the catalogue the record names.
	b, _ = EncodeAssessment(cat.Assess(quotePlan()))
	if _, err := DecodeAssessment(b, nil); err == nil {
		t.Error("assessment with an industry decoded without its catalogue")
	}
}

// The layout of a record is part of the audit contract: pin one.
func TestFixingRecordLayout(t *testing.T) {
	b, err := EncodeFixing(pricing.Fixing{EffectiveDate: day("2025-05-20"), OneYear: dec("3.00"), FiveYear: dec("3.50")})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"effective_date":"2025-05-20","five_year":"3.5000","one_year":"3.0000","v":1}`; string(b) != want {
		t.Errorf("got %s\nwant %s", b, want)
	}
}

// Values the encoder would have to round are written in full instead.
func TestRecordNeverRounds(t *testing.T) {
	cases := map[string]string{
		rateString(dec("3.12345")): "3.12345", rateString(dec("3.1")): "3.1000", rateString(dec("3.123400")): "3.1234",
		amountString(dec("1.005")): "1.005", amountString(dec("7")): "7.00", amountString(decimal.Decimal{}): "0.00",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

func TestRecordDecodeRefusals(t *testing.T) {
	good := `{"effective_date":"2025-05-20","five_year":"3.5000","one_year":"3.0000","v":1}`
	cases := []struct{ name, doc, field string }{
		{"unknown key", `{"effective_date":"2025-05-20","five_year":"3.5000","one_year":"3.0000","source":"x","v":1}`, ""},
		{"key in another case", `{"effective_date":"2025-05-20","five_year":"3.5000","ONE_YEAR":"3.0000","v":1}`, "ONE_YEAR"},
		{"malformed decimal", `{"effective_date":"2025-05-20","five_year":"3.5x","one_year":"3.0000","v":1}`, "five_year"},
		{"exponent", `{"effective_date":"2025-05-20","five_year":"35e-1","one_year":"3.0000","v":1}`, "five_year"},
		{"number for string", `{"effective_date":"2025-05-20","five_year":3.5,"one_year":"3.0000","v":1}`, ""},
		{"rate not at 4 decimals", `{"effective_date":"2025-05-20","five_year":"3.5","one_year":"3.0000","v":1}`, "five_year"},
		{"bad date", `{"effective_date":"2025-13-20","five_year":"3.5000","one_year":"3.0000","v":1}`, "effective_date"},
		{"empty date", `{"effective_date":"","five_year":"3.5000","one_year":"3.0000","v":1}`, "effective_date"},
		{"version 2", `{"effective_date":"2025-05-20","five_year":"3.5000","one_year":"3.0000","v":2}`, "v"},
		{"no version", `{"effective_date":"2025-05-20","five_year":"3.5000","one_year":"3.0000"}`, "v"},
		{"duplicate key", `{"effective_date":"2025-05-20","five_year":"3.5000","five_year":"3.6000","one_year":"3.0000","v":1}`, ""},
		{"trailing data", good + `{}`, ""},
		{"not an object", `["2025-05-20"]`, ""},
		{"empty", ``, ""},
	}
	for _, c := range cases {
		_, err := DecodeFixing([]byte(c.doc))
		var e *tfpricing.Error
		if !errors.As(err, &e) || e.Code != tfpricing.EUNPROCESSABLE {
			t.Errorf("%s: error %v, want an EUNPROCESSABLE *tfpricing.Error", c.name, err)
			continue
		}
		if c.field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != c.field) {
			t.Errorf("%s: fields %+v, want %s first", c.name, e.Fields, c.field)
		}
	}
	// Whitespace and key order are not content: a re-indented record decodes.
	if _, err := DecodeFixing([]byte(" {\n \"v\": 1, \"one_year\": \"3.0000\", \"five_year\": \"3.5000\", \"effective_date\": \"2025-05-20\"}\n")); err != nil {
		t.Errorf("re-indented record refused: %v", err)
	}
}

// Deep fields are named by their JSON path.
func TestRecordDecodeNamesNestedFields(t *testing.T) {
	b, _ := EncodeTerms(richTerms())
	bad := bytes.Replace(b, []byte(`"value":"76"`), []byte(`"value":"7,6"`), 1)
	bad = bytes.Replace(bad, []byte(`"start_date":"2026-12-01"`), []byte(`"start_date":"2026-12-1"`), 1)
	_, err := DecodeTerms(bad)
	e := appErr(t, err, tfpricing.EUNPROCESSABLE)
	if got := fieldsOf(e); got != "facility.start_date kpis[0].targets[1].value" {
		t.Errorf("fields %q", got)
	}
	s, _ := pricing.Compute(appendixInput(t))
	b, _ = EncodeSchedule(s)
	bad = bytes.Replace(b, []byte(`"rate":"3.7500"`), []byte(`"rate":"3.75"`), 1)
	e = appErr(t, func() error { _, err := DecodeSchedule(bad); return err }(), tfpricing.EUNPROCESSABLE)
	if got := fieldsOf(e); got != "lines[3].rate" {
		t.Errorf("non-canonical rate reported at %q", got)
	}
	q, _ := pricing.PriceQuote(quoteTerms(), shippedPolicy(t), shippedCurve(t), day("2026-11-27"))
	b, _ = EncodeQuote(q)
	bad = bytes.Replace(b, []byte(`"benchmark_date":"2025-05-20","benchmark_name"`),
		[]byte(`"benchmark_date":"20250520","benchmark_name"`), 1)
	e = appErr(t, func() error { _, err := DecodeQuote(bad); return err }(), tfpricing.EUNPROCESSABLE)
	if got := fieldsOf(e); got != "breakdown.benchmark_date" {
		t.Errorf("bad date reported at %q", got)
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	cp := Checkpoint{Seq: 42, HeadHash: strings.Repeat("0f", 32), SignedAt: time.Date(2026, 11, 27, 8, 0, 0, 5, time.UTC),
		KeyID: "ed25519:0123456789abcdef", Signature: "c2lnbmF0dXJl"}
	if got := roundTrip(t, "checkpoint", cp, EncodeCheckpoint, DecodeCheckpoint); got != cp {
		t.Errorf("checkpoint decoded as %+v", got)
	}
}

// A plan KPI and a priced KPI share one record type (so that its keys can
// be declared in order); ratchet steps are still refused in a plan, where
// they would mean nothing, with the KPI named.
func TestPlanRecordRefusesSteps(t *testing.T) {
	b, err := EncodePlan(quotePlan())
	if err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Replace(b, []byte(`"kpis":[{`), []byte(`"kpis":[{"step_down_bp":"-5",`), 1)
	if bytes.Equal(tampered, b) {
		t.Fatal("fixture plan has no KPI")
	}
	_, err = DecodePlan(tampered)
	var e *tfpricing.Error
	if !errors.As(err, &e) || e.Code != tfpricing.EUNPROCESSABLE || len(e.Fields) == 0 || e.Fields[0].Field != "kpis[0]" {
		t.Fatalf("DecodePlan with a step: %v (fields %+v), want EUNPROCESSABLE naming kpis[0]", err, e)
	}
}
