package loanbook_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

// roundTrips counts what the pool's connections send and wait for: each
// query, each batch (one round trip however many statements it holds) and
// each statement preparation; stmts counts the statements run (a batch's
// each, a query one).
type roundTrips struct{ n, stmts atomic.Int64 }

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	r.stmts.Add(1)
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	r.stmts.Add(1)
}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
func (r *roundTrips) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {}

// BenchmarkAttestationPG attests over PostgreSQL with 1 client and with
// 32 concurrent ones, on one store or on two over one database (two
// replicas, the requests alternating between them), and reports the round
// trips to the server and the statements per attestation: its read
// transaction, and its share of a group-commit batch; cpu-ns/op is the
// service's CPU per attestation (this process's), and the database
// server's CPU time and WAL per attestation come from pgtest.Cost.
func BenchmarkAttestationPG(b *testing.B) {
	for _, c := range []struct{ clients, replicas int }{{1, 1}, {32, 1}, {32, 2}} {
		b.Run(fmt.Sprintf("clients=%d/replicas=%d", c.clients, c.replicas), func(b *testing.B) {
			rt := &roundTrips{}
			url := pgtest.Database(b)
			var svcs []*loanbook.Service
			var ids []string
			for r := range c.replicas {
				s, err := pgstore.Open(context.Background(), url, pgstore.Options{Tracer: rt})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { _ = s.Close() })
				f := newFixtureOn(b, "2026-11-27", pgFixtureStore{s})
				if r == 0 {
					ids = f.bookMany(b, 300)
				}
				f.today = tfpricing.NewDate(2027, 3, 10)
				svcs = append(svcs, f.svc)
			}
			var n atomic.Int64
			attest := func() error {
				i := n.Add(1)
				a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
					VerifierName: "v", EvidenceSHA256: "00"}
				_, err := svcs[int(i)%len(svcs)].Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
					LoanID: ids[int(uint64(i)*0x9E3779B97F4A7C15>>40)%len(ids)], Attestation: a, IdempotencyKey: fmt.Sprint(i), RequestBody: []byte(fmt.Sprint(i))})
				return err
			}
			b.ResetTimer()
			rt.n.Store(0)
			rt.stmts.Store(0)
			cpu0 := cpuTime(b)
			cost := pgtest.StartCost(b, url)
			if c.clients == 1 {
				for b.Loop() {
					if err := attest(); err != nil {
						b.Fatal(err)
					}
				}
			} else {
				b.SetParallelism(max(1, c.clients/runtime.GOMAXPROCS(0)))
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := attest(); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			reportCPU(b, cpu0)
			cost.Report(b, n.Load())
			b.ReportMetric(float64(rt.n.Load())/float64(n.Load()), "roundtrips/op")
			b.ReportMetric(float64(rt.stmts.Load())/float64(n.Load()), "stmts/op")
		})
	}
}

// BenchmarkHotLoanReplicasPG is one loan attested by one client through
// two replicas in turn, over PostgreSQL: every attestation finds the state
// the other replica wrote, so each is a cache miss (issue 14) with the
// loan's history one longer than the last. cpu-ns/op is this process's
// CPU (both replicas), not the server's.
func BenchmarkHotLoanReplicasPG(b *testing.B) {
	url := pgtest.Database(b)
	var svcs []*loanbook.Service
	var id string
	for r := range 2 {
		s, err := pgstore.Open(context.Background(), url, pgstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		f := newFixtureOn(b, "2026-11-27", pgFixtureStore{s})
		if r == 0 {
			id = f.bookMany(b, 1)[0]
		}
		f.today = tfpricing.NewDate(2027, 3, 10)
		svcs = append(svcs, f.svc)
	}
	b.ResetTimer()
	cpu := cpuTime(b)
	for i := 0; b.Loop(); i++ {
		a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
			VerifierName: "v", EvidenceSHA256: "00"}
		if _, err := svcs[i%2].Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: id, Attestation: a, IdempotencyKey: fmt.Sprint(i), RequestBody: []byte(fmt.Sprint(i))}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}
