// Package storetest is the contract of loanbook.Store, as tests any
// implementation runs unchanged:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) loanbook.Store { return openFresh(t) })
//	}
//
// open must return an empty store that lives until the test ends (and
// check its own consistency then). The tests speak only the interface, in
// domain values, so what they require is what the loan book relies on.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Run runs every contract test against stores made by open, each test on
// a fresh one.
func Run(t *testing.T, open func(t *testing.T) loanbook.Store) {
	for _, c := range []struct {
		name string
		test func(*testing.T, loanbook.Store)
	}{
		{"Documents", testDocuments},
		{"Quotes", testQuotes},
		{"Loans", testLoans},
		{"Attestations", testAttestations},
		{"Schedules", testSchedules},
		{"Fixings", testFixings},
		{"Idempotency", testIdempotency},
		{"DecisionChain", testDecisionChain},
		{"DecisionListing", testDecisionListing},
		{"UpdateIsAtomic", testUpdateIsAtomic},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"Proposals", testProposals},
		{"Lifecycles", testLifecycles},
	} {
		t.Run(c.name, func(t *testing.T) { c.test(t, open(t)) })
	}
}

var ctx = context.Background()

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) tfpricing.Date { return tfpricing.MustParseDate(s) }

// update and view run fn and fail the test on an error.
func update(t *testing.T, s loanbook.Store, fn func(loanbook.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, s loanbook.Store, fn func(loanbook.Tx) error) {
	t.Helper()
	if err := s.View(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if tfpricing.ErrorCode(err) != code {
		t.Errorf("%s: error %v, want code %s", what, err, code)
	}
}

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

// sampleLoan is the Appendix A loan as booked, with every optional part set.
func sampleLoan(id string) loanbook.Loan {
	score := 72
	down := dec("12.5")
	return loanbook.Loan{ID: id, ExternalRef: "HZ-2023-007", QuoteID: "Q-00000001",
		BookedAt: time.Date(2023, 6, 25, 1, 2, 3, 456789, time.UTC), BookedOn: day("2023-06-25"), AsOf: day("2023-06-25"),
		Borrower: catalog.Borrower{Name: "湖州某化纤有限公司", USCC: "91350100M000100Y43", IndustryCode: "C2822",
			JustTransitionScore: &score},
		PathwayID: "C28-P01",
		Terms: pricing.Terms{Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70, CarbonGrade: 3,
			KPIs: []pricing.KPI{{KPI: catalog.KPI{MetricID: "pet_fdy_energy", Name: "PET FDY energy", Unit: "kgce/t",
				Direction: catalog.LowerIsBetter, Baseline: catalog.Observation{Year: 2022, Value: dec("88")},
				Targets: []catalog.Observation{{Year: 2023, Value: dec("80")}, {Year: 2024, Value: dec("74.5")}}},
				StepDownBp: &down}},
			Facility: pricing.Facility{Amount: dec("50000000.00"), Currency: "CNY", StartDate: day("2023-07-01"),
				TenorMonths: 36, Repayment: pricing.EqualPrincipal, PaymentFrequency: 3,
				Subsidy: &pricing.Subsidy{RateBp: dec("100"), EndDate: day("2024-07-01")}}},
		Catalogue: catalog.Ref{ID: "huzhou-transition", Version: "2.0", Digest: "sha256:57"},
		Policy:    pricing.PolicyRef{Version: "2026.1", Digest: "sha256:53"},
		Request:   []byte(`{"pathway_id":"C28-P01"}`)}
}

// sameLoan compares loans by value (decimals by Equal, whatever their
// scale) and names the first difference.
func sameLoan(a, b loanbook.Loan) string {
	switch {
	case a.ID != b.ID || a.ExternalRef != b.ExternalRef || a.QuoteID != b.QuoteID || !a.BookedAt.Equal(b.BookedAt) ||
		a.BookedOn != b.BookedOn || a.AsOf != b.AsOf || a.PathwayID != b.PathwayID || a.Catalogue != b.Catalogue ||
		a.Policy != b.Policy || string(a.Request) != string(b.Request):
		return "header"
	case a.Borrower.Name != b.Borrower.Name || a.Borrower.USCC != b.Borrower.USCC || a.Borrower.IndustryCode != b.Borrower.IndustryCode ||
		a.Borrower.ObsoleteCapacity != b.Borrower.ObsoleteCapacity ||
		fmt.Sprint(deref(a.Borrower.JustTransitionScore)) != fmt.Sprint(deref(b.Borrower.JustTransitionScore)):
		return "borrower"
	}
	ta, tb := a.Terms, b.Terms
	fa, fb := ta.Facility, tb.Facility
	switch {
	case ta.Tier != tb.Tier || ta.CreditRating != tb.CreditRating || ta.ESGScore != tb.ESGScore || ta.CarbonGrade != tb.CarbonGrade ||
		len(ta.KPIs) != len(tb.KPIs):
		return "terms"
	case !fa.Amount.Equal(fb.Amount) || fa.Currency != fb.Currency || fa.StartDate != fb.StartDate || fa.TenorMonths != fb.TenorMonths ||
		fa.Repayment != fb.Repayment || fa.PaymentFrequency != fb.PaymentFrequency || (fa.Subsidy == nil) != (fb.Subsidy == nil) ||
		fa.Subsidy != nil && (!fa.Subsidy.RateBp.Equal(fb.Subsidy.RateBp) || fa.Subsidy.EndDate != fb.Subsidy.EndDate):
		return "facility"
	}
	for i := range ta.KPIs {
		ka, kb := ta.KPIs[i], tb.KPIs[i]
		if ka.MetricID != kb.MetricID || ka.Name != kb.Name || ka.Unit != kb.Unit || ka.Direction != kb.Direction || ka.Custom != kb.Custom ||
			!sameObs(ka.Baseline, kb.Baseline) || len(ka.Targets) != len(kb.Targets) ||
			!sameDec(ka.StepDownBp, kb.StepDownBp) || !sameDec(ka.StepUpBp, kb.StepUpBp) {
			return fmt.Sprintf("kpi %d", i)
		}
		for j := range ka.Targets {
			if !sameObs(ka.Targets[j], kb.Targets[j]) {
				return fmt.Sprintf("kpi %d target %d", i, j)
			}
		}
	}
	return ""
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func sameObs(a, b catalog.Observation) bool { return a.Year == b.Year && a.Value.Equal(b.Value) }

func sameDec(a, b *decimal.Decimal) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
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
			{MetricID: "pet_fdy_energy", Year: 2024, Outcome: pricing.Pending}}}
}

func testSchedules(t *testing.T, s loanbook.Store) {
	update(t, s, func(tx loanbook.Tx) error {
		if err := tx.PutSchedule(sampleState("L-00000001", 1)); err != nil {
			return err
		}
		return tx.PutSchedule(sampleState("L-00000001", 2))
	})
	view(t, s, func(tx loanbook.Tx) error {
		want := sampleState("L-00000001", 2)
		got, err := tx.Schedule("L-00000001")
		if err != nil || got.LoanID != want.LoanID || got.CalculatedOn != want.CalculatedOn || got.Stamp() != want.Stamp() ||
			!got.TotalInterest.Equal(want.TotalInterest) || len(got.Rates) != 2 || !got.Rates[0].Rate.Equal(want.Rates[0].Rate) ||
			got.Rates[1].Start != want.Rates[1].Start || fmt.Sprint(got.SPTs) != fmt.Sprint(want.SPTs) {
			t.Errorf("schedule state %+v %v, want %+v", got, err, want)
		}
		if stamp, err := tx.ScheduleStamp("L-00000001"); err != nil || stamp != want.Stamp() {
			t.Errorf("stamp %+v %v, want %+v", stamp, err, want.Stamp())
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

// simulation returns a decision that needs no documents: a simulation.
func simulation(loanID string, bd string, n int) audit.Decision {
	return audit.Decision{Kind: audit.DecisionSimulation, LoanID: loanID, Actor: tfpricing.Actor{KeyID: "k", Role: "analyst"},
		RecordedAt: time.Date(2026, 11, 27, 8, 0, n, 0, time.UTC), BusinessDate: day(bd), AsOf: day(bd),
		Inputs: []byte(fmt.Sprintf(`{"n":%d}`, n)), Outputs: []byte(`{"b":1,"a":[]}`), EngineVersion: audit.EngineVersion}
}

func testDecisionChain(t *testing.T, s loanbook.Store) {
	view(t, s, func(tx loanbook.Tx) error {
		if h, err := tx.ChainHead(); err != nil || h.Seq != 0 || h.Hash != audit.GenesisHash {
			t.Errorf("empty chain head %+v %v", h, err)
		}
		return nil
	})
	var appended []audit.Decision
	for i := range 3 {
		update(t, s, func(tx loanbook.Tx) error {
			d := simulation("", "2026-11-27", i)
			if err := tx.AppendDecision(&d); err != nil {
				return err
			}
			appended = append(appended[:i], d)
			return nil
		})
	}
	view(t, s, func(tx loanbook.Tx) error {
		prev := audit.GenesisHash
		for i, d := range appended {
			if d.Seq != uint64(i+1) || d.PrevHash != prev || d.Hash == "" || d.OutputDigest == "" {
				t.Errorf("decision %d sealed as %+v", i+1, d)
			}
			prev = d.Hash
			got, err := tx.Decision(d.Seq)
			if err != nil || got.Hash != d.Hash || string(got.Outputs) != `{"a":[],"b":1}` || got.Kind != d.Kind {
				t.Errorf("decision %d read back %+v %v", d.Seq, got, err)
			}
		}
		if h, err := tx.ChainHead(); err != nil || h.Seq != 3 || h.Hash != prev {
			t.Errorf("chain head %+v %v, want 3 %s", h, err, prev)
		}
		_, err := tx.Decision(4)
		wantCode(t, "decision 4", err, tfpricing.ENOTFOUND)
		recs, err := tx.DecisionRecords(2, 5)
		if err != nil || len(recs) != 2 {
			t.Fatalf("records from 2: %d %v", len(recs), err)
		}
		for i, r := range recs {
			if d, err := audit.DecodeDecision(r); err != nil || d.Seq != uint64(i+2) || string(r) != string(appended[i+1].CanonicalBytes()) {
				t.Errorf("stored record %d: %v\n%s", i+2, err, r)
			}
		}
		return nil
	})
	report, err := audit.VerifyChain(func() func() (audit.Decision, bool, error) {
		seq := uint64(0)
		return func() (audit.Decision, bool, error) {
			seq++
			var d audit.Decision
			err := s.View(ctx, func(tx loanbook.Tx) (err error) { d, err = tx.Decision(seq); return err })
			if tfpricing.ErrorCode(err) == tfpricing.ENOTFOUND {
				return audit.Decision{}, false, nil
			}
			return d, err == nil, err
		}
	}())
	if err != nil || !report.OK || report.Checked != 3 {
		t.Errorf("the stored chain does not verify: %+v %v", report, err)
	}
}

func testDecisionListing(t *testing.T, s loanbook.Store) {
	update(t, s, func(tx loanbook.Tx) error {
		for i, c := range []struct{ loan, bd string }{{"L-00000001", "2026-11-27"}, {"", "2026-11-28"},
			{"L-00000002", "2026-11-28"}, {"L-00000001", "2026-11-29"}, {"L-00000001", "2026-11-30"}} {
			d := simulation(c.loan, c.bd, i)
			if err := tx.AppendDecision(&d); err != nil {
				return err
			}
		}
		return nil
	})
	list := func(f loanbook.DecisionFilter, after uint64, limit int) string {
		var out string
		view(t, s, func(tx loanbook.Tx) error {
			ds, more, err := tx.Decisions(f, after, limit)
			if err != nil {
				return err
			}
			for _, d := range ds {
				out += fmt.Sprint(d.Seq, " ")
			}
			out += fmt.Sprint(more)
			return nil
		})
		return out
	}
	for _, c := range []struct {
		f     loanbook.DecisionFilter
		after uint64
		limit int
		want  string
	}{
		{loanbook.DecisionFilter{}, 0, 10, "1 2 3 4 5 false"},
		{loanbook.DecisionFilter{}, 0, 2, "1 2 true"},
		{loanbook.DecisionFilter{}, 2, 2, "3 4 true"},
		{loanbook.DecisionFilter{LoanID: "L-00000001"}, 0, 2, "1 4 true"},
		{loanbook.DecisionFilter{LoanID: "L-00000001"}, 4, 2, "5 false"},
		{loanbook.DecisionFilter{From: day("2026-11-28"), To: day("2026-11-29")}, 0, 10, "2 3 4 false"},
		{loanbook.DecisionFilter{Kind: audit.DecisionQuote}, 0, 10, "false"},
		{loanbook.DecisionFilter{LoanID: "L-00000009"}, 0, 10, "false"},
	} {
		if got := list(c.f, c.after, c.limit); got != c.want {
			t.Errorf("%+v after %d limit %d: %s, want %s", c.f, c.after, c.limit, got, c.want)
		}
	}
}

// An Update whose function fails leaves nothing behind, and returns that
// error; a committed one is seen by the next View.
func testUpdateIsAtomic(t *testing.T, s loanbook.Store) {
	boom := errors.New("refused")
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		id, err := tx.NextLoanID()
		if err != nil {
			return err
		}
		if err := tx.PutLoan(sampleLoan(id)); err != nil {
			return err
		}
		d := simulation(id, "2026-11-27", 1)
		if err := tx.AppendDecision(&d); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update: %v, want the function's error", err)
	}
	view(t, s, func(tx loanbook.Tx) error {
		_, err := tx.Loan("L-00000001")
		wantCode(t, "a loan written by a failed update", err, tfpricing.ENOTFOUND)
		if h, err := tx.ChainHead(); err != nil || h.Seq != 0 {
			t.Errorf("chain head after a failed update: %+v %v", h, err)
		}
		return nil
	})
	update(t, s, func(tx loanbook.Tx) error {
		id, err := tx.NextLoanID()
		if err != nil {
			return err
		}
		return tx.PutLoan(sampleLoan(id))
	})
	view(t, s, func(tx loanbook.Tx) error {
		_, err := tx.Loan("L-00000001")
		return err
	})
}

// Concurrent updates, some failing, each commit or not as a whole: the
// chain holds exactly the decisions of the updates that succeeded, in one
// unbroken sequence.
func testConcurrentUpdates(t *testing.T, s loanbook.Store) {
	const n = 40
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- s.Update(ctx, func(tx loanbook.Tx) error {
				d := simulation("", "2026-11-27", i)
				if err := tx.AppendDecision(&d); err != nil {
					return err
				}
				if i%5 == 0 {
					return fmt.Errorf("refused %d", i)
				}
				return nil
			})
		}()
	}
	failed := 0
	for range n {
		if err := <-errs; err != nil {
			failed++
		}
	}
	if failed != n/5 {
		t.Errorf("%d updates failed, want %d", failed, n/5)
	}
	view(t, s, func(tx loanbook.Tx) error {
		h, err := tx.ChainHead()
		if err != nil || h.Seq != n-n/5 {
			t.Errorf("chain head %+v %v, want %d", h, err, n-n/5)
		}
		seen := map[string]bool{}
		prev := audit.GenesisHash
		for seq := uint64(1); seq <= h.Seq; seq++ {
			d, err := tx.Decision(seq)
			if err != nil || d.PrevHash != prev {
				t.Fatalf("decision %d: %v, prev %s want %s", seq, err, d.PrevHash, prev)
			}
			prev = d.Hash
			if seen[string(d.Inputs)] {
				t.Errorf("decision %s stored twice", d.Inputs)
			}
			seen[string(d.Inputs)] = true
		}
		return nil
	})
}
