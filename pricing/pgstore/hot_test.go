package pgstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore/pgtest"
)

// A schedule's update stays on its row's page (HOT: no new index entry)
// even while a concurrent snapshot keeps the row's old versions from
// being pruned — what an attestation's read transaction does to another's
// update. 300 schedules of ≈ 300 bytes fill their pages to the
// fillfactor, a REPEATABLE READ transaction on another connection holds
// its snapshot, and the first loan's schedule is updated five times; its
// row must still be on page 0. With the default fillfactor (100) page 0
// is full and the first update moves the row (migration 00006).
func TestScheduleUpdatesStayOnTheirPage(t *testing.T) {
	url := pgtest.Database(t)
	s := openStore(t, url)
	ctx := context.Background()
	rates := make([]audit.PeriodRate, 12)
	for i := range rates {
		rates[i] = audit.PeriodRate{Period: i + 1, Start: tfpricing.NewDate(2026, time.Month(i+1), 1), Rate: decimal.New(int64(4000+i), -5)}
	}
	put := func(loan int, rev uint64) {
		t.Helper()
		err := s.Update(ctx, func(tx loanbook.Tx) error {
			return tx.PutSchedule(loanbook.ScheduleState{LoanID: fmt.Sprintf("L-%08d", loan), Revision: rev, DecisionSeq: rev,
				CalculatedOn: tfpricing.MustParseDate("2026-12-01"), Rates: rates, TotalInterest: decimal.New(int64(rev), -2)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for loan := 1; loan <= 300; loan++ {
		put(loan, 1)
	}
	page := func() (block int64) {
		t.Helper()
		err := s.Pool().QueryRow(ctx, `SELECT (ctid::text::point)[0]::bigint FROM schedules WHERE loan_num = 1`).Scan(&block)
		if err != nil {
			t.Fatal(err)
		}
		return block
	}
	if p := page(); p != 0 {
		t.Fatalf("loan 1's schedule starts on page %d, want 0", p)
	}
	var size int
	if err := s.Pool().QueryRow(ctx, "SELECT pg_column_size(record) FROM schedules WHERE loan_num = 1").Scan(&size); err != nil {
		t.Fatal(err)
	}
	if size < 200 || size > 500 {
		t.Fatalf("a schedule record of %d bytes; the test wants ≈ 300", size)
	}
	reader, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close(ctx)
	snap, err := reader.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Rollback(ctx)
	var n int
	if err := snap.QueryRow(ctx, "SELECT count(*) FROM schedules").Scan(&n); err != nil || n != 300 {
		t.Fatalf("the snapshot sees %d schedules (%v), want 300", n, err)
	}
	for rev := uint64(2); rev <= 6; rev++ {
		put(1, rev)
		if p := page(); p != 0 {
			t.Fatalf("revision %d of loan 1's schedule went to page %d, want 0 (a HOT update)", rev, p)
		}
	}
}
