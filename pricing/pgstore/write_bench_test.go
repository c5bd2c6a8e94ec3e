package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime"
	"sync/atomic"
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

// BenchmarkAttestationWritesPG runs only the writes of an attestation —
// its attestation, decision, schedule and idempotency rows, through group
// commit, 32 callers at once over 300 loans — and reports what the server
// spends on them (pgtest.Cost): the write side of BenchmarkAttestationPG
// (pricing/loanbook) without its reads. The rows are about the sizes the
// service writes: a decision record of ≈ 1.4 KB (zstd of random inputs),
// a schedule of ≈ 0.4 KB (12 periods: the loan book benchmark's loans) or
// of ≈ 3 KB (240 periods of differing rates: a long loan's), an
// attestation of ≈ 0.2 KB.
func BenchmarkAttestationWritesPG(b *testing.B) {
	for _, periods := range []int{12, 240} {
		b.Run(fmt.Sprintf("periods=%d", periods), func(b *testing.B) { benchmarkWrites(b, periods) })
	}
}

func benchmarkWrites(b *testing.B, periods int) {
	url := pgtest.Database(b)
	s, err := pgstore.Open(context.Background(), url, pgstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	const loans = 300
	rates := make([]audit.PeriodRate, periods)
	for i := range rates {
		rates[i] = audit.PeriodRate{Period: i + 1, Start: tfpricing.NewDate(2026, time.Month(i+1), 1).AddDays(i), Rate: decimal.New(int64(4000000+i*7919%100000), -8)}
	}
	write := func(i int64) error {
		loan := fmt.Sprintf("L-%08d", i%loans+1)
		raw := make([]byte, 1400)
		_, _ = rand.Read(raw)
		d := audit.Decision{Kind: audit.DecisionCorrection, LoanID: loan, Actor: tfpricing.Actor{KeyID: "k", Role: "analyst"},
			RecordedAt: time.Date(2026, 12, 1, 8, 0, 0, int(i), time.UTC), BusinessDate: tfpricing.MustParseDate("2026-12-01"),
			AsOf: tfpricing.MustParseDate("2026-12-01"), Inputs: []byte(`{"r":"` + hex.EncodeToString(raw) + `"}`), Outputs: []byte(`{}`),
			EngineVersion: audit.EngineVersion}
		return s.Update(context.Background(), func(tx loanbook.Tx) error {
			if err := tx.PutAttestation(loan, attestationN(uint64(i))); err != nil {
				return err
			}
			if err := tx.AppendDecision(&d); err != nil {
				return err
			}
			if err := tx.PutSchedule(loanbook.ScheduleState{LoanID: loan, CalculatedOn: tfpricing.MustParseDate("2026-12-01"),
				Revision: uint64(i), DecisionSeq: d.Seq, Rates: rates, TotalInterest: decimal.New(i, -2)}); err != nil {
				return err
			}
			return tx.PutIdempotency(loanbook.IdempotencyRecord{Key: fmt.Sprint("attestation:", loan, "\x00", i), Scope: "attestation:" + loan,
				RequestHash: "0123456789abcdef0123456789abcdef", CreatedAt: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC),
				Result: loanbook.AttestationRef{LoanID: loan, AttestationSeq: uint64(i), DecisionSeq: d.Seq}})
		})
	}
	var n atomic.Int64
	for range loans { // every loan's schedule row exists, as in the service
		if err := write(n.Add(1)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start := n.Load()
	cost := pgtest.StartCost(b, url)
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := write(n.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	cost.Report(b, n.Load()-start)
	_ = s.Close() // its backends report their statistics as they exit
	hot, size := scheduleHOT(b, url)
	b.ReportMetric(hot, "sched-hot-%")
	b.ReportMetric(size, "sched-B")
}

// scheduleHOT is the share of the schedule updates on the database at url
// that were HOT (heap-only: no index entry, the new version on the old
// one's page), in per cent, once every other backend has gone; and the
// schedule records' mean size.
func scheduleHOT(b *testing.B, url string) (hot, size float64) {
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	for range 100 {
		var others int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&others); err != nil {
			b.Fatal(err)
		}
		if others == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	var upd float64
	if err := conn.QueryRow(context.Background(), `SELECT n_tup_upd, n_tup_hot_upd,
		(SELECT avg(octet_length(record))::float8 FROM schedules) FROM pg_stat_user_tables
		WHERE relname = 'schedules'`).Scan(&upd, &hot, &size); err != nil {
		b.Fatal(err)
	}
	return 100 * hot / max(upd, 1), size
}
