package pgstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

// sent records every statement the pool's connections send, and whether
// any batch or query failed.
type sent struct {
	mu     sync.Mutex
	on     bool
	stmts  []string
	failed int
}

func (s *sent) add(sql string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.on {
		s.stmts = append(s.stmts, strings.Join(strings.Fields(sql), " "))
	}
}
func (s *sent) fail(err error) {
	if err != nil {
		s.mu.Lock()
		s.failed++
		s.mu.Unlock()
	}
}
func (s *sent) start() {
	s.mu.Lock()
	s.on, s.stmts, s.failed = true, nil, 0
	s.mu.Unlock()
}

// count returns how many statements sent contain part.
func (s *sent) count(part string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.stmts {
		if strings.Contains(q, part) {
			n++
		}
	}
	return n
}

func (s *sent) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	s.add(d.SQL)
	return ctx
}
func (s *sent) TraceQueryEnd(_ context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) { s.fail(d.Err) }
func (s *sent) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}
func (s *sent) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	s.add(d.SQL)
	s.fail(d.Err)
}
func (s *sent) TraceBatchEnd(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchEndData) { s.fail(d.Err) }

func openTraced(t *testing.T) (*pgstore.Store, *sent) {
	t.Helper()
	tr := &sent{}
	s, err := pgstore.Open(context.Background(), pgtest.Database(t), pgstore.Options{Tracer: tr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, tr
}

// The rows one transaction of group commit writes to a table go as one
// statement: three schedules (two of one loan: only the last is sent, as
// one statement may not update a row twice), two attestations, two
// decisions and two idempotency records make four statements, none of
// which fails, and read back as written — the later schedule of the loan
// written twice.
func TestMergedRows(t *testing.T) {
	s, tr := openTraced(t)
	ctx := context.Background()
	tr.start()
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		for _, st := range []loanbook.ScheduleState{{LoanID: "L-00000002", Revision: 1}, {LoanID: "L-00000003", Revision: 7},
			{LoanID: "L-00000002", Revision: 2}} {
			if err := tx.PutSchedule(st); err != nil {
				return err
			}
		}
		for i := range 2 {
			d := decision(i)
			if err := tx.AppendDecision(&d); err != nil {
				return err
			}
			if err := tx.PutAttestation("L-00000002", attestationN(uint64(10+i))); err != nil {
				return err
			}
			key := []string{"attestation:L-00000002\x00a", "b"}[i]
			if err := tx.PutIdempotency(loanbook.IdempotencyRecord{Key: key, Scope: "s", RequestHash: "h"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := tr.count("unnest("); n != 4 || tr.failed != 0 {
		t.Errorf("%d merged statements sent, %d failed; want 4, none failed:\n%s", n, tr.failed, strings.Join(tr.stmts, "\n"))
	}
	if got := chainOf(t, s); len(got) != 2 {
		t.Errorf("chain %v, want 2 decisions", got)
	}
	err = s.View(ctx, func(tx loanbook.Tx) error {
		for id, rev := range map[string]uint64{"L-00000002": 2, "L-00000003": 7} {
			if st, err := tx.ScheduleStamp(id); err != nil || st.Revision != rev {
				t.Errorf("%s: stamp %+v %v, want revision %d", id, st, err, rev)
			}
		}
		if atts, err := tx.Attestations("L-00000002"); err != nil || len(atts) != 2 || atts[1].Seq != 11 {
			t.Errorf("attestations %v %v", atts, err)
		}
		for _, key := range []string{"attestation:L-00000002\x00a", "b"} {
			if r, ok, err := tx.Idempotency(key); err != nil || !ok || r.Key != key {
				t.Errorf("idempotency %q: %+v %v %v", key, r, ok, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An attestation's idempotency read brings its schedule stamp, the newest
// fixing and an arrival number: one statement, sent without BEGIN, in a
// read transaction; each answer is taken once (the number asked again is
// a new one, from the server). With a record stored no number is taken.
func TestAttestationReadAhead(t *testing.T) {
	s, tr := openTraced(t)
	ctx := context.Background()
	f := fixingOn("2026-02-20")
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		if err := tx.PutFixing(f); err != nil {
			return err
		}
		if err := tx.PutIdempotency(loanbook.IdempotencyRecord{Key: "attestation:L-00000001\x00used", Scope: "s", RequestHash: "h"}); err != nil {
			return err
		}
		return tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: 4, DecisionSeq: 3})
	})
	if err != nil {
		t.Fatal(err)
	}
	tr.start()
	var first, second uint64
	err = s.View(ctx, func(tx loanbook.Tx) error {
		if _, ok, err := tx.Idempotency("attestation:L-00000001\x00new"); ok || err != nil {
			t.Errorf("a new key: %v %v", ok, err)
		}
		latest, err := tx.(loanbook.SharedTx).LatestPublished()
		if err != nil || latest != f.EffectiveDate {
			t.Errorf("newest fixing %v %v, want %v", latest, err, f.EffectiveDate)
		}
		if st, err := tx.ScheduleStamp("L-00000001"); err != nil || st.Revision != 4 || st.DecisionSeq != 3 {
			t.Errorf("stamp %+v %v", st, err)
		}
		if first, err = tx.(loanbook.SharedTx).NextAttestationSeq(); err != nil {
			return err
		}
		if n := len(tr.stmts); n != 1 || tr.count("BEGIN") != 0 {
			t.Errorf("%d statements sent, want one without BEGIN: %v", n, tr.stmts)
		}
		second, err = tx.(loanbook.SharedTx).NextAttestationSeq()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if first == 0 || second <= first {
		t.Errorf("arrival numbers %d then %d, want two, increasing", first, second)
	}
	tr.start()
	err = s.View(ctx, func(tx loanbook.Tx) error {
		if r, ok, err := tx.Idempotency("attestation:L-00000001\x00used"); !ok || err != nil || r.RequestHash != "h" {
			t.Errorf("a used key: %+v %v %v", r, ok, err)
		}
		return nil
	})
	if err != nil || tr.count("nextval") != 1 {
		t.Fatalf("%v; statements %v", err, tr.stmts)
	}
	err = s.View(ctx, func(tx loanbook.Tx) error {
		n, err := tx.(loanbook.SharedTx).NextAttestationSeq()
		if n != second+1 {
			t.Errorf("arrival number %d after %d: a replayed key took one", n, second)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// In a write transaction the stamp read ahead is taken by the call that
// read it, and not once the loan's schedule is written: the stamp asked
// then is the new one.
func TestWriteReadAheadStamp(t *testing.T) {
	s, tr := openTraced(t)
	ctx := context.Background()
	put := func(tx loanbook.Tx, rev uint64) error {
		return tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: rev, DecisionSeq: rev})
	}
	if err := s.Update(ctx, func(tx loanbook.Tx) error { return put(tx, 1) }); err != nil {
		t.Fatal(err)
	}
	tr.start()
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		if _, ok, err := tx.Idempotency("attestation:L-00000001\x00k"); ok || err != nil {
			return err
		}
		if st, err := tx.ScheduleStamp("L-00000001"); err != nil || st.Revision != 1 {
			t.Errorf("stamp %+v %v, want revision 1", st, err)
		}
		if n, m := tr.count("JOIN schedules"), tr.count("FROM schedules"); n != 1 || m != 0 {
			t.Errorf("%d schedule reads ahead and %d alone, want the one read ahead", n, m)
		}
		if _, _, err := tx.Idempotency("attestation:L-00000001\x00k2"); err != nil {
			return err
		}
		if err := put(tx, 2); err != nil {
			return err
		}
		if st, err := tx.ScheduleStamp("L-00000001"); err != nil || st.Revision != 2 {
			t.Errorf("stamp after writing the schedule %+v %v, want revision 2", st, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The newest fixing is kept in chain_head by a trigger: publishing an
// earlier date, or the same date again, leaves it.
func TestFixingsStamp(t *testing.T) {
	s := openStore(t, pgtest.Database(t))
	ctx := context.Background()
	for _, d := range []string{"2026-02-20", "2026-01-20", "2026-02-20"} {
		if err := s.Update(ctx, func(tx loanbook.Tx) error { return tx.PutFixing(fixingOn(d)) }); err != nil {
			t.Fatal(err)
		}
		var stamp string
		if err := s.Pool().QueryRow(ctx, "SELECT latest_fixing FROM chain_head").Scan(&stamp); err != nil || stamp != "2026-02-20" {
			t.Errorf("after publishing %s: stamp %q %v, want 2026-02-20", d, stamp, err)
		}
	}
	if err := s.Update(ctx, func(tx loanbook.Tx) error { return tx.PutFixing(fixingOn("2026-02-21")) }); err != nil {
		t.Fatal(err)
	}
	err := s.View(ctx, func(tx loanbook.Tx) error {
		d, err := tx.(loanbook.SharedTx).LatestPublished()
		if err != nil || d != tfpricing.MustParseDate("2026-02-21") {
			t.Errorf("newest fixing %v %v, want 2026-02-21", d, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func fixingOn(d string) pricing.Fixing {
	return pricing.Fixing{EffectiveDate: tfpricing.MustParseDate(d), OneYear: decimal.RequireFromString("3.1"),
		FiveYear: decimal.RequireFromString("3.6")}
}
