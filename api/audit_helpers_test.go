package api_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"

	"tfpricing"
)

// testAuditKey signs the test servers' checkpoints; a fixed seed, since
// tests must not depend on randomness.
var testAuditKey = ed25519.NewKeyFromSeed([]byte(strings.Repeat("api-audit-tests!", 2)))

func init() {
	// The export's JSON lines are text to the contract check.
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.PlainBodyDecoder)
}

// storeReference does what start-up does in the binary (the api tests
// build the server without it): the shipped catalogue and policy stored by
// digest, and a load decision for each.
func (e *testEnv) storeReference() {
	e.t.Helper()
	if _, err := e.book.LoadReference(context.Background(), tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		e.t.Fatal(err)
	}
}

// auditLife gives the test server a decision of every kind: the load
// decisions, a quote, its booking, a recorded simulation, an LPR
// repricing, an attestation, its correction and a due-date sweep. It
// returns the loan id.
func (e *testEnv) auditLife() string {
	e.t.Helper()
	e.storeReference()
	id := e.bookQuote("HZ-AUDIT")
	body := strings.Replace(simBody(`[{"name": "all met", "projection": "all_met"}]`), `"scenarios"`, `"record": true, "scenarios"`, 1)
	if rec := e.call(http.MethodPost, "/v1/simulations", "analyst", body); rec.Code != http.StatusOK {
		e.t.Fatalf("recorded simulation: %d %s", rec.Code, rec.Body)
	}
	if rec := e.call(http.MethodPost, "/v1/benchmarks/lpr", "admin",
		`{"effective_date": "2026-11-26", "one_year": "2.90", "five_year": "3.40"}`); rec.Code != http.StatusCreated {
		e.t.Fatalf("fixing: %d %s", rec.Code, rec.Body)
	}
	e.setToday("2027-03-01")
	if rec := e.postAttestation(id, "a-2026", attest(2026, "81", "")); rec.Code != http.StatusCreated {
		e.t.Fatalf("attestation: %d %s", rec.Code, rec.Body)
	}
	e.setToday("2027-03-05")
	if rec := e.postAttestation(id, "a-2026-fix", attest(2026, "83", "")); rec.Code != http.StatusCreated {
		e.t.Fatalf("correction: %d %s", rec.Code, rec.Body)
	}
	// The 2027 SPT is due 2028-04-29: the sweep determines not_reported.
	e.setToday("2028-05-01")
	if rec := e.call(http.MethodPost, "/v1/admin/sweep", "admin", ""); rec.Code != http.StatusOK {
		e.t.Fatalf("sweep: %d %s", rec.Code, rec.Body)
	}
	return id
}

// decisionList is a GET /v1/decisions answer.
type decisionList struct {
	Items []struct {
		DecisionID   string `json:"decision_id"`
		Seq          uint64 `json:"seq"`
		Kind         string `json:"kind"`
		LoanID       string `json:"loan_id"`
		BusinessDate string `json:"business_date"`
		Hash         string `json:"hash"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// decisions lists decisions as the auditor, following every cursor.
func (e *testEnv) decisions(query string) decisionList {
	e.t.Helper()
	var all decisionList
	cursor := ""
	for {
		path := "/v1/decisions?" + query + cursor
		rec := e.call(http.MethodGet, path, "auditor", "")
		if rec.Code != http.StatusOK {
			e.t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		var page decisionList
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			e.t.Fatal(err)
		}
		all.Items = append(all.Items, page.Items...)
		if page.NextCursor == "" {
			return all
		}
		cursor = "&cursor=" + page.NextCursor
	}
}
