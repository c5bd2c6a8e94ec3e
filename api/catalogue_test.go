package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestCatalogueRoutes(t *testing.T) {
	e := newEnv(t, "2026-11-27")

	t.Run("200", func(t *testing.T) {
		for _, role := range []string{"officer", "analyst", "verifier", "auditor", "admin"} {
			rec := e.call(http.MethodGet, "/v1/catalogue", role, "")
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: status %d: %s", role, rec.Code, rec.Body)
			}
		}
		body := jsonBody(t, e.call(http.MethodGet, "/v1/catalogue?as_of=2024-01-01", "officer", ""))
		if body["id"] != "huzhou-transition" || body["version"] != "2.0" || body["max_years_to_baseline_level"] != 3.0 {
			t.Errorf("catalogue top level: %v", body)
		}
		var codes []string
		for _, ind := range body["industries"].([]any) {
			codes = append(codes, ind.(map[string]any)["code"].(string))
		}
		for _, want := range []string{"C28", "C17", "C1713", "C1752", "C22", "C30"} {
			if !slices.Contains(codes, want) {
				t.Errorf("industry %s missing from %v", want, codes)
			}
		}

		ind := jsonBody(t, e.call(http.MethodGet, "/v1/catalogue/industries/C2822", "analyst", ""))
		if ind["code"] != "C28" {
			t.Fatalf("C2822 should resolve to C28 by longest prefix, got %v", ind["code"])
		}
		found := false
		for _, m := range ind["metrics"].([]any) {
			m := m.(map[string]any)
			if m["id"] == "pet_fdy_energy" {
				found = true
				// GB 36889-2025 (DESIGN.md §3): FDY 标杆 50, 基准 83 kgce/t.
				if m["benchmark_level"] != "50" || m["baseline_level"] != "83" || m["direction"] != "lower_is_better" {
					t.Errorf("pet_fdy_energy: %v", m)
				}
			}
		}
		if !found {
			t.Error("pet_fdy_energy not among C28 metrics")
		}
		dye := jsonBody(t, e.call(http.MethodGet, "/v1/catalogue/industries/C171301", "officer", ""))
		if dye["code"] != "C1713" {
			t.Errorf("C171301 should resolve to C1713 over C17, got %v", dye["code"])
		}
		vers := jsonBody(t, e.call(http.MethodGet, "/v1/catalogue/versions", "auditor", ""))
		// 2.0 and 2.1 are closed; 2.2 (from 2026-06-01) is in force on 2026-11-27.
		var got []string
		for _, it := range vers["items"].([]any) {
			it := it.(map[string]any)
			got = append(got, fmt.Sprintf("%v:%v:%v", it["version"], it["effective_to"], it["in_force"]))
		}
		if strings.Join(got, " ") != "2.0:2025-05-01:false 2.1:2026-06-01:false 2.2:<nil>:true" {
			t.Errorf("versions: %v", got)
		}
	})

	t.Run("401", func(t *testing.T) {
		for _, role := range []string{"", "bad"} {
			rec := e.call(http.MethodGet, "/v1/catalogue", role, "")
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("role %q: status %d", role, rec.Code)
			}
			problemFields(t, rec)
		}
	})

	t.Run("404", func(t *testing.T) {
		rec := e.call(http.MethodGet, "/v1/catalogue/industries/B06", "officer", "")
		if rec.Code != http.StatusNotFound {
			t.Errorf("status %d", rec.Code)
		}
		problemFields(t, rec)
		if rec := e.call(http.MethodGet, "/v1/nope", "officer", ""); rec.Code != http.StatusNotFound {
			t.Errorf("unknown route: %d", rec.Code)
		}
	})

	t.Run("400 and 422", func(t *testing.T) {
		rec := e.call(http.MethodGet, "/v1/catalogue?as_of=2026-13-01", "officer", "")
		if rec.Code != http.StatusBadRequest || !slices.Equal(problemFields(t, rec), []string{"as_of"}) {
			t.Errorf("bad as_of: %d %s", rec.Code, rec.Body)
		}
		rec = e.call(http.MethodGet, "/v1/catalogue?as_of=2026-11-28", "officer", "")
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("as_of after the business date: %d %s", rec.Code, rec.Body)
		}
		// The catalogue 2.0 takes effect on 2023-06-01; nothing is in force before.
		rec = e.call(http.MethodGet, "/v1/catalogue?as_of=2023-05-31", "officer", "")
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("before any version: %d %s", rec.Code, rec.Body)
		}
	})
}
