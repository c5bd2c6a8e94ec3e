package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

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
	case "attest":
		year := today.Year() - 1
		f = func() request {
			i := seq.Add(1) - 1
			l := loans[i%int64(len(loans))]
			k := int(i/int64(len(loans))) % len(l.Metrics)
			r := rand.New(rand.NewPCG(o.seed, uint64(i)))
			return request{method: "POST", path: "/v1/loans/" + l.ID + "/attestations", role: "verifier",
				idemKey: runID + "-" + fmt.Sprint(i), body: attestation(r, l.Metrics[k], l.Targets[k], year)}
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
