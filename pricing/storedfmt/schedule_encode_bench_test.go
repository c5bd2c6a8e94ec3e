package storedfmt

import (
	"encoding/json"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// benchSchedule is a 20-period state with two SPT marks and a chain, as an
// attestation leaves it.
func benchSchedule() loanbook.ScheduleState {
	st := loanbook.ScheduleState{LoanID: "L-00000007", CalculatedOn: tfpricing.MustParseDate("2025-06-15"),
		LatestFixing: tfpricing.MustParseDate("2025-05-20"), Revision: 3, DecisionSeq: 41,
		TotalInterest: decimal.RequireFromString("491944.44"),
		SPTs: []loanbook.SPTMark{{MetricID: "pet_fdy_energy", Year: 2025, Outcome: "met", DeterminedOn: tfpricing.MustParseDate("2026-03-01")},
			{MetricID: "pet_fdy_energy", Year: 2026, Outcome: "missed", DeterminedOn: tfpricing.MustParseDate("2027-03-01")}},
		AttChain: audit.AttestationChain{Count: 2, ThroughSeq: 77, Chain: "4f1c9a0e5b7d3c2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a"}}
	for p := 1; p <= 20; p++ {
		st.Rates = append(st.Rates, audit.PeriodRate{Period: p, Start: tfpricing.NewDate(2023+p/4, time.Month(1+3*(p%4)), 1),
			Rate: decimal.RequireFromString("3.8500")})
	}
	return st
}

// go test -run '^$' -bench 'EncodeSchedule|ScheduleRecord' ./pricing/storedfmt/:
// a schedule state's stored form (record and frame), and its record alone
// written by encoding/json and by hand.
func BenchmarkEncodeSchedule(b *testing.B) {
	st := benchSchedule()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodeSchedule(st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScheduleRecord(b *testing.B) {
	st := benchSchedule()
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(NewSchedule(st)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = appendScheduleJSON(make([]byte, 0, 384+96*len(st.Rates)+112*len(st.SPTs)), st)
		}
	})
}

// BenchmarkEncoderStates is an attestation's two frames (a decision, a
// schedule state) written by an encoder with one internal state and by one
// with two (the default on two cores, which takes them in turn), with the
// process's CPU time per op beside the wall clock:
// go test -run '^$' -bench EncoderStates -count 8 ./pricing/storedfmt/.
func BenchmarkEncoderStates(b *testing.B) {
	rec := testRecord(b, "repricing.json")
	sched := appendScheduleJSON(nil, benchSchedule())
	for _, n := range []int{1, 2} {
		opts := append(encoderOptions(), zstd.WithEncoderConcurrency(n))
		e, err := zstd.NewWriter(nil, opts...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			start := processCPU(b)
			for b.Loop() {
				e.EncodeAll(rec, make([]byte, 1, 4096))
				e.EncodeAll(sched, make([]byte, 1, 1024))
			}
			b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
