package loanbook_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user and system) the test process has used so
// far, on all its threads: the benchmarks below report it per op
// (cpu-ns/op) beside the wall clock, which on a shared machine or under
// fsync says little about the work an attestation costs.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time used since start per op.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}
