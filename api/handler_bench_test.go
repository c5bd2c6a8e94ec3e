package api_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Whole-handler benchmarks (middleware, binding, validation, pricing,
// decision, store write, rendering) without a socket: the per-request CPU
// the load tool measures over HTTP, minus net/http's connection work.
// Under valgrind --tool=callgrind (GODEBUG=asyncpreemptoff=1) their
// instruction counts are stable on a shared machine; see BENCHMARKS.md.

func benchHandler(b *testing.B, method, path, role, body string, want int) {
	benchOn(b, newEnv(b, "2026-11-27"), method, path, role, body, want)
}

func benchOn(b *testing.B, e *testEnv, method, path, role, body string, want int) {
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkHandlerHealthz(b *testing.B) {
	benchHandler(b, http.MethodGet, "/healthz", "officer", "", http.StatusOK)
}

func BenchmarkHandlerEligibility(b *testing.B) {
	benchHandler(b, http.MethodPost, "/v1/eligibility", "officer", sampleEligibility, http.StatusOK)
}

func BenchmarkHandlerQuote(b *testing.B) {
	benchHandler(b, http.MethodPost, "/v1/quotes", "officer", sampleQuote, http.StatusCreated)
}

// BenchmarkHandlerSchedule reads the schedule of the sample quote's loan
// (a 36-month facility) as of today.
func BenchmarkHandlerSchedule(b *testing.B) {
	e := newEnv(b, "2026-11-27")
	id := e.bookQuote("bench-schedule")
	benchOn(b, e, http.MethodGet, "/v1/loans/"+id+"/schedule", "officer", "", http.StatusOK)
}

// standardEligibility is the load tool's "standard" eligibility body
// (test/load standardQuote without the pricing fields, as json.Marshal
// writes it): two KPIs of five targets each, no as_of.
const standardEligibility = `{"borrower":{"name":"湖州某化纤有限公司","uscc":"91350100M000100Y43","industry_code":"C2822","just_transition_score":72,"obsolete_capacity":false},"pathway_id":"C28-P01","kpis":[{"metric_id":"pet_fdy_energy","baseline":{"year":2025,"value":"88"},"targets":[{"year":2026,"value":"82"},{"year":2027,"value":"78"},{"year":2028,"value":"74"},{"year":2029,"value":"70"},{"year":2030,"value":"66"}]},{"metric_id":"carbon_intensity","baseline":{"year":2025,"value":"1.6"},"targets":[{"year":2026,"value":"1.5"},{"year":2027,"value":"1.4"},{"year":2028,"value":"1.3"},{"year":2029,"value":"1.2"},{"year":2030,"value":"1.1"}]}]}`

// BenchmarkHandlerEligibilityStandard is the request the load tool's
// eligibility scenario sends with -mix standard.
func BenchmarkHandlerEligibilityStandard(b *testing.B) {
	benchHandler(b, http.MethodPost, "/v1/eligibility", "officer", standardEligibility, http.StatusOK)
}

// benchHTTP is benchOn over a loopback HTTP server and net/http's client:
// the load tool's round trip (both ends' HTTP work, the kernel excluded
// under callgrind).
func benchHTTP(b *testing.B, e *testEnv, method, path, role, body string, want int) {
	ts := httptest.NewServer(e.srv)
	defer ts.Close()
	client := ts.Client()
	b.ReportAllocs()
	for b.Loop() {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, ts.URL+path, rd)
		req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

func BenchmarkHTTPHealthz(b *testing.B) {
	benchHTTP(b, newEnv(b, "2026-11-27"), http.MethodGet, "/healthz", "officer", "", http.StatusOK)
}

func BenchmarkHTTPEligibilityStandard(b *testing.B) {
	benchHTTP(b, newEnv(b, "2026-11-27"), http.MethodPost, "/v1/eligibility", "officer", standardEligibility, http.StatusOK)
}

func BenchmarkHTTPSchedule(b *testing.B) {
	e := newEnv(b, "2026-11-27")
	id := e.bookQuote("bench-schedule")
	benchHTTP(b, e, http.MethodGet, "/v1/loans/"+id+"/schedule", "officer", "", http.StatusOK)
}

// BenchmarkHandlerAttestation posts the load tool's attestation (one
// metric's 2026 value, on time) round-robin over 20 booked loans, each
// with its own Idempotency-Key: the attest scenario's request without the
// load balancer and PostgreSQL (the test environment's store is bolt, whose
// fsync makes the wall clock say little: cpu-ns/op is the process's CPU
// time per attestation). A loan holds b.N/20 attestations by the end, so
// compare runs of the same -benchtime.
func BenchmarkHandlerAttestation(b *testing.B) {
	e := newEnv(b, "2026-11-27")
	ids := make([]string, 20)
	for i := range ids {
		ids[i] = e.bookQuote(fmt.Sprint("bench-attest-", i))
	}
	e.setToday("2027-03-10")
	body := attest(2026, "80.5", "")
	b.ReportAllocs()
	start := cpuTime(b)
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodPost, "/v1/loans/"+ids[i%len(ids)]+"/attestations", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer tfp-dev-verifier")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprint("bench-", i))
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time (user and system) the test process has used so
// far, on all its threads.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
