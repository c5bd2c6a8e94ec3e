package loanbook_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/bookcopy"
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

// BenchmarkMigrate10k copies a bbolt book of 10,000 loans, their schedules
// and 10,000 repricing decisions (an LPR fixing published over them) into
// an empty PostgreSQL database — what "tfpricing migrate" does — and back
// into a new bbolt file ("tfpricing backup"); each loop is one of each,
// the way back reported as backup-s/op, and the round trips to the
// server of the copy into PostgreSQL as roundtrips/op.
func BenchmarkMigrate10k(b *testing.B) {
	ctx := context.Background()
	f := newFixture(b, "2026-11-27")
	f.bookMany(b, 10_000)
	if _, err := f.svc.PublishFixing(ctx, tfpricing.Actor{}, pricing.Fixing{EffectiveDate: tfpricing.NewDate(2026, 11, 2),
		OneYear: decimal.RequireFromString("2.90"), FiveYear: decimal.RequireFromString("3.40")}); err != nil {
		b.Fatal(err)
	}
	bolt := f.store.(*boltstore.Store)
	var back time.Duration
	rt := &roundTrips{}
	var trips int64
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		pg, err := pgstore.Open(ctx, pgtest.Database(b), pgstore.Options{Tracer: rt})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		before := rt.n.Load()
		c, err := bookcopy.Between(ctx, bolt, pg)
		trips += rt.n.Load() - before
		if err != nil || c.Loans != 10_000 {
			b.Fatalf("copied %v: %v", c, err)
		}
		b.StopTimer()
		out, err := boltstore.Open(filepath.Join(b.TempDir(), "backup.db"), boltstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := bookcopy.Between(ctx, pg, out); err != nil {
			b.Fatal(err)
		}
		back += time.Since(start)
		_ = out.Close()
		_ = pg.Close()
		b.StartTimer()
	}
	b.ReportMetric(back.Seconds()/float64(b.N), "backup-s/op")
	b.ReportMetric(float64(trips)/float64(b.N), "roundtrips/op")
}
