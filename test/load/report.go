package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"syscall"
	"time"
)

// cpuMark is the CPU counters at the start of a run.
type cpuMark struct{ server, db, client, busy, steal, cpuStall, ioStall time.Duration }

func startCPU() cpuMark {
	busy, steal := machineCPU()
	cs, is := pressure()
	return cpuMark{serverCPU(), dbCPU(), selfCPU(), busy, steal, cs, is}
}

func (m cpuMark) finish(r *result) {
	busy, steal := machineCPU()
	r.serverCPU, r.dbCPU, r.clientCPU = serverCPU()-m.server, dbCPU()-m.db, selfCPU()-m.client
	r.otherCPU = max(0, busy-m.busy-r.serverCPU-r.dbCPU-r.clientCPU)
	r.stealCPU = steal - m.steal
	cs, is := pressure()
	r.cpuStall, r.ioStall = cs-m.cpuStall, is-m.ioStall
	r.load = loadAvg()
}

// note describes the CPU use since the mark for a run of el.
func (m cpuMark) note(el time.Duration) string {
	r := &result{}
	m.finish(r)
	sec := el.Seconds()
	return fmt.Sprintf("  CPU: server %.2f cores, PostgreSQL %.2f, load tool %.2f, other processes %.2f, stolen %.2f; stalls (PSI some) CPU %.0f%%, I/O %.0f%%; load average %s",
		r.serverCPU.Seconds()/sec, r.dbCPU.Seconds()/sec, r.clientCPU.Seconds()/sec, r.otherCPU.Seconds()/sec, r.stealCPU.Seconds()/sec,
		100*r.cpuStall.Seconds()/sec, 100*r.ioStall.Seconds()/sec, r.load)
}

// serverCPU is set by main to read the CPU time of the server processes
// (every replica's); dbCPU, with -db, to read PostgreSQL's (postgresCPU).
var (
	serverCPU = func() time.Duration { return 0 }
	dbCPU     = func() time.Duration { return 0 }
)

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

func (r *result) print(w io.Writer) {
	el := r.elapsed.Seconds()
	fmt.Fprintf(w, "\n== %s (%s)\n", r.name, r.mode)
	if r.scheduled > 0 {
		fmt.Fprintf(w, "  scheduled %d  sent %d  unsent %d  late(>%v) %d  send lag p99 %s ms max %s ms\n",
			r.scheduled, r.st.sent, r.unsent, r.lateThresh, r.st.late, ms(r.st.lag.quantile(0.99)), ms(time.Duration(r.st.lag.max)))
	} else {
		fmt.Fprintf(w, "  sent %d\n", r.st.sent)
	}
	fmt.Fprintf(w, "  completed %d  2xx %d  errors: %s\n", r.completed(), r.ok(), r.errorsByStatus())
	fmt.Fprintf(w, "  throughput %.0f req/s (2xx %.0f/s) over %.1f s, %.1f KiB/response\n",
		float64(r.completed())/el, float64(r.ok())/el, el, float64(r.st.bytes)/1024/float64(max(1, r.completed())))
	h := &r.st.lat
	fmt.Fprintf(w, "  latency ms: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s\n",
		ms(h.quantile(0.5)), ms(h.quantile(0.9)), ms(h.quantile(0.99)), ms(h.quantile(0.999)), ms(time.Duration(h.max)), ms(h.mean()))
	if r.scheduled > 0 {
		s := &r.st.service
		fmt.Fprintf(w, "  service ms (send→response, for comparison): p50 %s  p99 %s  max %s\n",
			ms(s.quantile(0.5)), ms(s.quantile(0.99)), ms(time.Duration(s.max)))
	}
	fmt.Fprintf(w, "  CPU: server %.2f cores (%s ms per completed request), PostgreSQL %.2f cores (%s ms per request), load tool %.2f cores, other processes %.2f cores, stolen %.2f; load average %s\n",
		r.serverCPU.Seconds()/el, r.cpuPerRequest(), r.dbCPU.Seconds()/el, r.dbPerRequest(), r.clientCPU.Seconds()/el, r.otherCPU.Seconds()/el, r.stealCPU.Seconds()/el, r.load)
	fmt.Fprintf(w, "  stalls (PSI some): CPU %.0f%% of the time, I/O %.0f%%\n", 100*r.cpuStall.Seconds()/el, 100*r.ioStall.Seconds()/el)
	for k, v := range r.st.samples {
		fmt.Fprintf(w, "  sample %d: %s\n", k, v)
	}
	if r.st.errText != "" {
		fmt.Fprintf(w, "  first transport error: %s\n", r.st.errText)
	}
}

// cpuPerRequest is the servers' CPU time per completed request, in ms: a
// figure that stays comparable when other work on the machine takes cores
// away and throughput drops.
func (r *result) cpuPerRequest() string { return r.perRequest(r.serverCPU) }

// dbPerRequest is PostgreSQL's CPU time per completed request, in ms ("–"
// without -db).
func (r *result) dbPerRequest() string {
	if r.dbCPU == 0 {
		return "–"
	}
	return r.perRequest(r.dbCPU)
}

func (r *result) perRequest(d time.Duration) string {
	n := r.completed()
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f", d.Seconds()*1000/float64(n))
}

// mdRow is the scenario as a Markdown table row for BENCHMARKS.md.
func (r *result) mdRow() string {
	el := r.elapsed.Seconds()
	h := &r.st.lat
	return fmt.Sprintf("| %s | %s | %d | %d | %s | %.0f | %s | %s | %s | %s | %s | %s | %.2f / %.2f / %.2f / %.2f | %s |",
		r.name, r.mode, r.st.sent, r.completed(), r.errorsByStatus(), float64(r.ok())/el,
		ms(h.quantile(0.5)), ms(h.quantile(0.9)), ms(h.quantile(0.99)), ms(time.Duration(h.max)), r.cpuPerRequest(), r.dbPerRequest(),
		r.serverCPU.Seconds()/el, r.dbCPU.Seconds()/el, r.clientCPU.Seconds()/el, r.otherCPU.Seconds()/el, r.load)
}

const mdHeader = "| scenario | mode | sent | completed | errors | 2xx/s | p50 ms | p90 ms | p99 ms | max ms | server CPU ms/req | PostgreSQL CPU ms/req | CPU server / PostgreSQL / tool / other (cores) | load avg |\n" +
	"|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

func (r *result) completed() int {
	n := 0
	for k, v := range r.st.status {
		if k != 0 {
			n += v
		}
	}
	return n
}

func (r *result) ok() int {
	n := 0
	for k, v := range r.st.status {
		if k >= 200 && k < 300 {
			n += v
		}
	}
	return n
}

func (r *result) errorsByStatus() string {
	var keys []int
	for k := range r.st.status {
		if k < 200 || k >= 300 {
			keys = append(keys, k)
		}
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		name := fmt.Sprint(k)
		if k == 0 {
			name = "transport"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, r.st.status[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
