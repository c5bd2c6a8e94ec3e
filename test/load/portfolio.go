package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// listLoans pages through GET /v1/loans so a reused data file's loans can
// be read and attested.
func listLoans(c *client) ([]loanSpec, error) {
	var out []loanSpec
	cursor := ""
	for {
		var page struct {
			Items []struct {
				ID   string `json:"id"`
				KPIs []struct {
					MetricID string    `json:"metric_id"`
					Targets  []obsBody `json:"targets"`
				} `json:"kpis"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := c.getJSON("/v1/loans?limit=500"+cursor, "officer", &page); err != nil {
			return nil, err
		}
		for _, it := range page.Items {
			l := loanSpec{ID: it.ID}
			for _, k := range it.KPIs {
				if len(k.Targets) > 0 {
					l.Metrics = append(l.Metrics, k.MetricID)
					l.Targets = append(l.Targets, k.Targets[0].Value)
				}
			}
			if len(l.Metrics) > 0 {
				out = append(out, l)
			}
		}
		if page.NextCursor == "" {
			return out, nil
		}
		cursor = "&cursor=" + page.NextCursor
	}
}

// bookLoans books n generated loans with full terms from clients workers
// (closed loop) and reports the booking rate.
func bookLoans(c *client, gen *generator, n, clients int, seed uint64, today time.Time, offset int) ([]loanSpec, *result, error) {
	fmt.Printf("booking %d loans with %d clients …\n", n, clients)
	var idx atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	out := make([]loanSpec, n)
	all := make([]*stats, clients)
	start := time.Now()
	cpu := startCPU()
	var progress atomic.Int64
	for w := range clients {
		st := newStats()
		all[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(idx.Add(1) - 1)
				if i >= n {
					return
				}
				r := rand.New(rand.NewPCG(seed, uint64(offset+i)|1<<40))
				terms, metrics, targets := gen.bookingTerms(r, today)
				body, _ := json.Marshal(map[string]any{"external_ref": fmt.Sprintf("LOAD-%08d", offset+i), "terms": terms})
				t0 := time.Now()
				st2, resp, nb, err := c.do(context.Background(), request{method: "POST", path: "/v1/loans", role: "officer", body: body}, true)
				done := time.Now()
				st.sent++
				st.lat.record(done.Sub(t0))
				st.status[st2]++
				st.bytes += nb
				st.finished = done
				if err != nil || st2 != 201 {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("booking loan %d: %d %v %s\nterms: %s", i, st2, err, truncate(string(resp), 600), body)
					}
					mu.Unlock()
					return
				}
				var loan struct {
					ID string `json:"id"`
				}
				_ = json.Unmarshal(resp, &loan)
				out[i] = loanSpec{ID: loan.ID, Metrics: metrics, Targets: targets}
				if p := progress.Add(1); p%10000 == 0 {
					fmt.Printf("  … %d booked, %.0f/s\n", p, float64(p)/time.Since(start).Seconds())
				}
			}
		}()
	}
	wg.Wait()
	res := &result{name: "book (POST /v1/loans, terms)", mode: fmt.Sprintf("closed, %d clients", clients), st: newStats()}
	for _, s := range all {
		res.st.merge(s)
	}
	res.elapsed = res.st.finished.Sub(start)
	cpu.finish(res)
	if firstErr != nil {
		return nil, res, firstErr
	}
	return out, res, nil
}

// printMemory reports the server's memory now and, with settle > 0, once
// more after that long idle: the server releases the data file's mapped
// pages from its resident set periodically, so the idle figure is its
// steady state and the first one includes the pages just written or read.
func printMemory(srv *server, loans int, settle time.Duration) {
	fmt.Printf("\n== memory with %d loans: %s\n", loans, srv.memLine())
	if settle > 0 {
		time.Sleep(settle)
		fmt.Printf("== memory with %d loans after %s idle: %s\n", loans, settle, srv.memLine())
	}
}

// timeReprice publishes a fixing one day after the latest known one (and
// not after the business date), alternating between two rate pairs so every
// run changes the loans' future rates, and reports the wall time.
func timeReprice(c *client, srv *server, today time.Time) error {
	var lpr struct {
		Items []struct {
			EffectiveDate string `json:"effective_date"`
			OneYear       string `json:"one_year"`
		} `json:"items"`
	}
	if err := c.getJSON("/v1/benchmarks/lpr", "admin", &lpr); err != nil {
		return err
	}
	if len(lpr.Items) == 0 {
		return errors.New("no LPR fixings known")
	}
	latest, err := time.Parse(time.DateOnly, lpr.Items[0].EffectiveDate)
	if err != nil {
		return err
	}
	eff := latest.AddDate(0, 0, 1)
	if eff.After(today) {
		return fmt.Errorf("the latest fixing (%s) leaves no day before the business date for a new one", lpr.Items[0].EffectiveDate)
	}
	one, five := "2.90", "3.40"
	if lpr.Items[0].OneYear == "2.9000" || lpr.Items[0].OneYear == "2.90" {
		one, five = "2.85", "3.35"
	}
	body := fmt.Sprintf(`{"effective_date": %q, "one_year": %q, "five_year": %q}`, eff.Format(time.DateOnly), one, five)
	cpu := startCPU()
	t0 := time.Now()
	var rep struct {
		Repriced, Changed, Transactions int
	}
	if _, err := c.postJSON("/v1/benchmarks/lpr", "admin", []byte(body), &rep); err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Printf("\n== LPR repricing: fixing %s %s/%s — %d loans repriced, %d changed, %d transactions in %.2f s (%.0f loans/s)\n",
		eff.Format(time.DateOnly), one, five, rep.Repriced, rep.Changed, rep.Transactions, el.Seconds(),
		float64(rep.Repriced)/el.Seconds())
	fmt.Println(cpu.note(el))
	fmt.Println("  " + srv.memLine())
	return nil
}

func timeSweep(c *client, srv *server) error {
	cpu := startCPU()
	t0 := time.Now()
	var rep struct {
		Checked, Changed, Transactions int
	}
	if _, err := c.postJSON("/v1/admin/sweep", "admin", nil, &rep); err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Printf("\n== sweep: %d loans checked, %d changed, %d transactions in %.2f s (%.0f loans/s)\n",
		rep.Checked, rep.Changed, rep.Transactions, el.Seconds(), float64(rep.Checked)/el.Seconds())
	fmt.Println(cpu.note(el))
	fmt.Println("  " + srv.memLine())
	return nil
}

// timeVerify walks the decision chain through GET /v1/audit/verify.
func timeVerify(c *client, srv *server) error {
	cpu := startCPU()
	t0 := time.Now()
	var rep struct {
		OK      bool `json:"ok"`
		Checked int  `json:"checked"`
		Head    struct {
			Seq uint64 `json:"seq"`
		} `json:"head"`
		FirstBrokenSeq *uint64 `json:"first_broken_seq"`
	}
	if err := c.getJSON("/v1/audit/verify", "auditor", &rep); err != nil {
		return fmt.Errorf("verify (does this build serve /v1/audit/verify?): %w", err)
	}
	el := time.Since(t0)
	fmt.Printf("\n== audit verify: ok=%v, %d decisions checked (head %d) in %.2f s (%.0f decisions/s)\n",
		rep.OK, rep.Checked, rep.Head.Seq, el.Seconds(), float64(rep.Checked)/el.Seconds())
	fmt.Println(cpu.note(el))
	fmt.Println("  " + srv.memLine())
	return nil
}

// timeReplay replays decisions 1..n (closed loop, clients workers). A 422
// (a kind that is not replayable, e.g. a simulation) is counted, not fatal.
func timeReplay(c *client, n, clients int) *result {
	fmt.Printf("replaying decisions 1..%d with %d clients …\n", n, clients)
	var idx atomic.Int64
	var mismatches atomic.Int64
	var wg sync.WaitGroup
	all := make([]*stats, clients)
	start := time.Now()
	cpu := startCPU()
	for w := range clients {
		st := newStats()
		all[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := idx.Add(1)
				if i > int64(n) {
					return
				}
				t0 := time.Now()
				code, body, nb, err := c.do(context.Background(), request{method: "POST", path: fmt.Sprintf("/v1/decisions/%d/replay", i), role: "auditor"}, true)
				done := time.Now()
				st.sent++
				st.lat.record(done.Sub(t0))
				st.status[code]++
				st.bytes += nb
				st.finished = done
				if err != nil && st.errText == "" {
					st.errText = err.Error()
				}
				if code == 200 {
					var r struct {
						Match bool `json:"match"`
					}
					if json.Unmarshal(body, &r) == nil && !r.Match {
						mismatches.Add(1)
					}
				} else if _, ok := st.samples[code]; !ok {
					st.samples[code] = truncate(string(body), 300)
				}
			}
		}()
	}
	wg.Wait()
	res := &result{name: "replay (POST /v1/decisions/{id}/replay)", mode: fmt.Sprintf("closed, %d clients", clients), st: newStats()}
	for _, s := range all {
		res.st.merge(s)
	}
	res.elapsed = res.st.finished.Sub(start)
	cpu.finish(res)
	if m := mismatches.Load(); m > 0 {
		fmt.Printf("  %d replays did NOT match their recorded outputs\n", m)
	}
	return res
}
