package storetest

import (
	"fmt"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// testProposals: ids, round trip, filters and paging of ProposalTx.
func testProposals(t *testing.T, s loanbook.Store) {
	var ids []string
	update(t, s, func(tx loanbook.Tx) error {
		for i := range 5 {
			id, err := tx.NextProposalID()
			if err != nil {
				return err
			}
			p := loanbook.Proposal{ID: id, Kind: loanbook.ProposalAmendment, LoanID: "L-00000001",
				Status: loanbook.ProposalPending, ProposedBy: tfpricing.Actor{KeyID: "o", Role: tfpricing.RoleOfficer},
				ProposedOn: day("2026-11-27"), ExpiresOn: day("2026-12-27"), Request: []byte(`{"a":1}`), ProposalSeq: uint64(i + 1)}
			if i%2 == 1 {
				p.Kind, p.LoanID = loanbook.ProposalLPRFixing, ""
				p.Status, p.DecidedOn, p.DecisionSeq, p.Reason = loanbook.ProposalRejected, day("2026-11-28"), 9, "no"
				p.DecidedBy = &tfpricing.Actor{KeyID: "a", Role: tfpricing.RoleApprover}
			}
			if err := tx.PutProposal(p); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if ids[0] != "P-00000001" || ids[4] != "P-00000005" {
		t.Fatalf("ids %v", ids)
	}
	view(t, s, func(tx loanbook.Tx) error {
		p, err := tx.Proposal(ids[1])
		if err != nil {
			return err
		}
		if p.Kind != loanbook.ProposalLPRFixing || p.Status != loanbook.ProposalRejected || p.DecidedBy == nil ||
			p.DecidedBy.KeyID != "a" || p.DecidedOn != day("2026-11-28") || p.Reason != "no" || string(p.Request) != `{"a":1}` ||
			p.ExpiresOn != day("2026-12-27") || p.ProposalSeq != 2 || p.DecisionSeq != 9 {
			t.Errorf("round trip: %+v", p)
		}
		_, err = tx.Proposal("P-00000099")
		wantCode(t, "unknown proposal", err, tfpricing.ENOTFOUND)
		_, err = tx.Proposal("X-1")
		wantCode(t, "malformed proposal id", err, tfpricing.ENOTFOUND)
		page, more, err := tx.Proposals(loanbook.ProposalFilter{Status: loanbook.ProposalPending}, "", 2)
		if err != nil || len(page) != 2 || !more || page[0].ID != ids[0] || page[1].ID != ids[2] {
			t.Errorf("first pending page: %v %v %v", page, more, err)
		}
		page, more, err = tx.Proposals(loanbook.ProposalFilter{Status: loanbook.ProposalPending}, page[1].ID, 2)
		if err != nil || len(page) != 1 || more || page[0].ID != ids[4] {
			t.Errorf("last pending page: %v %v %v", page, more, err)
		}
		// Exactly limit matching: a full page and no more (the boundary of
		// "another one matched after those").
		page, more, err = tx.Proposals(loanbook.ProposalFilter{Status: loanbook.ProposalPending}, "", 3)
		if err != nil || len(page) != 3 || more {
			t.Errorf("pending page of exactly 3: %v %v %v", page, more, err)
		}
		page, _, _ = tx.Proposals(loanbook.ProposalFilter{Kind: loanbook.ProposalLPRFixing}, "", 10)
		if len(page) != 2 {
			t.Errorf("lpr_fixing proposals: %d, want 2", len(page))
		}
		_, _, err = tx.Proposals(loanbook.ProposalFilter{}, "bad", 10)
		wantCode(t, "malformed cursor", err, tfpricing.ENOTFOUND)
		return nil
	})
}

// testLifecycles: a loan's lifecycle is stored beside it and read back
// with it; a loan without one has the zero lifecycle.
func testLifecycles(t *testing.T, s loanbook.Store) {
	update(t, s, func(tx loanbook.Tx) error {
		for range 2 {
			id, err := tx.NextLoanID()
			if err != nil {
				return err
			}
			if err := tx.PutLoan(sampleLoan(id)); err != nil {
				return err
			}
		}
		kpis := sampleLoan("L-00000001").Terms.KPIs
		kpis[0].Targets = append([]catalog.Observation(nil), kpis[0].Targets...)
		kpis[0].Targets[1].Value = dec("73")
		lc := loanbook.LoanLifecycle{Plans: []loanbook.PlanRecord{{PlanVersion: pricing.PlanVersion{Version: 2,
			EffectiveFrom: day("2024-06-01"), Tier: catalog.Advancing, KPIs: kpis}, ReasonCode: "restatement",
			Reason: "r", ProposalID: "P-00000001", ApprovedOn: day("2024-05-30"), DecisionSeq: 7}},
			Declassification: &loanbook.Declassification{EffectiveFrom: day("2025-01-01"), Ground: "misreporting",
				Reason: "m", ProposalID: "P-00000002", ApprovedOn: day("2024-12-20"), DecisionSeq: 8},
			Opinion: &loanbook.Opinion{SecondPartyOpinion: audit.SecondPartyOpinion{LoanID: "L-00000001", Provider: "p",
				Date: day("2023-06-01"), Conclusion: "aligned", ReportSHA256: "ab"}, DecisionSeq: 3}}
		return tx.PutLifecycle("L-00000001", lc)
	})
	view(t, s, func(tx loanbook.Tx) error {
		l, err := tx.Loan("L-00000001")
		if err != nil {
			return err
		}
		lc := l.Lifecycle
		got := fmt.Sprintf("%d %s %s %v %s %d", len(lc.Plans), lc.Plans[0].EffectiveFrom, lc.Plans[0].Tier,
			lc.Plans[0].KPIs[0].Targets[1].Value, lc.Declassification.Ground, lc.Opinion.DecisionSeq)
		if want := "1 2024-06-01 advancing 73 misreporting 3"; got != want {
			t.Errorf("lifecycle read back as %s, want %s", got, want)
		}
		loans, _, err := tx.Loans("", 10)
		if err != nil || len(loans) != 2 || len(loans[0].Lifecycle.Plans) != 1 || len(loans[1].Lifecycle.Plans) != 0 ||
			loans[1].Lifecycle.Declassification != nil {
			t.Errorf("Loans: lifecycles %v, %v (%v)", loans[0].Lifecycle, loans[1].Lifecycle, err)
		}
		wantCode(t, "lifecycle of a malformed loan id", tx.PutLifecycle("nope", loanbook.LoanLifecycle{}), tfpricing.ENOTFOUND)
		return nil
	})
}
