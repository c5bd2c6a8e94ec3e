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

// In a batch, a loan read while its schedule is queued (a hot loan: an
// earlier call wrote it) answers the queued state, and goes to the server
// ahead of the queued rows, as nextval does: the rows stay queued, to be
// merged at the commit.
func TestLoanReadWithQueuedSchedule(t *testing.T) {
	s, tr := openTraced(t)
	ctx := context.Background()
	put := func(tx loanbook.Tx, rev uint64) error {
		return tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: rev, DecisionSeq: rev})
	}
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		if err := tx.PutLoan(loanbook.Loan{ID: "L-00000001"}); err != nil {
			return err
		}
		return put(tx, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	tr.start()
	err = s.Update(ctx, func(tx loanbook.Tx) error {
		if err := put(tx, 2); err != nil {
			return err
		}
		if _, err := tx.(loanbook.SharedTx).NextAttestationSeq(); err != nil {
			return err
		}
		if _, err := tx.Loan("L-00000001"); err != nil {
			return err
		}
		st, err := tx.Schedule("L-00000001")
		if err != nil || st.Revision != 2 {
			t.Errorf("schedule %+v %v, want the queued revision 2", st.Stamp(), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	last := len(tr.stmts) - 1
	if last < 1 || !strings.HasPrefix(tr.stmts[last-1], "INSERT INTO schedules") || tr.stmts[last] != "COMMIT" {
		t.Errorf("the schedule was not written last, with COMMIT: %v", tr.stmts)
	}
}
