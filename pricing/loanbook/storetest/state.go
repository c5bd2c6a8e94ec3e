package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// The loan book's state: documents, quotes, loans, attestations, schedule
// states, fixings and idempotency records.

func testDocuments(t *testing.T, s loanbook.Store) {
	doc := []byte(`{"id":"x","version":"1"}`)
	update(t, s, func(tx loanbook.Tx) error {
		for i, want := range []bool{true, false} {
			created, err := tx.PutDocument(audit.DocCatalogue, "sha256:bb", doc)
			if err != nil || created != want {
				t.Errorf("put %d: created %v, %v; want %v", i, created, err, want)
			}
		}
		_, err := tx.PutDocument(audit.DocCatalogue, "sha256:aa", doc)
		return err
	})
	view(t, s, func(tx loanbook.Tx) error {
		if b, err := tx.Document(audit.DocCatalogue, "sha256:bb"); err != nil || string(b) != string(doc) {
			t.Errorf("document: %s %v", b, err)
		}
		_, err := tx.Document(audit.DocPolicy, "sha256:bb")
		wantCode(t, "a digest of another kind", err, tfpricing.ENOTFOUND)
		if ds, err := tx.Documents(audit.DocCatalogue); err != nil || fmt.Sprint(ds) != "[sha256:aa sha256:bb]" {
			t.Errorf("documents: %v %v", ds, err)
		}
		return nil
	})
}

func testQuotes(t *testing.T, s loanbook.Store) {
	q := loanbook.StoredQuote{CreatedAt: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), AsOf: day("2026-11-27"),
		ValidUntil: day("2026-12-27"), Request: []byte(`{"pathway_id":"C28-P01"}`), DecisionSeq: 3,
		Catalogue: catalog.Ref{ID: "huzhou-transition", Version: "2.0", Digest: "sha256:57"},
		Policy:    pricing.PolicyRef{Version: "2026.1", Digest: "sha256:53"}}
	update(t, s, func(tx loanbook.Tx) error {
		for _, want := range []string{"Q-00000001", "Q-00000002"} {
			id, err := tx.NextQuoteID()
			if err != nil || id != want {
				t.Errorf("next quote id %q %v, want %s", id, err, want)
			}
		}
		q.ID = "Q-00000002"
		return tx.PutQuote(q)
	})
	q.LoanID = "L-00000001"
	update(t, s, func(tx loanbook.Tx) error { return tx.PutQuote(q) })
	view(t, s, func(tx loanbook.Tx) error {
		got, err := tx.Quote("Q-00000002")
		if err != nil || got.ID != q.ID || !got.CreatedAt.Equal(q.CreatedAt) || got.AsOf != q.AsOf || got.ValidUntil != q.ValidUntil ||
			string(got.Request) != string(q.Request) || got.Catalogue != q.Catalogue || got.Policy != q.Policy ||
			got.DecisionSeq != 3 || got.LoanID != "L-00000001" {
			t.Errorf("quote %+v %v, want %+v", got, err, q)
		}
		for _, id := range []string{"Q-00000009", "L-00000002", "Q-x", ""} {
			_, err := tx.Quote(id)
			wantCode(t, "quote "+id, err, tfpricing.ENOTFOUND)
		}
		return nil
	})
}

func testLoans(t *testing.T, s loanbook.Store) {
	var ids []string
	update(t, s, func(tx loanbook.Tx) error {
		ids = ids[:0]
		for range 3 {
			id, err := tx.NextLoanID()
			if err != nil {
				return err
			}
			if err := tx.PutLoan(sampleLoan(id)); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if fmt.Sprint(ids) != "[L-00000001 L-00000002 L-00000003]" {
		t.Fatalf("loan ids %v", ids)
	}
	view(t, s, func(tx loanbook.Tx) error {
		got, err := tx.Loan("L-00000002")
		if err != nil {
			return err
		}
		if diff := sameLoan(got, sampleLoan("L-00000002")); diff != "" {
			t.Errorf("loan read back differs in its %s: %+v", diff, got)
		}
		for _, id := range []string{"L-00000004", "Q-00000001", "L-0", ""} {
			_, err := tx.Loan(id)
			wantCode(t, "loan "+id, err, tfpricing.ENOTFOUND)
		}
		page, more, err := tx.Loans("", 2)
		if err != nil || len(page) != 2 || !more || page[0].ID != "L-00000001" || page[1].ID != "L-00000002" {
			t.Errorf("first page %d %v %v", len(page), more, err)
		}
		page, more, err = tx.Loans("L-00000002", 2)
		if err != nil || len(page) != 1 || more || page[0].ID != "L-00000003" {
			t.Errorf("second page %d %v %v", len(page), more, err)
		}
		if page, more, err = tx.Loans("L-00000003", 2); err != nil || len(page) != 0 || more {
			t.Errorf("after the last: %d %v %v", len(page), more, err)
		}
		return nil
	})
}

func attestation(seq uint64, year int, value string) pricing.Attestation {
	return pricing.Attestation{ID: pricing.AttestationID(seq), Seq: seq, MetricID: "pet_fdy_energy", Year: year, Value: dec(value),
		AcceptedOn: day("2024-03-15"), VerifierName: "浙江某认证有限公司", VerifierAccreditation: "CNAS C001-M",
		EvidenceSHA256: "abababababababababababababababababababababababababababababababab"}
}

func testAttestations(t *testing.T, s loanbook.Store) {
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
		// Sequences come from the service, out of order across loans.
		for _, a := range []struct {
			loan string
			att  pricing.Attestation
		}{{"L-00000001", attestation(2, 2023, "79")}, {"L-00000002", attestation(1, 2023, "81")},
			{"L-00000001", attestation(7, 2024, "73.50")}} {
			if err := tx.PutAttestation(a.loan, a.att); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx loanbook.Tx) error {
		if n, err := tx.AttestationSequence(); err != nil || n != 7 {
			t.Errorf("attestation sequence %d %v, want 7", n, err)
		}
		atts, err := tx.Attestations("L-00000001")
		if err != nil || len(atts) != 2 {
			t.Fatalf("attestations %v %v", atts, err)
		}
		want := attestation(7, 2024, "73.5")
		a := atts[1]
		if atts[0].Seq != 2 || a.ID != want.ID || a.Seq != 7 || a.MetricID != want.MetricID || a.Year != 2024 || !a.Value.Equal(want.Value) ||
			a.AcceptedOn != want.AcceptedOn || a.VerifierName != want.VerifierName || a.VerifierAccreditation != want.VerifierAccreditation ||
			a.EvidenceSHA256 != want.EvidenceSHA256 {
			t.Errorf("attestation read back %+v, want %+v", a, want)
		}
		if atts, err := tx.Attestations("L-00000009"); err != nil || len(atts) != 0 {
			t.Errorf("unknown loan: %v %v", atts, err)
		}
		return nil
	})
	err := s.Update(ctx, func(tx loanbook.Tx) error { return tx.PutAttestation("L-00000002", attestation(1, 2024, "70")) })
	wantCode(t, "a second attestation with one sequence", err, tfpricing.ECONFLICT)
}

func sampleState(id string, rev uint64) loanbook.ScheduleState {
	return loanbook.ScheduleState{LoanID: id, CalculatedOn: day("2025-06-15"), LatestFixing: day("2025-05-20"), Revision: rev,
		DecisionSeq: 40 + rev, TotalInterest: dec("3093732.64"),
		Rates: []audit.PeriodRate{{Period: 1, Start: day("2023-07-01"), Rate: dec("3.8500")},
			{Period: 2, Start: day("2023-10-01"), Rate: dec("3.75")}},
		SPTs: []loanbook.SPTMark{{MetricID: "pet_fdy_energy", Year: 2023, Outcome: pricing.Met, DeterminedOn: day("2024-03-15")},
			{MetricID: "pet_fdy_energy", Year: 2024, Outcome: pricing.Pending}},
		AttChain: audit.AttestationChain{Count: int(rev), ThroughSeq: 7 * rev, Chain: strings.Repeat(fmt.Sprint(rev), 64)}}
}

func testSchedules(t *testing.T, s loanbook.Store) {
	update(t, s, func(tx loanbook.Tx) error {
		if err := tx.PutSchedule(sampleState("L-00000001", 1)); err != nil {
			return err
		}
		old := sampleState("L-00000003", 1) // written before the chain was kept
		old.AttChain = audit.AttestationChain{}
		if err := tx.PutSchedule(old); err != nil {
			return err
		}
		return tx.PutSchedule(sampleState("L-00000001", 2))
	})
	view(t, s, func(tx loanbook.Tx) error {
		want := sampleState("L-00000001", 2)
		got, err := tx.Schedule("L-00000001")
		if err != nil || got.LoanID != want.LoanID || got.CalculatedOn != want.CalculatedOn || got.Stamp() != want.Stamp() ||
			!got.TotalInterest.Equal(want.TotalInterest) || len(got.Rates) != 2 || !got.Rates[0].Rate.Equal(want.Rates[0].Rate) ||
			got.Rates[1].Start != want.Rates[1].Start || fmt.Sprint(got.SPTs) != fmt.Sprint(want.SPTs) || got.AttChain != want.AttChain {
			t.Errorf("schedule state %+v %v, want %+v", got, err, want)
		}
		if stamp, err := tx.ScheduleStamp("L-00000001"); err != nil || stamp != want.Stamp() {
			t.Errorf("stamp %+v %v, want %+v", stamp, err, want.Stamp())
		}
		if got, err := tx.Schedule("L-00000003"); err != nil || got.AttChain != (audit.AttestationChain{}) {
			t.Errorf("a state stored without an attestation chain reads %+v, %v", got.AttChain, err)
		}
		_, err = tx.Schedule("L-00000002")
		wantCode(t, "schedule of a loan without one", err, tfpricing.ENOTFOUND)
		_, err = tx.ScheduleStamp("L-00000002")
		wantCode(t, "stamp of a loan without one", err, tfpricing.ENOTFOUND)
		return nil
	})
}

func testFixings(t *testing.T, s loanbook.Store) {
	update(t, s, func(tx loanbook.Tx) error {
		for _, f := range []pricing.Fixing{{EffectiveDate: day("2025-06-24"), OneYear: dec("2.9"), FiveYear: dec("3.4")},
			{EffectiveDate: day("2024-10-21"), OneYear: dec("3.10"), FiveYear: dec("3.60")},
			{EffectiveDate: day("2025-06-24"), OneYear: dec("2.95"), FiveYear: dec("3.45")}} {
			if err := tx.PutFixing(f); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx loanbook.Tx) error {
		fs, err := tx.Fixings()
		if err != nil || len(fs) != 2 || fs[0].EffectiveDate != day("2024-10-21") || !fs[0].OneYear.Equal(dec("3.1")) ||
			!fs[1].OneYear.Equal(dec("2.95")) || !fs[1].FiveYear.Equal(dec("3.45")) {
			t.Errorf("fixings %v %v", fs, err)
		}
		return nil
	})
}

func testIdempotency(t *testing.T, s loanbook.Store) {
	r := loanbook.IdempotencyRecord{Key: "attestation:L-00000001\x00k-1", Scope: "attestation:L-00000001",
		RequestHash: "7f0b", CreatedAt: time.Date(2026, 11, 27, 8, 0, 0, 5, time.UTC),
		Result: loanbook.AttestationRef{LoanID: "L-00000001", AttestationSeq: 3, DecisionSeq: 9, Timeliness: pricing.OnTime,
			Outcome: pricing.Met, SPTOutcome: pricing.Met}}
	update(t, s, func(tx loanbook.Tx) error { return tx.PutIdempotency(r) })
	view(t, s, func(tx loanbook.Tx) error {
		got, ok, err := tx.Idempotency(r.Key)
		if err != nil || !ok || got.Key != r.Key || got.Scope != r.Scope || got.RequestHash != r.RequestHash ||
			!got.CreatedAt.Equal(r.CreatedAt) || got.Result != r.Result || got.Verbatim != nil {
			t.Errorf("idempotency record %+v %v %v", got, ok, err)
		}
		if _, ok, err := tx.Idempotency("attestation:L-00000001\x00k-2"); ok || err != nil {
			t.Errorf("an unused key: %v %v", ok, err)
		}
		return nil
	})
}
