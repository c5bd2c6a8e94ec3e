package loanbook_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// History-independence benchmarks (issue 18): the cost of an attestation,
// a repricing and a schedule read on loans that already hold 10, 100 and
// 1,000 events (attestations). Run with a fixed count so the histories grow
// little during the run:
//
//	go test -run '^$' -bench 'History' -benchtime 64x ./pricing/loanbook/
//
// Each size books historyLoans loans and stores their events directly (no
// decision per seeded event; what a new decision costs depends on the
// events it reads and copies, not on how they arrived). Attestations go
// round-robin over the loans, so -benchtime 64x adds four events to each
// (fewer ops are dominated by the first, cold ones).
// Besides ns/op they report the bytes of the newest stored decision record
// (B/decision) and the data file's growth per op (file-B/op), the figures
// the next round must hold flat. Speed is never asserted.
//
// Each loan is touched once before the timer starts (warm): the first use
// of a loan after start-up reads and decodes all its attestations, once,
// and that one-off cost would otherwise be a quarter of the 64 ops.

const historyLoans = 16

var historySizes = []int{10, 100, 1000}

// historyFixture books historyLoans loans holding events attestations each.
func historyFixture(b *testing.B, events int) (*fixture, []string) {
	b.Helper()
	f := newFixture(b, "2026-11-27")
	ids := f.bookMany(b, historyLoans)
	seq := uint64(0)
	err := f.store.Update(context.Background(), func(tx loanbook.Tx) error {
		for _, id := range ids {
			for e := range events {
				seq++
				a := pricing.Attestation{ID: pricing.AttestationID(seq), Seq: seq, MetricID: "pet_fdy_energy",
					Year: 2026, Value: decimal.NewFromInt(int64(78 + e%6)), AcceptedOn: tfpricing.NewDate(2027, 3, 1),
					VerifierName: "浙江某认证有限公司", VerifierAccreditation: "CNAS C001-M",
					EvidenceSHA256: "abababababababababababababababababababababababababababababababab"}
				if e%2 == 1 {
					a.MetricID, a.Value = "carbon_intensity", decimal.RequireFromString(fmt.Sprintf("1.%d", 40+e%9))
				}
				if err := tx.PutAttestation(id, a); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// A fresh service over the same store: it reads the attestation
	// sequence the seeding moved.
	f.svc, err = loanbook.New(context.Background(), loanbook.Config{Store: f.store, Catalogues: f.ref.Catalogues,
		Policies: f.ref.Policies, Shipped: f.ref.Fixings, Today: func() tfpricing.Date { return f.today }, BatchSize: 500})
	if err != nil {
		b.Fatal(err)
	}
	f.today = tfpricing.NewDate(2027, 3, 10)
	return f, ids
}

// reportStorage reports the newest decision's stored size and the file's
// growth per op since before.
func reportStorage(b *testing.B, f *fixture, before int64) {
	b.Helper()
	ctx := context.Background()
	head, err := f.svc.ChainHead(ctx)
	if err != nil {
		b.Fatal(err)
	}
	recs, err := f.svc.DecisionRecords(ctx, head.Seq, 1)
	if err != nil || len(recs) != 1 {
		b.Fatalf("head record: %v", err)
	}
	b.ReportMetric(float64(len(recs[0])), "B/decision")
	b.ReportMetric(float64(fileSize(b, f)-before)/float64(b.N), "file-B/op")
}

func fileSize(b *testing.B, f *fixture) int64 {
	fi, err := os.Stat(f.path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

func BenchmarkHistoryAttestation(b *testing.B) {
	for _, n := range historySizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			f, ids := historyFixture(b, n)
			attest := func(i int, key string) {
				a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
					VerifierName: "v", EvidenceSHA256: "00"}
				_, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
					LoanID: ids[i%len(ids)], Attestation: a, IdempotencyKey: key, RequestBody: []byte(key)})
				if err != nil {
					b.Fatal(err)
				}
			}
			for i := range ids { // warm
				attest(i, fmt.Sprint("warm-", i))
			}
			before := fileSize(b, f)
			b.ResetTimer()
			stop := profileTimed(b)
			cpu := cpuTime(b)
			for i := 0; b.Loop(); i++ {
				attest(i, fmt.Sprint(i))
			}
			b.StopTimer()
			stop()
			reportCPU(b, cpu)
			reportStorage(b, f, before)
		})
	}
}

// BenchmarkHistoryRepricing publishes an LPR fixing that reprices every
// loan; ns/loan is the cost of one loan's repricing decision.
func BenchmarkHistoryRepricing(b *testing.B) {
	for _, n := range historySizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			f, _ := historyFixture(b, n)
			day := tfpricing.NewDate(2027, 3, 10)
			publish := func(i int) {
				day = day.AddDays(1)
				f.today = day
				rate := decimal.New(int64(290+i%2*5), -2)
				rep, err := f.svc.PublishFixing(context.Background(), tfpricing.Actor{},
					pricing.Fixing{EffectiveDate: day, OneYear: rate, FiveYear: rate.Add(decimal.New(50, -2))})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Checked != historyLoans {
					b.Fatalf("checked %d", rep.Checked)
				}
			}
			publish(1) // warm
			before := fileSize(b, f)
			b.ResetTimer()
			stop := profileTimed(b)
			for i := 0; b.Loop(); i++ {
				publish(i)
			}
			b.StopTimer()
			stop()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*historyLoans), "ns/loan")
			reportStorage(b, f, before)
			b.ReportMetric(float64(fileSize(b, f)-before)/float64(b.N*historyLoans), "file-B/loan")
		})
	}
}

// BenchmarkHistoryScheduleRead is GET /v1/loans/{id}/schedule without the
// HTTP: the loan's schedule as of the business date.
func BenchmarkHistoryScheduleRead(b *testing.B) {
	for _, n := range historySizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			f, ids := historyFixture(b, n)
			read := func(i int) {
				if _, _, err := f.svc.ScheduleAsOf(context.Background(), ids[i%len(ids)], f.today); err != nil {
					b.Fatal(err)
				}
			}
			for i := range ids { // warm
				read(i)
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				read(i)
			}
		})
	}
}

// BenchmarkHotLoanAttestation is a verifier's bulk upload: 32 goroutines
// attesting one loan that already holds 100 events. Every member of a
// group-commit batch after the first finds the loan moved and is prepared
// again inside the write transaction, from the view the member before it
// wrote (found by its attestation chain), so the cost per attestation
// should stay close to a single one's.
func BenchmarkHotLoanAttestation(b *testing.B) {
	f, ids := historyFixture(b, 100)
	var n atomic.Int64
	b.SetParallelism(16) // 32 goroutines on two cores
	b.ResetTimer()
	stop := profileTimed(b)
	cpu := cpuTime(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
				VerifierName: "v", EvidenceSHA256: "00"}
			_, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
				LoanID: ids[0], Attestation: a, IdempotencyKey: fmt.Sprint(i), RequestBody: []byte(fmt.Sprint(i))})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	stop()
	reportCPU(b, cpu)
}

// profileTimed writes a CPU profile of the timed loop alone (without the
// fixture's seeding and the warm-up, which -cpuprofile includes and which
// at 1,000 events decode 16,000 attestations) to
// $TFP_BENCH_CPUPROFILE.<benchmark name> when that is set; the function
// returned stops it.
//
// With $TFP_BENCH_MEMPROFILE set it writes the allocation profile before
// and after the loop to that name with .0 and .1 appended: `go tool pprof
// -diff_base X.0 X.1` shows the loop's allocations alone.
func profileTimed(b *testing.B) func() {
	if mem := os.Getenv("TFP_BENCH_MEMPROFILE"); mem != "" {
		name := mem + "." + strings.NewReplacer("/", "_", "=", "").Replace(b.Name())
		writeAllocs(b, name+".0")
		return func() { writeAllocs(b, name+".1") }
	}
	base := os.Getenv("TFP_BENCH_CPUPROFILE")
	if base == "" {
		return func() {}
	}
	out, err := os.Create(base + "." + strings.NewReplacer("/", "_", "=", "").Replace(b.Name()))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := out.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// writeAllocs writes the allocation profile so far to name.
func writeAllocs(b *testing.B, name string) {
	out, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC() // the profile is as of the last collection
	if err := pprof.Lookup("allocs").WriteTo(out, 0); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
