package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"tfpricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

// Decision records are zstd-compressed before they are stored, so
// PostgreSQL must neither compress them again nor move them out of line
// below ≈ 8 KB (migration 00004). Random hex inputs compress to about half
// (4 bits of 8 are information) and no further, so 6,000 hex characters
// give a stored record of ≈ 3 KB — over the default TOAST threshold of
// 2,032 bytes, which used to send it through pglz and into the TOAST table
// — and 40,000 give ≈ 20 KB, over the 8,160-byte target, which still goes
// out of line (uncompressed). Both read back.
func TestDecisionsStoredInline(t *testing.T) {
	s := openStore(t, pgtest.Database(t))
	ctx := context.Background()
	inputs := func(hexChars int) []byte {
		b := make([]byte, hexChars/2)
		_, _ = rand.Read(b)
		return []byte(`{"r":"` + hex.EncodeToString(b) + `"}`)
	}
	small, large := decision(1), decision(2)
	small.Inputs, large.Inputs = inputs(6000), inputs(40000)
	if err := s.Update(ctx, func(tx loanbook.Tx) error { return tx.AppendDecision(&small) }); err != nil {
		t.Fatal(err)
	}
	var stored, onDisk, toast int64
	q := `SELECT octet_length(record), pg_column_size(record),
		(SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE relname = 'decisions') FROM decisions WHERE seq = $1`
	if err := s.Pool().QueryRow(ctx, q, 1).Scan(&stored, &onDisk, &toast); err != nil {
		t.Fatal(err)
	}
	if stored <= 2032 || stored >= 8160 {
		t.Fatalf("the small record is %d bytes, want between the TOAST threshold and target", stored)
	}
	// Inline and uncompressed: 4 bytes of varlena header, nothing in TOAST.
	if onDisk != stored+4 || toast != 0 {
		t.Errorf("a %d-byte record takes %d bytes in its row, TOAST table %d bytes; want %d inline, TOAST empty", stored, onDisk, toast, stored+4)
	}
	if err := s.Update(ctx, func(tx loanbook.Tx) error { return tx.AppendDecision(&large) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Pool().QueryRow(ctx, q, 2).Scan(&stored, &onDisk, &toast); err != nil {
		t.Fatal(err)
	}
	// Out of line, not compressed: the column's own size, TOAST in use.
	if stored <= 8160 || onDisk != stored || toast == 0 {
		t.Errorf("a %d-byte record: %d bytes stored, TOAST table %d bytes; want out of line, uncompressed", stored, onDisk, toast)
	}
	inputsOf := chainOf(t, s)
	if len(inputsOf) != 2 || inputsOf[0] != string(small.Inputs) || inputsOf[1] != string(large.Inputs) {
		t.Error("the decisions did not read back as written")
	}
}

// scheduleReads counts the queries that read a schedule stamp.
type scheduleReads struct{ n atomic.Int64 }

func (r *scheduleReads) count(sql string) {
	if strings.Contains(sql, "FROM schedules") {
		r.n.Add(1)
	}
}
func (r *scheduleReads) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.count(d.SQL)
	return ctx
}
func (r *scheduleReads) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *scheduleReads) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}
func (r *scheduleReads) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	r.count(d.SQL)
}
func (r *scheduleReads) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// A read transaction reads a loan's schedule stamp from the server once
// and answers again from what it read (one snapshot: it cannot change); a
// missing schedule is asked again, and a write transaction always asks,
// seeing its own writes.
func TestViewReadsScheduleStampOnce(t *testing.T) {
	reads := &scheduleReads{}
	s, err := pgstore.Open(context.Background(), pgtest.Database(t), pgstore.Options{Tracer: reads})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	put := func(rev uint64) {
		t.Helper()
		if err := s.Update(ctx, func(tx loanbook.Tx) error {
			return tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: rev, DecisionSeq: rev})
		}); err != nil {
			t.Fatal(err)
		}
	}
	put(1)
	reads.n.Store(0)
	err = s.View(ctx, func(tx loanbook.Tx) error {
		for range 3 {
			st, err := tx.ScheduleStamp("L-00000001")
			if err != nil || st.Revision != 1 {
				t.Errorf("stamp %+v, %v; want revision 1", st, err)
			}
		}
		for range 2 {
			if _, err := tx.ScheduleStamp("L-00000002"); tfpricing.ErrorCode(err) != tfpricing.ENOTFOUND {
				t.Errorf("a loan without a schedule: %v, want not found", err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := reads.n.Load(); got != 3 { // L-00000001 once, L-00000002 twice
		t.Errorf("%d stamp reads sent, want 3", got)
	}
	put(2)
	reads.n.Store(0)
	err = s.Update(ctx, func(tx loanbook.Tx) error {
		for want := uint64(2); want <= 3; want++ {
			if st, err := tx.ScheduleStamp("L-00000001"); err != nil || st.Revision != want {
				t.Errorf("stamp %+v, %v; want revision %d", st, err, want)
			}
			if err := tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: want + 1, DecisionSeq: want + 1}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := reads.n.Load(); got != 2 {
		t.Errorf("%d stamp reads sent in the write transaction, want 2", got)
	}
}
