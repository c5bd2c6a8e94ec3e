package loanbook_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/configs"
	"tfpricing/pricing"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
)

// fixture is a loan book over a temporary bbolt file with the shipped
// reference data.
type fixture struct {
	svc   *loanbook.Service
	store fixtureStore
	ref   *configs.Reference
	today tfpricing.Date
	path  string // the data file
}

// fixtureStore is what the tests need of a store: boltstore's, or
// pgstore's over a database of the test's own (newPGFixture).
type fixtureStore interface {
	loanbook.Store
	loanbook.Auditor
	Check() error
}

func newFixture(tb testing.TB, today string) *fixture {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "b.db")
	store, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := store.Check(); err != nil {
			tb.Errorf("data file check: %v", err)
		}
		store.Close()
	})
	f := newFixtureOn(tb, today, store)
	f.path = path
	return f
}

func newFixtureOn(tb testing.TB, today string, store fixtureStore) *fixture {
	tb.Helper()
	cfg, err := configs.Load(func(string) string { return "" }, configs.Flags{})
	if err != nil {
		tb.Fatal(err)
	}
	ref, err := cfg.LoadReference()
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{store: store, ref: ref, today: tfpricing.MustParseDate(today)}
	f.svc, err = loanbook.New(context.Background(), loanbook.Config{Store: store, Catalogues: ref.Catalogues,
		Policies: ref.Policies, Shipped: ref.Fixings, Today: func() tfpricing.Date { return f.today }, BatchSize: 500})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// terms is a 5-year quarterly loan with two KPIs (FDY energy and carbon
// intensity), starting 2026-12-01.
func terms(i int) pricing.Terms {
	d := decimal.RequireFromString
	kpi := func(id string, base string, targets ...string) pricing.KPI {
		k := pricing.KPI{KPI: catalog.KPI{MetricID: id, Direction: catalog.LowerIsBetter,
			Baseline: catalog.Observation{Year: 2025, Value: d(base)}}}
		for j, v := range targets {
			k.Targets = append(k.Targets, catalog.Observation{Year: 2026 + j, Value: d(v)})
		}
		return k
	}
	return pricing.Terms{
		Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70,
		KPIs: []pricing.KPI{kpi("pet_fdy_energy", "88", "82", "78", "74", "70", "66"),
			kpi("carbon_intensity", "1.6", "1.5", "1.4", "1.3", "1.2", "1.1")},
		Facility: pricing.Facility{Amount: decimal.New(int64(10_000_000+i*1000), 0), Currency: "CNY",
			StartDate: tfpricing.NewDate(2026, 12, 1), TenorMonths: 60, Repayment: pricing.EqualPrincipal, PaymentFrequency: 3},
	}
}

// bookMany books n loans directly, 1,000 per transaction, as a data loader.
func (f *fixture) bookMany(tb testing.TB, n int) []string {
	tb.Helper()
	pol, _ := f.ref.Policies.InForce(f.today)
	cat, _ := f.ref.Catalogues.InForce(f.today)
	var ids []string
	for done := 0; done < n; done += 1000 {
		err := f.store.Update(context.Background(), func(tx loanbook.Tx) error {
			for i := done; i < min(done+1000, n); i++ {
				id, err := tx.NextLoanID()
				if err != nil {
					return err
				}
				l := loanbook.Loan{ID: id, BookedOn: f.today, AsOf: f.today, Terms: terms(i), Catalogue: cat.Ref(), Policy: pol.Ref()}
				s, err := pricing.Compute(pricing.Input{Terms: l.Terms, Policy: pol, Curve: f.ref.Fixings, AsOf: f.today})
				if err != nil {
					return err
				}
				if err := tx.PutLoan(l); err != nil {
					return err
				}
				if err := tx.PutSchedule(loanbook.NewScheduleState(id, s, tfpricing.Date{}, 1, 0)); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

// BenchmarkAttestationRecalculation is one durable attestation: validation,
// recalculation of the loan's schedule, its decision record and the fsync'd
// commit. Attestations go round-robin over 1,000 loans, so each loan holds
// a realistic handful rather than thousands.
func BenchmarkAttestationRecalculation(b *testing.B) {
	f := newFixture(b, "2026-11-27")
	ids := f.bookMany(b, 1000)
	f.today = tfpricing.NewDate(2027, 3, 10)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
			VerifierName: "v", EvidenceSHA256: "00"}
		_, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: ids[i%len(ids)], Attestation: a, IdempotencyKey: fmt.Sprint(i), RequestBody: []byte(fmt.Sprint(i))})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRepricing10k publishes an LPR fixing over 10,000 booked loans.
func BenchmarkRepricing10k(b *testing.B) {
	f := newFixture(b, "2026-11-27")
	f.bookMany(b, 10_000)
	day := tfpricing.NewDate(2026, 11, 1)
	b.ResetTimer()
	for b.Loop() {
		day = day.AddDays(1)
		f.today = day.AddDays(1)
		rep, err := f.svc.PublishFixing(context.Background(), tfpricing.Actor{},
			pricing.Fixing{EffectiveDate: day, OneYear: decimal.RequireFromString("2.90"), FiveYear: decimal.RequireFromString("3.40")})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Checked != 10_000 {
			b.Fatalf("checked %d", rep.Checked)
		}
	}
}

// BenchmarkAttestationParallel32 is BenchmarkAttestationRecalculation with
// 32 concurrent writers, which group commit serves with shared fsyncs.
func BenchmarkAttestationParallel32(b *testing.B) {
	f := newFixture(b, "2026-11-27")
	ids := f.bookMany(b, 1000)
	f.today = tfpricing.NewDate(2027, 3, 10)
	var n atomic.Int64
	b.SetParallelism(16) // × GOMAXPROCS 2 = 32 writers
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
				VerifierName: "v", EvidenceSHA256: "00"}
			_, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
				LoanID: ids[int(i)%len(ids)], Attestation: a, IdempotencyKey: fmt.Sprint(i), RequestBody: []byte(fmt.Sprint(i))})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkPrepareAttestation is the service's CPU of preparing one
// attestation (issue 14: prepareAttestation was a fifth of a PostgreSQL
// server's CPU under load) without the store's: validation, the preview,
// the schedule from the cached ratchet state, the status hash, the
// decision and the new schedule state, in one read transaction over ten
// warm loans of 20 attestations each. Nothing is stored, so every
// iteration prepares from the same views, as the retried members of a
// group-commit batch do.
func BenchmarkPrepareAttestation(b *testing.B) {
	f := newFixture(b, "2026-11-27")
	ids := f.bookMany(b, 10)
	f.today = tfpricing.NewDate(2027, 3, 10)
	att := func() pricing.Attestation {
		return pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
			VerifierName: "v", EvidenceSHA256: "00"}
	}
	for i := range 20 * len(ids) { // 20 each, the last of each leaving a warm view
		_, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: ids[i%len(ids)], Attestation: att(), IdempotencyKey: fmt.Sprint("warm-", i), RequestBody: []byte{'w'}})
		if err != nil {
			b.Fatal(err)
		}
	}
	err := f.store.View(context.Background(), func(tx loanbook.Tx) error {
		for i := range ids { // the views as a read transaction caches them
			if err := f.svc.PrepareAttestation(tx, loanbook.AttestationRequest{LoanID: ids[i], Attestation: att()},
				f.today, uint64(1_000_000+i)); err != nil {
				return err
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			if err := f.svc.PrepareAttestation(tx, loanbook.AttestationRequest{LoanID: ids[i%len(ids)], Attestation: att()},
				f.today, uint64(2_000_000+i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
