package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// DESIGN.md §4.6 / §4.1: a quote is kept quote_validity_days (30). Priced on
// 2026-11-27 it is valid until 2026-11-27 + 30 days = 2026-12-27, and can
// still be booked on that last day; on 2026-12-28 it cannot (422).
func TestQuoteBooksOnItsLastValidDay(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	quote := func() string {
		rec := e.call(http.MethodPost, "/v1/quotes", "officer", sampleQuote)
		if rec.Code != http.StatusCreated {
			t.Fatalf("quote: %d %s", rec.Code, rec.Body)
		}
		return jsonBody(t, rec)["quote_id"].(string)
	}
	last, late := quote(), quote()
	e.setToday("2026-12-27")
	if rec := e.call(http.MethodPost, "/v1/loans", "officer", fmt.Sprintf(`{"quote_id": %q}`, last)); rec.Code != http.StatusCreated {
		t.Errorf("booking on valid_until: %d %s", rec.Code, rec.Body)
	}
	e.setToday("2026-12-28")
	if rec := e.call(http.MethodPost, "/v1/loans", "officer", fmt.Sprintf(`{"quote_id": %q}`, late)); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("booking the day after valid_until: %d %s", rec.Code, rec.Body)
	}
}
