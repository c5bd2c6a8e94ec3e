package main

import (
	"fmt"
	"os"
	"time"
)

// soakPaths are the soak's paths, in the order of their turns: quotes,
// attestations spread over the book's loans, and schedule reads of one
// loan (whose history the attestations keep growing).
var soakPaths = []string{"quote", "attest", "schedule1"}

var soakLabels = map[string]string{"quote": "quote", "attest": "attest (durable)", "schedule1": "schedule, one loan"}

// soakMinute is what each path did in turns that started in one minute.
type soakMinute struct {
	st      map[string]*stats
	elapsed map[string]time.Duration
	size    int64 // data file size at the minute's end
}

// soak runs -soak of turns over a book of -soak-loans loans and prints
// per-minute throughput and p99 for each path, the data file's size at the
// start and end, and the first and last minute side by side. It is bounded
// by -soak (at most 30m) and stops by itself.
func soak(o options, srv *server, dir, db string, today time.Time) error {
	c := newClient(srv.URL, max(o.soakClients, o.readClients, o.clients, o.bookConc))
	gen, err := newGenerator(c)
	if err != nil {
		return err
	}
	loans, err := listLoans(c)
	if err != nil {
		return err
	}
	if len(loans) < o.soakLoans {
		booked, res, err := bookLoans(c, gen, o.soakLoans-len(loans), o.bookConc, o.seed, today, len(loans))
		if err != nil {
			return err
		}
		res.print(os.Stdout)
		loans = append(loans, booked...)
	}
	loans = loans[:o.soakLoans]
	var fl floors
	if o.floors {
		if fl, err = measureFloors(c, o, dir); err != nil {
			return err
		}
	}
	runID := fmt.Sprintf("soak-%x", time.Now().UnixNano())
	next := map[string]requests{}
	for _, p := range soakPaths {
		next[p] = scenarioRequests(p, o, gen, today, loans, runID)
	}
	startSize := fileSize(db)
	fmt.Printf("\n== soak: %v in turns of %v, %d clients per path, %d loans; data file %.1f MiB at the start\n",
		o.soak, o.soakTurn, o.soakClients, len(loans), float64(startSize)/(1<<20))
	var minutes []*soakMinute
	start := time.Now()
	for turn := 0; ; turn++ {
		at := time.Since(start)
		if at >= o.soak {
			break
		}
		if size := fileSize(db); size > o.soakMaxFile {
			fmt.Printf("  stopping early at %v: the data file (%.1f MiB) passed -soak-max-file\n", at.Round(time.Second), float64(size)/(1<<20))
			break
		}
		m := int(at / time.Minute)
		for len(minutes) <= m {
			if len(minutes) > 0 {
				prev := minutes[len(minutes)-1]
				prev.size = fileSize(db)
				printSoakMinute(len(minutes), prev)
				fmt.Println("    " + srv.memLine())
			}
			minutes = append(minutes, &soakMinute{st: map[string]*stats{}, elapsed: map[string]time.Duration{}})
		}
		p := soakPaths[turn%len(soakPaths)]
		res := closedLoop(c, p, o.soakClients, min(o.soakTurn, o.soak-at), next[p].measured)
		cur := minutes[m]
		if cur.st[p] == nil {
			cur.st[p] = newStats()
		}
		cur.st[p].merge(res.st)
		cur.elapsed[p] += res.elapsed
	}
	last := minutes[len(minutes)-1]
	last.size = fileSize(db)
	printSoakMinute(len(minutes), last)
	fmt.Println("    " + srv.memLine())
	endSize := fileSize(db)
	attests := next["attest"].count()
	fmt.Printf("\n  data file: %.1f MiB at the start, %.1f MiB at the end; %d attestations (%.1f per loan)\n",
		float64(startSize)/(1<<20), float64(endSize)/(1<<20), attests, float64(attests)/float64(len(loans)))
	first := minutes[0]
	fmt.Printf("\n  %-20s %22s %22s\n", "path", "first minute", fmt.Sprintf("last (minute %d)", len(minutes)))
	for _, p := range soakPaths {
		fmt.Printf("  %-20s %22s %22s\n", soakLabels[p], first.cell(p), last.cell(p))
	}
	if fl.healthz != nil {
		for i, m := range []*soakMinute{first, last} {
			fmt.Printf("\n  %s minute:", []string{"first", "last"}[i])
			printRatios(fl, m.results(o.soakClients), o.md)
		}
	}
	return nil
}

func (m *soakMinute) cell(p string) string {
	st := m.st[p]
	if st == nil || m.elapsed[p] <= 0 {
		return "–"
	}
	ok := 0
	for k, v := range st.status {
		if k >= 200 && k < 300 {
			ok += v
		}
	}
	return fmt.Sprintf("%.0f/s, p99 %s ms", float64(ok)/m.elapsed[p].Seconds(), ms(st.lat.quantile(0.99)))
}

func printSoakMinute(n int, m *soakMinute) {
	fmt.Printf("  minute %2d:", n)
	for _, p := range soakPaths {
		fmt.Printf("  %s %s;", soakLabels[p], m.cell(p))
	}
	fmt.Printf("  file %.1f MiB\n", float64(m.size)/(1<<20))
}

// results turns a minute's stats into results for printRatios.
func (m *soakMinute) results(clients int) []*result {
	var out []*result
	for _, p := range soakPaths {
		if m.st[p] == nil {
			continue
		}
		out = append(out, &result{name: soakLabels[p], mode: fmt.Sprintf("closed, %d clients, turns", clients),
			st: m.st[p], elapsed: m.elapsed[p], clients: clients, durable: durableScenario(p)})
	}
	return out
}
