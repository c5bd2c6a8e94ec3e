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
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

// A schedule's update stays on its row's page (HOT: no new index entry)
// even while a concurrent snapshot keeps the row's old versions from
// being pruned — what an attestation's read transaction does to another's
// update — and a record of a few KB is stored inline, uncompressed
// (migration 00006). 300 schedules fill their pages to the fillfactor, a
// REPEATABLE READ transaction on another connection holds its snapshot,
// and the first loan's schedule is updated: its row must stay on page 0.
// 12 periods make a record of ≈ 300 bytes, and 5 updates of it fit in
// the 30 % of the page left free; 240 periods of differing rates ≈ 2.3 KB
// (over the 2,032-byte TOAST threshold): two per page, and 1 update fits. With
// the default fillfactor (100) page 0 is full and the first update moves
// the row; with the default storage the large record goes to TOAST.
func TestScheduleUpdatesStayOnTheirPage(t *testing.T) {
	for _, c := range []struct{ periods, minSize, maxSize, updates int }{{12, 200, 500, 5}, {240, 2100, 3000, 1}} {
		t.Run(fmt.Sprintf("periods=%d", c.periods), func(t *testing.T) {
			url := pgtest.Database(t)
			s := openStore(t, url)
			put := scheduleWriter(t, s, c.periods)
			for loan := 1; loan <= 300; loan++ {
				put(loan, 1)
			}
			ctx := context.Background()
			if p := schedulePage(t, s); p != 0 {
				t.Fatalf("loan 1's schedule starts on page %d, want 0", p)
			}
			var size, onDisk, toast int
			if err := s.Pool().QueryRow(ctx, `SELECT octet_length(record), pg_column_size(record),
				(SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE relname = 'schedules')
				FROM schedules WHERE loan_num = 1`).Scan(&size, &onDisk, &toast); err != nil {
				t.Fatal(err)
			}
			if size < c.minSize || size > c.maxSize {
				t.Fatalf("a schedule record of %d bytes; the test wants %d to %d", size, c.minSize, c.maxSize)
			}
			// Inline and uncompressed: 4 bytes of varlena header (1 for
			// a record under 127 bytes), nothing in TOAST.
			if onDisk != size+4 || toast != 0 {
				t.Errorf("a %d-byte record takes %d bytes in its row, TOAST table %d bytes; want %d inline, TOAST empty", size, onDisk, toast, size+4)
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
			for rev := uint64(2); rev <= uint64(1+c.updates); rev++ {
				put(1, rev)
				if p := schedulePage(t, s); p != 0 {
					t.Fatalf("revision %d of loan 1's schedule went to page %d, want 0 (a HOT update)", rev, p)
				}
			}
		})
	}
}

// scheduleWriter returns a function that writes revision rev of loan
// L-<loan>'s schedule state, of periods periods, on s.
func scheduleWriter(t *testing.T, s *pgstore.Store, periods int) func(loan int, rev uint64) {
	rates := make([]audit.PeriodRate, periods)
	for i := range rates {
		rates[i] = audit.PeriodRate{Period: i + 1, Start: tfpricing.NewDate(2026, time.Month(i+1), 1).AddDays(i),
			Rate: decimal.New(int64(4000000+i*7919%100000), -8)}
	}
	return func(loan int, rev uint64) {
		t.Helper()
		err := s.Update(context.Background(), func(tx loanbook.Tx) error {
			return tx.PutSchedule(loanbook.ScheduleState{LoanID: fmt.Sprintf("L-%08d", loan), Revision: rev, DecisionSeq: rev,
				CalculatedOn: tfpricing.MustParseDate("2026-12-01"), Rates: rates, TotalInterest: decimal.New(int64(rev), -2)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func schedulePage(t *testing.T, s *pgstore.Store) (block int64) {
	t.Helper()
	err := s.Pool().QueryRow(context.Background(), `SELECT (ctid::text::point)[0]::bigint FROM schedules WHERE loan_num = 1`).Scan(&block)
	if err != nil {
		t.Fatal(err)
	}
	return block
}
