package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// client is a keep-alive HTTP client for one server on loopback.
type client struct {
	base string
	// others are further replicas' base URLs (-replicas): requests go to
	// base and others in turn.
	others []string
	next   atomic.Uint64
	http   *http.Client
}

// url picks the next replica (the only one without -replicas).
func (c *client) url() string {
	if len(c.others) == 0 {
		return c.base
	}
	i := c.next.Add(1) % uint64(len(c.others)+1)
	if i == 0 {
		return c.base
	}
	return c.others[i-1]
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
	req, err := http.NewRequestWithContext(ctx, r.method, c.url()+r.path, rd)
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
	serverCPU  time.Duration // every replica's
	dbCPU      time.Duration // PostgreSQL's (-db)
	clientCPU  time.Duration
	otherCPU   time.Duration // the rest of the machine's busy time meanwhile
	stealCPU   time.Duration
	cpuStall   time.Duration // PSI: time some task waited for a CPU
	ioStall    time.Duration // PSI: time some task waited for I/O
	load       string
	lateThresh time.Duration
	clients    int  // closed loop: concurrent clients
	durable    bool // a durable write (its floor is the raw commit rate)
	note       string
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
	res := &result{name: name, mode: fmt.Sprintf("closed, %d clients", clients), st: newStats(), clients: clients}
	for _, s := range all {
		res.st.merge(s)
	}
	res.elapsed = res.st.finished.Sub(start)
	cpu.finish(res)
	return res
}
