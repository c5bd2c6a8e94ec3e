package audit

import (
	"strings"
	"testing"

	"tfpricing/pricing/canon"
)

// The stored form of a quote request is spelled by QuoteRequest alone. The
// expected text is the request the code before these records stored for
// the fixture's first quote (test/testdata/v1.db, quotes/1), with the
// new_capacity flag rule 9 added after obsolete_capacity (as the transport
// has written it since); nothing of the transport's types takes part. A
// request stored before the flag existed still decodes (to false).
func TestQuoteRequestStoredForm(t *testing.T) {
	score, esg, grade := 72, 70, 3
	q := QuoteRequest{
		Borrower: &RequestBorrower{Name: "湖州某化纤有限公司", USCC: "91350100M000100Y43", IndustryCode: "C2822",
			JustTransitionScore: &score, CreditRating: "AA", ESGScore: &esg, CarbonEfficiencyGrade: &grade},
		PathwayID: "C28-P01",
		KPIs: []RequestKPI{{MetricID: "pet_fdy_energy", Baseline: &RequestObservation{Year: 2022, Value: "88"},
			Targets: []RequestObservation{{2023, "80"}, {2024, "74"}, {2025, "68"}}}},
		Facility: &RequestFacility{Amount: "20000000.00", Currency: "CNY", StartDate: "2023-07-01", TenorMonths: 24,
			Repayment: "bullet", PaymentFrequency: "quarterly"},
		AsOf: "2023-06-25",
	}
	want := `{"borrower":{"name":"湖州某化纤有限公司","uscc":"91350100M000100Y43","industry_code":"C2822","just_transition_score":72,` +
		`"obsolete_capacity":false,"new_capacity":false,"credit_rating":"AA","esg_score":70,"carbon_efficiency_grade":3},"pathway_id":"C28-P01",` +
		`"kpis":[{"metric_id":"pet_fdy_energy","name":"","unit":"","direction":"","baseline":{"year":2022,"value":"88"},` +
		`"targets":[{"year":2023,"value":"80"},{"year":2024,"value":"74"},{"year":2025,"value":"68"}],"step_down_bp":null,` +
		`"step_up_bp":null}],"facility":{"amount":"20000000.00","currency":"CNY","start_date":"2023-07-01","tenor_months":24,` +
		`"repayment":"bullet","payment_frequency":"quarterly","subsidy":null},"as_of":"2023-06-25"}`
	got, err := EncodeQuoteRequest(q)
	if err != nil || string(got) != want {
		t.Fatalf("stored request %v\n got %s\nwant %s", err, got, want)
	}
	back, err := DecodeQuoteRequest(got)
	if again, _ := EncodeQuoteRequest(back); err != nil || string(again) != want {
		t.Errorf("round trip %v: %s", err, again)
	}
	before := strings.Replace(want, `"new_capacity":false,`, "", 1)
	if old, err := DecodeQuoteRequest([]byte(before)); err != nil || old.Borrower.NewCapacity || old.Facility.Amount != "20000000.00" {
		t.Errorf("a request stored before rule 9: %+v %v", old, err)
	}
}

// A simulation decision's inputs and outputs, canonicalised as sealing
// does, written out by hand from the records' tags: sorted keys, null for
// what was not sent, the Monte Carlo and deterministic results told apart
// by kind.
func TestSimulationRecordForm(t *testing.T) {
	seed := uint64(7)
	in := SimulationRequest{Quote: &QuoteRequest{PathwayID: "P", AsOf: "2026-11-27"}, Record: true,
		Scenarios: []SimScenario{{Name: "mc", MonteCarlo: &SimMonteCarlo{Runs: 10, Seed: &seed,
			KPIs: map[string]SimGrowth{"k": {Mean: "-2", SD: "1.5"}}}}}}
	out := SimulationOutputs{Policy: SimPolicyRef{Version: "2026.1", Digest: "d"}, Baseline: SimBaseline{Name: "b"},
		Scenarios: []any{&SimMonteCarloResult{Name: "mc", Kind: "monte_carlo", Runs: 10, Seed: 7, AllMetShare: "0.5000"}}}
	inputs, outputs, err := EncodeSimulation(in, out)
	if err != nil {
		t.Fatal(err)
	}
	wantIn := `{"quote":{"as_of":"2026-11-27","borrower":null,"facility":null,"kpis":null,"pathway_id":"P"},"record":true,` +
		`"scenarios":[{"kpi_values":null,"lpr_path":null,"monte_carlo":{"kpis":{"k":{"annual_change_pct_mean":"-2",` +
		`"annual_change_pct_sd":"1.5"}},"runs":10,"seed":7},"name":"mc","outcomes":null,"projection":"","report_lag_days":null}]}`
	wantOut := `{"as_of":"","baseline":{"name":"b","net_interest":"","source":""},"catalogue":{"digest":"","id":"","version":""},` +
		`"policy":{"digest":"d","version":"2026.1"},"scenarios":[{"all_met_share":"0.5000","kind":"monte_carlo",` +
		`"last_rate":{"mean":"","p5":"","p50":"","p95":""},"name":"mc","runs":10,"seed":7,"spt_met_probability":null,` +
		`"total_interest":{"mean":"","p5":"","p50":"","p95":""}}]}`
	for _, c := range []struct{ name, got, want string }{{"inputs", string(inputs), wantIn}, {"outputs", string(outputs), wantOut}} {
		got, err := canon.Canonical([]byte(c.got))
		if err != nil || string(got) != c.want {
			t.Errorf("%s %v\n got %s\nwant %s", c.name, err, got, c.want)
		}
	}
}
