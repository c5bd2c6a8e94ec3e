package test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tfpricing/pricing/pgstore/pgtest"
)

// TestReplicasSameKey sends the same attestation with the same
// Idempotency-Key to two replicas at once, ten times: both answer 201 with
// the one attestation, which is stored once.
func TestReplicasSameKey(t *testing.T) {
	dbURL := pgtest.Database(t)
	r := newReplicas(t, 2, dbURL)
	status, out, _ := r.get(0).do("POST", "/v1/loans", "officer", bookingBody("SK-1"))
	if status != 201 {
		t.Fatalf("booking: %d %v", status, out)
	}
	loan := out["id"].(string)
	for i := range 10 {
		key, body := fmt.Sprint("same-", i), attestation(2026, fmt.Sprint(70+i), "")
		var wg sync.WaitGroup
		ids, statuses := make([]string, 2), make([]int, 2)
		for j := range 2 {
			wg.Go(func() {
				statuses[j], ids[j], _ = postRaw(&http.Client{Timeout: 10 * time.Second}, r.get(j).URL, loan, key, body)
			})
		}
		wg.Wait()
		// A replica may also answer 409 while the other still holds the
		// key in flight; never two attestations.
		for j := range 2 {
			if statuses[j] != 201 && statuses[j] != 409 {
				t.Errorf("key %s at replica %d: status %d", key, j, statuses[j])
			}
		}
		if statuses[0] == 201 && statuses[1] == 201 && ids[0] != ids[1] {
			t.Errorf("key %s: two attestations %s and %s", key, ids[0], ids[1])
		}
	}
	if got := len(attestedIDs(t, r.get(1), []string{loan})); got != 10 {
		t.Errorf("%d attestations stored for 10 keys", got)
	}
	verifyAll(t, r.get(0), dbURL)
}

// TestReplicasPublication publishes an LPR fixing on one replica while the
// other two take attestations: every loan is repriced for it at most once
// (once by the publication's repricing, or within an attestation that
// already saw the fixing), and every loan's schedule uses it.
func TestReplicasPublication(t *testing.T) {
	dbURL := pgtest.Database(t)
	r := newReplicas(t, 3, dbURL)
	var loans []string
	for i := range 12 {
		status, out, _ := r.get(i%3).do("POST", "/v1/loans", "officer", bookingBody(fmt.Sprint("PB-", i)))
		if status != 201 {
			t.Fatalf("booking: %d %v", status, out)
		}
		loans = append(loans, out["id"].(string))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 4 {
		base := r.get(1 + c%2).URL
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				loan := loans[(c+i)%len(loans)]
				status, _, err := postRaw(client, base, loan, fmt.Sprintf("pb-%d-%d", c, i), attestation(2026, fmt.Sprint(70+i%15), ""))
				if err != nil || status != 201 {
					t.Errorf("attestation at %s: %d %v", base, status, err)
					return
				}
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	status, out, _ := r.get(0).do("POST", "/v1/benchmarks/lpr", "admin",
		`{"effective_date": "2027-02-20", "one_year": "2.90", "five_year": "3.40"}`)
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if status/100 != 2 {
		t.Fatalf("publication: %d %v", status, out)
	}
	for _, l := range loans {
		_, list, _ := r.get(2).do("GET", "/v1/decisions?kind=repricing&loan_id="+l, "auditor", nil)
		items, _ := list["items"].([]any)
		if len(items) > 1 {
			t.Errorf("loan %s repriced %d times for one fixing", l, len(items))
		}
		_, sched, _ := r.get(1).do("GET", "/v1/loans/"+l+"/schedule", "auditor", nil)
		if !strings.Contains(fmt.Sprint(sched["schedule"]), "benchmark_rate:2.9000") {
			t.Errorf("loan %s's schedule does not use the new fixing: %v", l, sched["schedule"])
		}
	}
	verifyAll(t, r.get(0), dbURL)
}
