package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"tfpricing"
)

// DESIGN.md §7: bad input is a 400 naming every bad field, and 422 is for
// well-formed input a business rule refuses. An amendment body (§5.1) whose
// reason_code is not in the enum and whose targets repeat a year has two
// bad fields: both are named in one 400. A well-formed-looking body whose
// target years do not increase, with an effective_from before the business
// date (a 422 refusal on its own), is still bad input first: 400 naming
// kpis[0].targets[1].year, not 422.
func TestAmendmentBodyNamesEveryBadField(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	if _, err := e.book.LoadReference(context.Background(), tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		t.Fatal(err)
	}
	path := "/v1/loans/" + e.bookQuote("AMIN") + "/amendments"
	kpis := `"kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "82"},
	   "targets": [{"year": 2026, "value": "82"}, {"year": 2026, "value": "75"}]}]`

	rec := e.call(http.MethodPost, path, "officer", `{"effective_from": "2027-12-01", "reason_code": "whim", "reason": "r", `+kpis+`}`)
	wantStatus(t, rec, http.StatusBadRequest, "bad reason_code and repeated year")
	for _, f := range []string{`"field":"reason_code"`, `"field":"kpis[0].targets[1].year"`} {
		if !strings.Contains(rec.Body.String(), f) {
			t.Errorf("400 without %s: %s", f, rec.Body)
		}
	}

	rec = e.call(http.MethodPost, path, "officer", `{"effective_from": "2026-11-26", "reason_code": "other", "reason": "r", `+kpis+`}`)
	wantStatus(t, rec, http.StatusBadRequest, "repeated year with a past effective_from")
	if !strings.Contains(rec.Body.String(), `"field":"kpis[0].targets[1].year"`) {
		t.Errorf("400 without the repeated year: %s", rec.Body)
	}

	// A custom KPI (not a catalogue metric) must state name, unit and
	// direction (§4.5): without them it is bad input, 400 naming
	// kpis[1].name, whatever effective_from a business rule would refuse.
	custom := `"kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "82"},
	   "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "75"}]},
	  {"metric_id": "water_reuse_custom", "baseline": {"year": 2025, "value": "30"}, "targets": [{"year": 2027, "value": "40"}]}]`
	rec = e.call(http.MethodPost, path, "officer", `{"effective_from": "2026-11-26", "reason_code": "other", "reason": "r", `+custom+`}`)
	wantStatus(t, rec, http.StatusBadRequest, "custom KPI without its fields, past effective_from")
	if !strings.Contains(rec.Body.String(), `"field":"kpis[1].name"`) {
		t.Errorf("400 without kpis[1].name: %s", rec.Body)
	}

	// The same plan made well-formed is refused (422) only for its
	// effective_from: the day before the business date 2026-11-27 is
	// refused, the business date itself is taken.
	good := `"kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "88"},
	   "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}]`
	rec = e.call(http.MethodPost, path, "officer", `{"effective_from": "2026-11-26", "reason_code": "other", "reason": "r", `+good+`}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "effective_from the day before the business date")
	if !strings.Contains(rec.Body.String(), `"field":"effective_from"`) {
		t.Errorf("422 without effective_from: %s", rec.Body)
	}
	rec = e.call(http.MethodPost, path, "officer", `{"effective_from": "2026-11-27", "reason_code": "other", "reason": "r", `+good+`}`)
	wantStatus(t, rec, http.StatusCreated, "effective_from on the business date")
}
