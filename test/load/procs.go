package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// procCPU returns process pid's user+system CPU time so far, from
// /proc/PID/stat (clock ticks, assumed 100 per second as on Linux x86-64);
// 0 when it cannot be read.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are the
	// 14th and 15th fields overall.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// postgresCPU returns the CPU time so far of every PostgreSQL server
// process on the machine (command name "postgres": the postmaster, its
// background workers and every client backend, those of other databases
// too), so that a run over -db can say what the database cost per request.
// A backend that exits during a run takes its time with it, so the figure
// is a lower bound when connections are opened and closed meanwhile (the
// servers' pools keep theirs).
func postgresCPU() time.Duration {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var sum time.Duration
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			continue
		}
		sum += procCPU(pid)
	}
	return sum
}
