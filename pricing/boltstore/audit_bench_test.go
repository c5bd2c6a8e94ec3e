package boltstore

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/configs"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Audit benchmarks over 100,000 decisions (DESIGN.md §9, issue 5). Run with
//
//	go test -run '^$' -bench 'Chain100k|Replay100k' -benchtime 3x ./pricing/boltstore/
//
// Each verification op walks the whole chain in batches, as
// GET /v1/audit/verify and `tfpricing audit verify` do; ns/record is the
// figure to compare with the 10 µs that verifies a million records in ten
// seconds.

const benchDecisions = 100_000

// loanDecision is a realistic booking decision: a 3-year quarterly loan
// with one KPI, its 12-period schedule and the shipped policy, unsealed.
func loanDecision(tb testing.TB, ref *configs.Reference, i int) audit.Decision {
	tb.Helper()
	d := decimal.RequireFromString
	asOf := tfpricing.NewDate(2026, 11, 27)
	pol, _ := ref.Policies.InForce(asOf)
	cat, _ := ref.Catalogues.InForce(asOf)
	terms := pricing.Terms{Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70,
		KPIs: []pricing.KPI{{KPI: catalog.KPI{MetricID: "pet_fdy_energy", Direction: catalog.LowerIsBetter,
			Baseline: catalog.Observation{Year: 2025, Value: d("88")},
			Targets: []catalog.Observation{{Year: 2026, Value: d("82")}, {Year: 2027, Value: d("78")},
				{Year: 2028, Value: d("74")}}}}},
		Facility: pricing.Facility{Amount: decimal.New(int64(10_000_000+i), 0), Currency: "CNY",
			StartDate: tfpricing.NewDate(2026, 12, 1), TenorMonths: 36, Repayment: pricing.EqualPrincipal, PaymentFrequency: 3}}
	s, err := pricing.Compute(pricing.Input{Terms: terms, Policy: pol, Curve: ref.Fixings, AsOf: asOf,
		Assumptions: pricing.Assumptions{Projection: pricing.Current}})
	if err != nil {
		tb.Fatal(err)
	}
	in, err := audit.NewLoanInputs("L-00000001", terms, nil, asOf, map[string]any{"type": "booking"}, pricing.Schedule{})
	if err != nil {
		tb.Fatal(err)
	}
	dec, err := in.Decision(audit.DecisionBooking, s, pol.Ref(), cat.Ref())
	if err != nil {
		tb.Fatal(err)
	}
	dec.Actor, dec.BusinessDate = tfpricing.Actor{KeyID: "bench", Role: tfpricing.RoleOfficer}, asOf
	return dec
}

// loanStore is a store of n realistic loan decisions with the reference
// documents they name.
func loanStore(tb testing.TB, n int) *Store {
	tb.Helper()
	cfg, err := configs.Load(func(string) string { return "" }, configs.Flags{})
	if err != nil {
		tb.Fatal(err)
	}
	ref, err := cfg.LoadReference()
	if err != nil {
		tb.Fatal(err)
	}
	s := openTemp(tb)
	tmpl := loanDecision(tb, ref, 0)
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for done := 0; done < n; done += 10_000 {
		err := s.db.Update(func(btx *bolt.Tx) error {
			tx := &txn{tx: btx}
			if done == 0 {
				for _, p := range ref.Policies.All() {
					if _, err := tx.PutDocument(audit.DocPolicy, p.Digest, p.Canonical); err != nil {
						return err
					}
				}
				for _, c := range ref.Catalogues.Versions() {
					if _, err := tx.PutDocument(audit.DocCatalogue, c.Digest, c.Canonical); err != nil {
						return err
					}
				}
			}
			for i := done; i < min(done+10_000, n); i++ {
				d := tmpl
				d.RecordedAt = at.Add(time.Duration(i) * time.Millisecond)
				if err := tx.AppendDecision(&d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

func benchVerify(b *testing.B, s *Store, n int) {
	b.ReportAllocs()
	for b.Loop() {
		r, err := s.VerifyChain(context.Background(), nil, nil)
		if err != nil || !r.OK || r.Checked != uint64(n) {
			b.Fatalf("%+v %v", r, err)
		}
	}
	perRecord := float64(b.Elapsed().Nanoseconds()) / float64(b.N*n)
	b.ReportMetric(perRecord, "ns/record")
	b.ReportMetric(1e9/perRecord, "records/s")
}

// BenchmarkVerifyChain100kSmall verifies 100,000 small synthetic records.
func BenchmarkVerifyChain100kSmall(b *testing.B) {
	s := openTemp(b)
	appendSynthetic(b, s, benchDecisions, 10_000)
	benchVerify(b, s, benchDecisions)
}

// BenchmarkVerifyChain100kLoan verifies 100,000 booking decisions of about
// 9 KB each, the common record.
func BenchmarkVerifyChain100kLoan(b *testing.B) {
	s := loanStore(b, benchDecisions)
	benchVerify(b, s, benchDecisions)
}

// BenchmarkReplay100k replays the decisions of a 100,000-decision store in
// turn, each read in its own transaction as POST /v1/decisions/{id}/replay
// does. The figure is per decision.
func BenchmarkReplay100k(b *testing.B) {
	s := loanStore(b, benchDecisions)
	cache := audit.NewDocumentCache() // as the server and the audit CLI hold one
	b.ReportAllocs()
	seq := uint64(0)
	for b.Loop() {
		seq = seq%benchDecisions + 1
		err := s.View(context.Background(), func(tx loanbook.Tx) error {
			d, err := tx.Decision(seq)
			if err != nil {
				return err
			}
			res, err := audit.Replay(d, cache.Wrap(tx))
			if err == nil && !res.Match {
				b.Fatalf("decision %d: %+v", seq, res.Differences)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
}
