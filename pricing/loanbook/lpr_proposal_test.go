package loanbook_test

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

var admin = tfpricing.Actor{KeyID: "k-admin", Role: tfpricing.RoleAdmin}

// An lpr_fixing proposal publishes nothing until approved; approved after
// a later fixing was published meanwhile it is refused and stays pending;
// the sweep expires what is past its date.
func TestFixingProposalAndSweptExpiry(t *testing.T) {
	f := newFixture(t, "2026-11-27")
	ctx := context.Background()
	fx := func(d, one string) pricing.Fixing {
		return pricing.Fixing{EffectiveDate: tfpricing.MustParseDate(d), OneYear: decimal.RequireFromString(one),
			FiveYear: decimal.RequireFromString("3.40")}
	}
	p, err := f.svc.ProposeFixing(ctx, admin, fx("2026-11-20", "2.90"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Curve().InForce(f.today); got.EffectiveDate == tfpricing.MustParseDate("2026-11-20") {
		t.Fatal("a proposed fixing is in force before its approval")
	}
	// Another fixing published directly meanwhile (four eyes off for it).
	if _, err := f.svc.PublishFixing(ctx, admin, fx("2026-11-25", "2.80")); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Decide(ctx, approver, p.ID, true, "")
	wantCode(t, err, tfpricing.EUNPROCESSABLE, "effective_date")
	if got, _ := f.svc.Proposal(ctx, p.ID); got.Status != loanbook.ProposalPending {
		t.Errorf("a refused approval left the proposal %s", got.Status)
	}
	q, err := f.svc.ProposeFixing(ctx, admin, fx("2026-11-26", "2.70"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, approver, q.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Curve().InForce(f.today); !got.OneYear.Equal(decimal.RequireFromString("2.70")) {
		t.Errorf("approved fixing not in force: %+v", got)
	}
	f.today = p.ExpiresOn.AddDays(1)
	if _, err := f.svc.Sweep(ctx, tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		t.Fatal(err)
	}
	ps, _, err := f.svc.Proposals(ctx, loanbook.ProposalFilter{Status: loanbook.ProposalExpired}, "", 10)
	if err != nil || len(ps) != 1 || ps[0].ID != p.ID {
		t.Errorf("expired after the sweep: %v %v, want %s", ps, err, p.ID)
	}
}
