package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"
)

var defaultRates = map[string]float64{
	"healthz": 5000, "eligibility": 5000, "quote": 2000, "schedule": 2000, "attest": 2000, "hotattest": 0,
}

// scenarioOrder is what "all" runs; hotattest (always closed loop) is
// asked for by name.
var scenarioOrder = []string{"healthz", "eligibility", "quote", "schedule", "attest"}

// durableScenario reports whether a scenario's requests are fsync'd writes.
func durableScenario(name string) bool { return name == "attest" || name == "hotattest" }

func parseScenarios(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "all" {
			out = append(out, scenarioOrder...)
			continue
		}
		if _, ok := defaultRates[name]; !ok {
			return nil, fmt.Errorf("unknown scenario %q (want healthz, eligibility, quote, schedule, attest, hotattest or all)", name)
		}
		out = append(out, name)
	}
	return out, nil
}

// requests is a scenario's request source; warm-up and measurement draw
// from the same sequence so idempotency keys never repeat.
type requests struct {
	warm, measured func(i int) request
	count          func() int
}

func scenarioRequests(name string, o options, gen *generator, today time.Time, loans []loanSpec, runID string) requests {
	var seq atomic.Int64
	var f func() request
	switch name {
	case "healthz":
		r := request{method: "GET", path: "/healthz"}
		f = func() request { return r }
	case "eligibility", "quote":
		bodies := makeBodies(name, o, gen, today, 512)
		path := "/v1/" + map[string]string{"eligibility": "eligibility", "quote": "quotes"}[name]
		f = func() request {
			i := seq.Add(1) - 1
			return request{method: "POST", path: path, role: "officer", body: bodies[i%int64(len(bodies))]}
		}
	case "schedule":
		f = func() request {
			i := seq.Add(1) - 1
			return request{method: "GET", path: "/v1/loans/" + loans[i%int64(len(loans))].ID + "/schedule", role: "officer"}
		}
	case "schedule1": // one loan's schedule (the soak's)
		r := request{method: "GET", path: "/v1/loans/" + loans[0].ID + "/schedule", role: "officer"}
		f = func() request { seq.Add(1); return r }
	case "attest", "hotattest":
		year := today.Year() - 1
		hot := name == "hotattest"
		f = func() request {
			i := seq.Add(1) - 1
			l := loans[i%int64(len(loans))]
			if hot {
				l = loans[len(loans)-1]
			}
			k := int(i/int64(len(loans))) % len(l.Metrics)
			if hot {
				k = int(i) % len(l.Metrics)
			}
			r := rand.New(rand.NewPCG(o.seed, uint64(i)))
			return request{method: "POST", path: "/v1/loans/" + l.ID + "/attestations", role: "verifier",
				idemKey: runID + "-" + name + "-" + fmt.Sprint(i), body: attestation(r, l.Metrics[k], l.Targets[k], year)}
		}
	}
	g := func(int) request { return f() }
	return requests{warm: g, measured: g, count: func() int { return int(seq.Load()) }}
}

func makeBodies(name string, o options, gen *generator, today time.Time, n int) [][]byte {
	r := rand.New(rand.NewPCG(o.seed, 7))
	out := make([][]byte, 0, n)
	for range n {
		var q quoteBody
		switch {
		case o.mix == "standard":
			q = standardQuote(today)
			if name == "eligibility" {
				q.Facility, q.Borrower.CreditRating, q.Borrower.ESGScore, q.Borrower.CarbonEfficiencyGrade = nil, "", nil, nil
			}
		case name == "eligibility":
			q = gen.eligibility(r, today)
		default:
			q = gen.quote(r, today)
		}
		b, _ := json.Marshal(q)
		out = append(out, b)
	}
	return out
}

// runScenario warms up and measures one scenario: closed loop for
// hotattest and with -closed (durable writes with -clients, the rest with
// -read-clients), open loop at the scenario's rate otherwise.
func runScenario(c *client, o options, name string, gen *generator, today time.Time, loans []loanSpec, runID string) *result {
	next := scenarioRequests(name, o, gen, today, loans, runID)
	label := name
	switch name {
	case "quote", "eligibility":
		label += " (" + o.mix + ")"
	case "attest":
		label = "attest (durable)"
	case "hotattest":
		label = "attest, one loan (durable)"
	}
	clients := o.readClients
	if durableScenario(name) {
		clients = o.clients
	}
	var res *result
	if o.closed || name == "hotattest" {
		if o.warmup > 0 {
			closedLoop(c, name, clients, o.warmup, next.warm)
		}
		res = closedLoop(c, label, clients, o.duration, next.measured)
	} else {
		rate := o.rate
		if rate <= 0 {
			rate = defaultRates[name]
		}
		inflight := o.maxInflight
		if name == "attest" {
			inflight = o.clients
		}
		if o.warmup > 0 {
			openLoop(c, name, rate, o.warmup, inflight, o.late, next.warm)
		}
		res = openLoop(c, label, rate, o.duration, inflight, o.late, next.measured)
	}
	res.durable = durableScenario(name)
	if name == "attest" {
		res.note = fmt.Sprintf("attestations so far: %d over %d loans (%.1f per loan on average; each recalculation reads all of a loan's)",
			next.count(), len(loans), float64(next.count())/float64(len(loans)))
	}
	return res
}
