package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// client is a keep-alive HTTP client for one server on loopback.
type client struct {
	base string
	http *http.Client
}

func newClient(base string, conns int) *client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        conns + 16,
		MaxIdleConnsPerHost: conns + 16,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &client{base: base, http: &http.Client{Transport: tr, Timeout: 10 * time.Minute}}
}

// request is one call the load tool makes.
type request struct {
	method, path, role, idemKey string
	body                        []byte
}

// do sends r and reads the whole response; it returns the status (0 for a
// transport error), the body when keep is set, and the error.
func (c *client) do(ctx context.Context, r request, keep bool) (int, []byte, int64, error) {
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, rd)
	if err != nil {
		return 0, nil, 0, err
	}
	if r.role != "" {
		req.Header.Set("Authorization", "Bearer tfp-dev-"+r.role)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.idemKey != "" {
		req.Header.Set("Idempotency-Key", r.idemKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, 0, err
	}
	defer resp.Body.Close()
	if keep || resp.StatusCode >= 300 {
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, int64(len(b)), err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil, n, err
}

// getJSON GETs path and decodes a 200 answer into v.
func (c *client) getJSON(path, role string, v any) error {
	st, b, _, err := c.do(context.Background(), request{method: "GET", path: path, role: role}, true)
	if err != nil {
		return err
	}
	if st != 200 {
		return fmt.Errorf("GET %s: %d %s", path, st, b)
	}
	return json.Unmarshal(b, v)
}

// postJSON sends body and decodes a 2xx answer into v (when not nil).
func (c *client) postJSON(path, role string, body []byte, v any) (int, error) {
	st, b, _, err := c.do(context.Background(), request{method: "POST", path: path, role: role, body: body}, true)
	if err != nil {
		return st, err
	}
	if st/100 != 2 {
		return st, fmt.Errorf("POST %s: %d %s", path, st, b)
	}
	if v != nil {
		return st, json.Unmarshal(b, v)
	}
	return st, nil
}

// stats is what one worker saw; workers' stats are merged at the end.
type stats struct {
	lat      histogram // from the scheduled send time (open loop) or the send (closed loop)
	service  histogram // from the actual send to the end of the response
	lag      histogram // how late each request left against its schedule
	status   map[int]int
	samples  map[int]string // one response body per error status
	errText  string
	bytes    int64
	late     int
	sent     int
	finished time.Time
}

func newStats() *stats { return &stats{status: map[int]int{}, samples: map[int]string{}} }

func (s *stats) merge(o *stats) {
	s.lat.merge(&o.lat)
	s.service.merge(&o.service)
	s.lag.merge(&o.lag)
	for k, v := range o.status {
		s.status[k] += v
	}
	for k, v := range o.samples {
		if _, ok := s.samples[k]; !ok {
			s.samples[k] = v
		}
	}
	if s.errText == "" {
		s.errText = o.errText
	}
	s.bytes += o.bytes
	s.late += o.late
	s.sent += o.sent
	if o.finished.After(s.finished) {
		s.finished = o.finished
	}
}

func (s *stats) observe(c *client, r request, scheduled time.Time) {
	sendAt := time.Now()
	if lag := sendAt.Sub(scheduled); lag > 0 {
		s.lag.record(lag)
	} else {
		s.lag.record(0)
	}
	st, body, n, err := c.do(context.Background(), r, false)
	done := time.Now()
	s.sent++
	s.lat.record(done.Sub(scheduled))
	s.service.record(done.Sub(sendAt))
	s.status[st]++
	s.bytes += n
	if err != nil && s.errText == "" {
		s.errText = err.Error()
	}
	if st >= 300 {
		if _, ok := s.samples[st]; !ok {
			s.samples[st] = truncate(string(body), 300)
		}
	}
	s.finished = done
}

// result is one scenario run.
type result struct {
	name       string
	mode       string // "open 2000/s ×256" or "closed ×32"
	scheduled  int    // open loop: requests the schedule called for
	unsent     int    // open loop: scheduled but never sent (pool exhausted until the end)
	elapsed    time.Duration
	st         *stats
	serverCPU  time.Duration
	clientCPU  time.Duration
	otherCPU   time.Duration // the rest of the machine's busy time meanwhile
	stealCPU   time.Duration
	cpuStall   time.Duration // PSI: time some task waited for a CPU
	ioStall    time.Duration // PSI: time some task waited for I/O
	load       string
	lateThresh time.Duration
}

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

// openLoop sends requests on a fixed schedule — request i is due at
// start + i/rate — from a pool of maxInflight workers. Latency is measured
// from the due time, not from when a worker got round to sending, so a
// server that falls behind shows its queueing delay instead of hiding it
// (coordinated omission). A request that leaves more than lateThresh after
// its due time is counted late; requests still unsent when the duration
// ends (every worker was stuck waiting for the server) are counted unsent.
func openLoop(c *client, name string, rate float64, dur time.Duration, maxInflight int, lateThresh time.Duration, next func(i int) request) *result {
	total := int(rate * dur.Seconds())
	interval := float64(time.Second) / rate
	start := time.Now().Add(20 * time.Millisecond)
	end := start.Add(dur)
	var idx atomic.Int64
	var wg sync.WaitGroup
	all := make([]*stats, maxInflight)
	cpu := startCPU()
	for w := 0; w < maxInflight; w++ {
		st := newStats()
		all[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(idx.Add(1) - 1)
				if i >= total {
					return
				}
				due := start.Add(time.Duration(float64(i) * interval))
				now := time.Now()
				if now.After(end) {
					return // this and every later slot stays unsent
				}
				if d := due.Sub(now); d > 0 {
					time.Sleep(d)
				}
				if time.Since(due) > lateThresh {
					st.late++
				}
				st.observe(c, next(i), due)
			}
		}()
	}
	wg.Wait()
	res := &result{name: name, mode: fmt.Sprintf("open %g/s, ≤%d in flight", rate, maxInflight), scheduled: total,
		st: newStats(), lateThresh: lateThresh}
	for _, s := range all {
		res.st.merge(s)
	}
	res.unsent = total - res.st.sent
	res.elapsed = res.st.finished.Sub(start)
	cpu.finish(res)
	return res
}

// closedLoop runs clients workers that each send the next request as soon
// as the previous answer arrived, for dur: the maximum throughput at that
// concurrency. Latency is from each send.
func closedLoop(c *client, name string, clients int, dur time.Duration, next func(i int) request) *result {
	var idx atomic.Int64
	var wg sync.WaitGroup
	all := make([]*stats, clients)
	start := time.Now()
	end := start.Add(dur)
	cpu := startCPU()
	for w := 0; w < clients; w++ {
		st := newStats()
		all[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				i := int(idx.Add(1) - 1)
				st.observe(c, next(i), time.Now())
			}
		}()
	}
	wg.Wait()
	res := &result{name: name, mode: fmt.Sprintf("closed, %d clients", clients), st: newStats()}
	for _, s := range all {
		res.st.merge(s)
	}
	res.elapsed = res.st.finished.Sub(start)
	cpu.finish(res)
	return res
}

// cpuMark is the CPU counters at the start of a run.
type cpuMark struct{ server, client, busy, steal, cpuStall, ioStall time.Duration }

func startCPU() cpuMark {
	busy, steal := machineCPU()
	cs, is := pressure()
	return cpuMark{serverCPU(), selfCPU(), busy, steal, cs, is}
}

func (m cpuMark) finish(r *result) {
	busy, steal := machineCPU()
	r.serverCPU, r.clientCPU = serverCPU()-m.server, selfCPU()-m.client
	r.otherCPU = max(0, busy-m.busy-r.serverCPU-r.clientCPU)
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
	return fmt.Sprintf("  CPU: server %.2f cores, load tool %.2f, other processes %.2f, stolen %.2f; stalls (PSI some) CPU %.0f%%, I/O %.0f%%; load average %s",
		r.serverCPU.Seconds()/sec, r.clientCPU.Seconds()/sec, r.otherCPU.Seconds()/sec, r.stealCPU.Seconds()/sec,
		100*r.cpuStall.Seconds()/sec, 100*r.ioStall.Seconds()/sec, r.load)
}

// serverCPU is set by main to read the server process's CPU time.
var serverCPU = func() time.Duration { return 0 }

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
	fmt.Fprintf(w, "  CPU: server %.2f cores (%s ms per completed request), load tool %.2f cores, other processes %.2f cores, stolen %.2f; load average %s\n",
		r.serverCPU.Seconds()/el, r.cpuPerRequest(), r.clientCPU.Seconds()/el, r.otherCPU.Seconds()/el, r.stealCPU.Seconds()/el, r.load)
	fmt.Fprintf(w, "  stalls (PSI some): CPU %.0f%% of the time, I/O %.0f%%\n", 100*r.cpuStall.Seconds()/el, 100*r.ioStall.Seconds()/el)
	for k, v := range r.st.samples {
		fmt.Fprintf(w, "  sample %d: %s\n", k, v)
	}
	if r.st.errText != "" {
		fmt.Fprintf(w, "  first transport error: %s\n", r.st.errText)
	}
}

// cpuPerRequest is the server's CPU time per completed request, in ms: a
// figure that stays comparable when other work on the machine takes cores
// away and throughput drops.
func (r *result) cpuPerRequest() string {
	n := r.completed()
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f", r.serverCPU.Seconds()*1000/float64(n))
}

// mdRow is the scenario as a Markdown table row for BENCHMARKS.md.
func (r *result) mdRow() string {
	el := r.elapsed.Seconds()
	h := &r.st.lat
	return fmt.Sprintf("| %s | %s | %d | %d | %s | %.0f | %s | %s | %s | %s | %s | %.2f / %.2f / %.2f | %s |",
		r.name, r.mode, r.st.sent, r.completed(), r.errorsByStatus(), float64(r.ok())/el,
		ms(h.quantile(0.5)), ms(h.quantile(0.9)), ms(h.quantile(0.99)), ms(time.Duration(h.max)), r.cpuPerRequest(),
		r.serverCPU.Seconds()/el, r.clientCPU.Seconds()/el, r.otherCPU.Seconds()/el, r.load)
}

const mdHeader = "| scenario | mode | sent | completed | errors | 2xx/s | p50 ms | p90 ms | p99 ms | max ms | server CPU ms/req | CPU server / tool / other (cores) | load avg |\n" +
	"|---|---|---|---|---|---|---|---|---|---|---|---|---|"
