package audit

import (
	"bytes"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
)

func sealedStep(t *testing.T, in ProposalInputs) Decision {
	t.Helper()
	d, _, err := in.Decision()
	if err != nil {
		t.Fatal(err)
	}
	d.Seq, d.Actor, d.RecordedAt, d.BusinessDate = 1, fixtureActor(tfpricing.RoleApprover), fixtureTime, in.On
	return redecode(t, reseal(t, d, GenesisHash))
}

// Every proposal step replays; a step the rules forbid does not: an
// approval recorded after the expiry date, an expiry recorded on it.
func TestReplayProposalSteps(t *testing.T) {
	base := ProposalInputs{ProposalID: "P-00000001", Kind: "amendment", LoanID: "L-00000001", ProposedBy: "dev-officer",
		On: day("2026-11-27"), Step: StepProposed, ValidityDays: 30, Request: []byte(`{"reason": "r", "effective_from": "2027-01-01"}`)}
	d := sealedStep(t, base)
	wantMatch(t, d, replay(t, d, memDocs{}))
	if !strings.Contains(string(d.Outputs), `"expires_on":"2026-12-27"`) || d.Kind != DecisionProposal {
		t.Errorf("proposal outputs %s (%s)", d.Outputs, d.Kind)
	}
	for _, c := range []struct {
		step ProposalStep
		on   string
		kind DecisionKind
	}{{StepApproved, "2026-12-27", DecisionProposalApproval}, {StepRejected, "2026-12-01", DecisionProposalRejection},
		{StepExpired, "2026-12-28", DecisionProposalExpiry}} {
		in := base
		in.Step, in.On, in.ExpiresOn, in.ValidityDays, in.Request = c.step, day(c.on), day("2026-12-27"), 0, nil
		d := sealedStep(t, in)
		if d.Kind != c.kind {
			t.Errorf("%s recorded as %s", c.step, d.Kind)
		}
		wantMatch(t, d, replay(t, d, memDocs{}))
	}
	// The boundaries: approving the day after the expiry date, expiring on it.
	for _, c := range []struct {
		step ProposalStep
		on   string
	}{{StepApproved, "2026-12-28"}, {StepExpired, "2026-12-27"}} {
		in := base
		in.Step, in.On, in.ExpiresOn, in.ValidityDays, in.Request = c.step, day(c.on), day("2026-12-27"), 0, nil
		if _, err := in.Outcome(); err == nil {
			t.Errorf("%s on %s accepted", c.step, c.on)
		}
	}
	// A tampered input (the expiry date moved) no longer replays.
	d = sealedStep(t, ProposalInputs{ProposalID: "P-1", Kind: "lpr_fixing", ProposedBy: "a", Step: StepApproved,
		On: day("2026-12-27"), ExpiresOn: day("2026-12-27")})
	d.Inputs = bytes.Replace(d.Inputs, []byte(`2026-12-27","kind`), []byte(`2026-12-26","kind`), 1)
	if _, err := Replay(d, memDocs{}); err == nil {
		t.Error("an approval after the recorded expiry replayed")
	}
}

// A second-party opinion replays; a loan decision's lifecycle survives
// the record, and a loan without one records no "lifecycle" member.
func TestReplayOpinionAndLifecycleInputs(t *testing.T) {
	o := SecondPartyOpinion{LoanID: "L-00000001", Provider: "p", Date: day("2026-11-20"), Conclusion: "aligned",
		ReportSHA256: strings.Repeat("ab", 32)}
	d, err := o.Decision(day("2026-11-27"))
	if err != nil {
		t.Fatal(err)
	}
	d.Seq, d.Actor, d.RecordedAt, d.BusinessDate = 1, fixtureActor(tfpricing.RoleOfficer), fixtureTime, day("2026-11-27")
	d = redecode(t, reseal(t, d, GenesisHash))
	wantMatch(t, d, replay(t, d, memDocs{}))
	o.Conclusion = "mostly"
	if _, err := o.Decision(day("2026-11-27")); err == nil {
		t.Error("an unknown conclusion was recorded")
	}

	terms := appendixTerms()
	plain, err := NewLoanInputs("L-1", terms, nil, day("2026-11-27"), nil, pricing.Schedule{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := plain.Encode()
	if err != nil || strings.Contains(string(raw), "lifecycle") {
		t.Fatalf("inputs of a loan without a lifecycle: %s %v", raw, err)
	}
	v2 := append([]pricing.KPI(nil), terms.KPIs...)
	down := dec("12.5")
	v2[0].StepDownBp = &down
	plain.Lifecycle = pricing.Lifecycle{DeclassifiedFrom: day("2027-01-01"), Amendments: []pricing.PlanVersion{
		{Version: 2, EffectiveFrom: day("2026-12-01"), Tier: catalog.Advancing, KPIs: v2}}}
	raw, err = plain.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeLoanInputs(raw)
	if err != nil {
		t.Fatal(err)
	}
	l := back.Lifecycle
	if l.DeclassifiedFrom != day("2027-01-01") || len(l.Amendments) != 1 || l.Amendments[0].Tier != catalog.Advancing ||
		!l.Amendments[0].KPIs[0].StepDownBp.Equal(down) || l.Amendments[0].EffectiveFrom != day("2026-12-01") {
		t.Errorf("lifecycle read back as %+v", l)
	}
}
