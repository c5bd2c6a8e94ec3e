package loanbook_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/bookcopy"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

// richBook fills a bbolt book with every kind of record: an eligible
// booking, three loaded loans, attestations with a correction, an approved
// amendment (a proposal and a lifecycle), a borrower's emissions, an LPR
// publication that reprices every loan and a due-date sweep.
func richBook(t *testing.T) (*fixture, []string) {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t, "2026-11-27")
	l := f.bookEligible(t)
	p, err := f.svc.ProposeAmendment(ctx, officer, amendment(l, "2026-11-27"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, approver, p.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	ids := append([]string{l.ID}, f.bookMany(t, 3)...)
	dec := decimal.RequireFromString
	if _, err := f.svc.AttestEmissions(ctx, officer, loanbook.EmissionsRequest{Emissions: pricing.Emissions{
		USCC: "91350100M000100Y43", Year: 2026, Scope1: dec("1200"), Scope2: dec("300"), Output: dec("50000"), OutputUnit: "t",
		EquityPlusDebt: dec("80000000"), Source: pricing.SourceVerified, VerifierName: "v", EvidenceSHA256: "00"}}); err != nil {
		t.Fatal(err)
	}
	f.today = tfpricing.NewDate(2027, 3, 10)
	for i, v := range []string{"80", "79"} { // the second corrects the first
		for _, id := range ids[1:] {
			_, err := f.svc.Attest(ctx, tfpricing.Actor{}, loanbook.AttestationRequest{LoanID: id, Attestation: pricing.Attestation{
				MetricID: "pet_fdy_energy", Year: 2026, Value: dec(v), VerifierName: "v", EvidenceSHA256: "00"},
				IdempotencyKey: "k-" + id + "-" + v, RequestBody: []byte{byte(i)}})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	err = f.store.Update(ctx, func(tx loanbook.Tx) error { // a stored quote, as the quote endpoint keeps one
		id, err := tx.NextQuoteID()
		if err != nil {
			return err
		}
		return tx.PutQuote(loanbook.StoredQuote{ID: id, AsOf: f.today, ValidUntil: f.today.AddDays(7), Request: []byte(`{}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	f.publish(t)
	if _, err := f.svc.Sweep(ctx, tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		t.Fatal(err)
	}
	return f, ids
}

// Migrating a bbolt book into PostgreSQL keeps every decision record byte
// for byte; the PostgreSQL book verifies, replays, serves the same
// schedules and continues the ids and the chain; a second migration into
// it is refused; and a backup of it as a bbolt file has the same head.
func TestMigrateToPostgreSQLAndBackUp(t *testing.T) {
	ctx := context.Background()
	f, ids := richBook(t)
	pg, err := pgstore.Open(ctx, pgtest.Database(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Close() })
	bolt := f.store.(*boltstore.Store)

	c, err := bookcopy.Between(ctx, bolt, pg)
	t.Logf("copied %v; head %d", c, c.Head.Seq)
	if err != nil {
		t.Fatal(err)
	}
	head := f.verifyHead(t, bolt)
	if c.Head != head || c.Loans != 4 || c.Quotes != 1 || c.Proposals != 1 || c.Lifecycles != 1 || c.Emissions != 1 ||
		c.Attestations != 6 || c.Idempotency != 6 || c.Fixings == 0 || c.Decisions != int(head.Seq) {
		t.Fatalf("copied %v, head %+v; want 4 loans, 1 quote, 1 proposal, 1 lifecycle, 1 emissions, 6 attestations and idempotency records, head %+v", c, c.Head, head)
	}
	sameRecords(t, bolt, pg, head.Seq)

	g := newFixtureOn(t, "2027-03-10", pgFixtureStore{pg})
	if got := f.verifyHead(t, pg); got != head {
		t.Fatalf("PostgreSQL chain head %+v, want %+v", got, head)
	}
	replayed := 0
	err = g.svc.ReplayRange(ctx, 1, head.Seq, func(seq uint64, res *audit.ReplayResult, _ audit.DecisionKind, err error) {
		replayed++
		if err != nil || res == nil || !res.Match {
			t.Errorf("decision %d does not replay on PostgreSQL: %v %+v", seq, err, res)
		}
	})
	if err != nil || replayed != int(head.Seq) {
		t.Fatalf("replayed %d of %d: %v", replayed, head.Seq, err)
	}
	for _, id := range ids {
		_, a, err1 := f.svc.ScheduleAsOf(ctx, id, f.today)
		_, b, err2 := g.svc.ScheduleAsOf(ctx, id, f.today)
		if err1 != nil || err2 != nil || !a.TotalInterest.Equal(b.TotalInterest) || len(a.Lines) != len(b.Lines) {
			t.Fatalf("loan %s: schedules differ (%v, %v)", id, err1, err2)
		}
	}

	// The copy into a non-empty book is refused, and nothing is written.
	if _, err := bookcopy.Between(ctx, bolt, pg); !errors.Is(err, bookcopy.ErrNotEmpty) {
		t.Fatalf("second migration: %v, want ErrNotEmpty", err)
	}

	// Round trip: PostgreSQL → a new bbolt file, the same head and bytes.
	out := filepath.Join(t.TempDir(), "backup.db")
	back, err := boltstore.Open(out, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bookcopy.Between(ctx, pg, back); err != nil {
		t.Fatal(err)
	}
	if got := f.verifyHead(t, back); got != head {
		t.Fatalf("backup chain head %+v, want %+v", got, head)
	}
	sameRecords(t, pg, back, head.Seq)
	if err := back.Check(); err != nil {
		t.Fatal(err)
	}
	back.Close()

	// GET /v1/admin/backup over PostgreSQL: the same, as a stream.
	var snap bytes.Buffer
	if _, err := pg.Backup(&snap); err != nil {
		t.Fatal(err)
	}
	streamed := filepath.Join(t.TempDir(), "streamed.db")
	if err := os.WriteFile(streamed, snap.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ro, err := boltstore.Open(streamed, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.verifyHead(t, ro); got != head {
		t.Fatalf("streamed backup chain head %+v, want %+v", got, head)
	}
	// Every decision replays from the backup alone: loan decisions read
	// the attestations they reference from it (loan inputs layout 2).
	b := newFixtureOn(t, "2027-03-10", ro)
	replayedBack := 0
	err = b.svc.ReplayRange(ctx, 1, head.Seq, func(seq uint64, res *audit.ReplayResult, _ audit.DecisionKind, err error) {
		replayedBack++
		if err != nil || res == nil || !res.Match {
			t.Errorf("decision %d does not replay from the backup: %v %+v", seq, err, res)
		}
	})
	if err != nil || replayedBack != int(head.Seq) {
		t.Fatalf("replayed %d of %d from the backup: %v", replayedBack, head.Seq, err)
	}
	ro.Close()

	// New ids and decisions continue after the copied ones.
	l := g.bookEligible(t)
	if l.ID != "L-00000005" {
		t.Errorf("new loan on PostgreSQL is %s, want L-00000005", l.ID)
	}
	var quoteID string
	err = pg.Update(ctx, func(tx loanbook.Tx) (err error) { quoteID, err = tx.NextQuoteID(); return err })
	if err != nil || quoteID != "Q-00000002" {
		t.Errorf("new quote on PostgreSQL is %s (%v), want Q-00000002", quoteID, err)
	}
	out2, err := g.svc.Attest(ctx, tfpricing.Actor{}, loanbook.AttestationRequest{LoanID: ids[1], Attestation: pricing.Attestation{
		MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.RequireFromString("78"), VerifierName: "v", EvidenceSHA256: "00"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := out2.Result.Attestation.Seq; got <= 6 { // six attestations were copied, numbered 1 to 6
		t.Errorf("new attestation on PostgreSQL has seq %d, want past the copied 6", got)
	}
	if got := f.verifyHead(t, pg); got.Seq <= head.Seq {
		t.Errorf("chain head %d after a booking, want past %d", got.Seq, head.Seq)
	}
}

func (f *fixture) verifyHead(t *testing.T, a loanbook.Auditor) audit.ChainHead {
	t.Helper()
	rep, err := a.VerifyChain(context.Background(), nil, nil)
	if err != nil || !rep.OK {
		t.Fatalf("chain does not verify: %v %+v", err, rep)
	}
	return rep.Head
}

// sameRecords compares the stored decision records of two stores byte
// for byte.
func sameRecords(t *testing.T, a, b loanbook.Store, n uint64) {
	t.Helper()
	read := func(s loanbook.Store) (recs [][]byte) {
		err := s.View(context.Background(), func(tx loanbook.Tx) (err error) {
			recs, err = tx.DecisionRecords(1, int(n)+1)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	ra, rb := read(a), read(b)
	if len(ra) != int(n) || len(rb) != int(n) {
		t.Fatalf("%d and %d records, want %d", len(ra), len(rb), n)
	}
	for i := range ra {
		if !bytes.Equal(ra[i], rb[i]) {
			t.Fatalf("decision %d differs:\n%s\n%s", i+1, ra[i], rb[i])
		}
	}
}
