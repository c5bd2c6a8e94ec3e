package loanbook_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

var (
	officer  = tfpricing.Actor{KeyID: "k-officer", Role: tfpricing.RoleOfficer}
	approver = tfpricing.Actor{KeyID: "k-approver", Role: tfpricing.RoleApprover}
)

// bookEligible books terms(0) for an eligible C28 borrower through the
// service, so that amendments can be assessed against its catalogue.
func (f *fixture) bookEligible(t *testing.T) loanbook.Loan {
	t.Helper()
	if _, err := f.svc.LoadReference(context.Background(), tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		t.Fatal(err)
	}
	pol, _ := f.ref.Policies.InForce(f.today)
	cat, _ := f.ref.Catalogues.InForce(f.today)
	score := 72
	tm := terms(0)
	plan := catalog.Plan{Borrower: catalog.Borrower{Name: "b", USCC: "91350100M000100Y43", IndustryCode: "C2822",
		JustTransitionScore: &score}, PathwayID: "C28-P01", AsOf: f.today}
	for _, k := range tm.KPIs {
		plan.KPIs = append(plan.KPIs, k.KPI)
	}
	ind, _ := cat.IndustryFor("C2822")
	kpis, err := cat.ResolveKPIs(ind, plan.KPIs)
	if err != nil {
		t.Fatal(err)
	}
	plan.KPIs = kpis
	for i := range tm.KPIs {
		tm.KPIs[i].KPI = kpis[i]
	}
	a := cat.Assess(plan)
	if !a.Eligible {
		t.Fatalf("not eligible: %+v", a.Checks)
	}
	tm.Tier = a.Tier
	l, _, _, err := f.svc.Book(context.Background(), officer, loanbook.Booking{Plan: plan, Assessment: a, Terms: tm,
		Catalogue: cat.Ref(), Policy: pol.Ref()})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *tfpricing.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	if field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != field) {
		t.Fatalf("error %v, want field %s", err, field)
	}
}

// amendment restates the FDY baseline (88 → 82, advancing) from eff.
func amendment(l loanbook.Loan, eff string) loanbook.AmendmentRequest {
	kpis := append([]pricing.KPI(nil), l.Terms.KPIs...)
	kpis[0].Baseline.Value = kpis[0].Baseline.Value.Sub(kpis[0].Baseline.Value).Add(decimalOf("82"))
	return loanbook.AmendmentRequest{LoanID: l.ID, EffectiveFrom: tfpricing.MustParseDate(eff), ReasonCode: "restatement",
		Reason: "baseline restated after the 2025 audit", KPIs: kpis}
}

// Four eyes (DESIGN.md §5.1): the proposing key cannot approve; of eight
// concurrent approvals exactly one takes effect; the amendment is a new
// plan version and every decision of the proposal's life replays.
func TestProposalFourEyesAndConcurrentApprovals(t *testing.T) {
	f := newFixture(t, "2026-11-27")
	l := f.bookEligible(t)
	ctx := context.Background()
	_, err := f.svc.ProposeAmendment(ctx, officer, amendment(l, "2026-11-26"))
	wantCode(t, err, tfpricing.EUNPROCESSABLE, "effective_from")
	p, err := f.svc.ProposeAmendment(ctx, officer, amendment(l, "2026-11-27")) // the business date itself is allowed
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != loanbook.ProposalPending || p.ExpiresOn != tfpricing.MustParseDate("2026-12-27") {
		t.Fatalf("proposal %+v: want pending until 2026-12-27 (30 days)", p)
	}
	_, err = f.svc.Decide(ctx, tfpricing.Actor{KeyID: "k-officer", Role: tfpricing.RoleApprover}, p.ID, true, "")
	wantCode(t, err, tfpricing.EFORBIDDEN, "")

	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, conflicts := 0, 0
	for range 8 {
		wg.Go(func() {
			_, err := f.svc.Decide(ctx, approver, p.ID, true, "")
			mu.Lock()
			defer mu.Unlock()
			switch tfpricing.ErrorCode(err) {
			case "":
				ok++
			case tfpricing.ECONFLICT:
				conflicts++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok != 1 || conflicts != 7 {
		t.Fatalf("%d approvals took effect and %d conflicted, want 1 and 7", ok, conflicts)
	}
	got, _, err := f.svc.Loan(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Lifecycle.Plans); n != 1 || got.Lifecycle.Plans[0].Version != 2 || got.Lifecycle.Plans[0].Tier != catalog.Advancing {
		t.Fatalf("plans %+v, want one version 2, advancing", got.Lifecycle.Plans)
	}
	kinds := map[audit.DecisionKind]int{}
	ds, _, err := f.svc.Decisions(ctx, loanbook.DecisionFilter{}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		kinds[d.Kind]++
		res, _, err := f.svc.Replay(ctx, d.Seq)
		if err != nil || !res.Match {
			t.Errorf("replay of %d (%s): %v %+v", d.Seq, d.Kind, err, res.Differences)
		}
	}
	if kinds[audit.DecisionProposal] != 1 || kinds[audit.DecisionProposalApproval] != 1 || kinds[audit.DecisionAmendment] != 1 {
		t.Errorf("decisions by kind %v", kinds)
	}
	_, err = f.svc.Decide(ctx, approver, p.ID, false, "too late")
	wantCode(t, err, tfpricing.ECONFLICT, "")
	f.storedIsRecomputed(t, l.ID)
}

// A proposal can be approved on its expiry date and not the day after: the
// late approval records the expiry and answers 409.
func TestProposalExpiry(t *testing.T) {
	f := newFixture(t, "2026-11-27")
	l := f.bookEligible(t)
	ctx := context.Background()
	d := loanbook.DeclassificationRequest{LoanID: l.ID, EffectiveFrom: tfpricing.MustParseDate("2027-12-01"),
		Ground: "misreporting", Reason: "verifier found figures misstated"}
	p1, err := f.svc.ProposeDeclassification(ctx, officer, d)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := f.svc.ProposeDeclassification(ctx, officer, d)
	if err != nil {
		t.Fatal(err)
	}
	f.today = p1.ExpiresOn // 2026-12-27: still valid
	if _, err := f.svc.Decide(ctx, approver, p1.ID, false, "not proven"); err != nil {
		t.Fatalf("rejection on the expiry date: %v", err)
	}
	f.today = p2.ExpiresOn.AddDays(1)
	_, err = f.svc.Decide(ctx, approver, p2.ID, true, "")
	wantCode(t, err, tfpricing.ECONFLICT, "")
	got, err := f.svc.Proposal(ctx, p2.ID)
	if err != nil || got.Status != loanbook.ProposalExpired || got.DecidedBy == nil || got.DecidedBy.KeyID != "system" {
		t.Fatalf("proposal after a late approval: %+v %v, want expired by system", got, err)
	}
	if l2, _, _ := f.svc.Loan(ctx, l.ID); l2.Lifecycle.Declassification != nil {
		t.Error("an expired declassification took effect")
	}
	ds, _, _ := f.svc.Decisions(ctx, loanbook.DecisionFilter{Kind: audit.DecisionProposalExpiry}, 0, 10)
	if len(ds) != 1 {
		t.Errorf("%d expiry decisions, want 1", len(ds))
	}
	for _, d := range ds {
		if res, _, err := f.svc.Replay(ctx, d.Seq); err != nil || !res.Match {
			t.Errorf("replay of the expiry: %v %+v", err, res)
		}
	}
}

// The §5.1 refusals of an amendment made on 2028-06-01, when the 2026 and
// 2027 targets (due 2027-04-30, 2028-04-29: 2028 is a leap year) are past their deadlines and
// 2028's (due 2029-04-30) is not.
func TestAmendmentPastYears(t *testing.T) {
	f := newFixture(t, "2026-11-27")
	l := f.bookEligible(t)
	f.today = tfpricing.MustParseDate("2028-06-01")
	ctx := context.Background()
	change := func(metric, year int, v string) loanbook.AmendmentRequest {
		r := amendment(l, "2028-06-01")
		r.KPIs = append([]pricing.KPI(nil), r.KPIs...)
		k := r.KPIs[metric]
		k.Targets = append([]catalog.Observation(nil), k.Targets...)
		for i := range k.Targets {
			if k.Targets[i].Year == year {
				k.Targets[i].Value = decimalOf(v)
			}
		}
		r.KPIs[metric] = k
		return r
	}
	_, err := f.svc.ProposeAmendment(ctx, officer, change(1, 2027, "1.45"))
	wantCode(t, err, tfpricing.EUNPROCESSABLE, "kpis[1].targets[1]")
	if _, err := f.svc.ProposeAmendment(ctx, officer, change(1, 2028, "1.35")); err != nil {
		t.Errorf("changing the 2028 target: %v", err)
	}
	// On 2028-04-29 itself 2027 is not yet past: effective_from equal to
	// the due date may change it.
	f.today = tfpricing.MustParseDate("2028-04-29")
	r := change(1, 2027, "1.45")
	r.EffectiveFrom = f.today
	if _, err := f.svc.ProposeAmendment(ctx, officer, r); err != nil {
		t.Errorf("changing 2027 from its due date: %v", err)
	}
	// A new KPI with a past target year, and an amended plan that is no
	// longer eligible (final FDY target above the baseline level 83).
	r = amendment(l, "2028-06-01")
	f.today = r.EffectiveFrom
	r.KPIs[1].MetricID, r.KPIs[1].Name, r.KPIs[1].Unit = "pet_poy_energy", "", ""
	_, err = f.svc.ProposeAmendment(ctx, officer, r)
	wantCode(t, err, tfpricing.EUNPROCESSABLE, "kpis[1].targets[0].year")
	r = change(0, 2030, "90")
	_, err = f.svc.ProposeAmendment(ctx, officer, r)
	var e *tfpricing.Error
	if !errors.As(err, &e) || e.Code != tfpricing.EUNPROCESSABLE || e.Extensions["assessment"] == nil {
		t.Errorf("ineligible amendment: %v, want 422 with the assessment", err)
	}
}

func decimalOf(s string) decimal.Decimal { return decimal.RequireFromString(s) }
