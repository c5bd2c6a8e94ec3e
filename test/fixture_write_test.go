package test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// writeFixture rebuilds testdata/v1.db and v1.json by living through the
// fixture's events with the binary under test. Run it only with the code
// the fixture is meant to pin (TFP_WRITE_FIXTURE=1).
func writeFixture(t *testing.T) {
	dir := t.TempDir()
	quoted, migrated, retry, p := liveFixture(t, dir)
	exp := fixtureExpected{Loans: []string{quoted, migrated}, Responses: map[string]string{},
		Replays: map[string]string{}, Retry: retry}
	for _, r := range append(fixtureReads(exp.Loans), fixtureRead{"/v1/audit/public-key", "auditor"}) {
		exp.Responses["GET "+r.Path] = string(p.raw(r.Path, r.Role))
	}
	exp.ExportSHA256 = sha(p.raw("/v1/decisions/export", "auditor"))
	for _, d := range p.decisionsOf("") {
		if d.kind == "simulation" {
			continue // recorded, not replayable
		}
		exp.Replays[d.id] = string(p.post("/v1/decisions/"+d.id+"/replay", "auditor", "", ""))
	}
	exp.Checkpoint = string(p.raw("/v1/audit/checkpoint", "auditor"))
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}

	// The Appendix A terms priced as a quote on a fresh data file.
	p = startV1(t, "", "2023-06-25")
	exp.AppendixQuote = string(p.post("/v1/quotes", "officer", "", appendixQuoteBody(t)))
	p.stop()
	p = startV1(t, "", "2026-11-27")
	exp.GoldenQuoteRequest = goldenQuoteRequest(t)
	exp.GoldenQuote = string(p.post("/v1/quotes", "officer", "", exp.GoldenQuoteRequest))
	p.stop()

	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	gzipFile(t, filepath.Join(dir, "tfpricing.db"), fixtureDB)
	copyFile(t, filepath.Join(dir, "tfpricing-audit.key"), fixtureKey)
	out, err := json.MarshalIndent(exp, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fixtureExpect, append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// liveFixture lives through the fixture's events on the data file in dir,
// one start of the binary per business date, and returns the two loans, the
// attestation a retry repeats, and the binary still running on the last day.
func liveFixture(t *testing.T, dir string) (quoted, migrated string, retry fixtureRetry, p *proc) {
	at := func(today string) *proc { return startV1(t, dir, today) }
	mustPost := func(p *proc, path, role, key, body string) map[string]any {
		t.Helper()
		var out map[string]any
		if err := json.Unmarshal(p.post(path, role, key, body), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	ref := func(s string) string { return `{"external_ref": "HZ-Q-1", "quote_id": "` + s + `"}` }

	p = at("2023-06-25")
	q := mustPost(p, "/v1/quotes", "officer", "", fixtureQuote)
	quoted = mustPost(p, "/v1/loans", "officer", "", ref(q["quote_id"].(string)))["id"].(string)
	mustPost(p, "/v1/quotes", "officer", "", fixtureQuote) // a quote left unbooked
	migrated = mustPost(p, "/v1/loans", "officer", "", appendixTerms)["id"].(string)
	mustPost(p, "/v1/simulations", "analyst", "", fixtureSimulation)
	p.stop()

	p = at("2024-03-15")
	for _, id := range []string{quoted, migrated} {
		mustPost(p, "/v1/loans/"+id+"/attestations", "verifier", "k-2023", attestation(2023, "79", ""))
	}
	p.stop()
	p = at("2025-03-01")
	mustPost(p, "/v1/loans/"+migrated+"/attestations", "verifier", "k-2024", attestation(2024, "76", "2025-03-01"))
	p.stop()
	p = at("2025-06-15")
	retry = fixtureRetry{Loan: migrated, Key: "k-2024-fix", Body: attestation(2024, "73", "")}
	retry.Response = string(p.post("/v1/loans/"+migrated+"/attestations", "verifier", retry.Key, retry.Body))
	p.stop()
	p = at("2025-06-25")
	mustPost(p, "/v1/benchmarks/lpr", "admin", "", `{"effective_date": "2025-06-24", "one_year": "2.90", "five_year": "3.40"}`)
	p.stop()
	p = at(fixtureLastDay) // the start-up sweep determines 2025 not_reported
	mustPost(p, "/v1/admin/sweep", "admin", "", "")

	return quoted, migrated, retry, p
}

func gzipFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goldenQuoteRequest is DESIGN.md §7's quote request (api's sampleQuote),
// as the fixture keeps it.
func goldenQuoteRequest(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(fixtureExpect)
	if err != nil {
		t.Fatal(err)
	}
	var exp fixtureExpected
	if err := json.Unmarshal(raw, &exp); err != nil || exp.GoldenQuoteRequest == "" {
		t.Fatalf("%s holds no golden_quote_request: %v", fixtureExpect, err)
	}
	return exp.GoldenQuoteRequest
}
