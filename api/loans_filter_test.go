package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// walkLoans follows GET /v1/loans?query's next_cursor to the end and
// returns each page's loan ids.
func (e *testEnv) walkLoans(query string) [][]string {
	e.t.Helper()
	var pages [][]string
	cursor := ""
	for range 50 {
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		rec := e.call(http.MethodGet, "/v1/loans?"+q, "officer", "")
		if rec.Code != http.StatusOK {
			e.t.Fatalf("%s: %d %s", q, rec.Code, rec.Body)
		}
		body := jsonBody(e.t, rec)
		ids := []string{}
		for _, it := range body["items"].([]any) {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		pages = append(pages, ids)
		next, ok := body["next_cursor"].(string)
		if !ok {
			return pages
		}
		cursor = next
	}
	e.t.Fatalf("%s: more than 50 pages", query)
	return nil
}

// The filters of GET /v1/loans select in the loan book while paging: a
// page holds at most limit matches and reads at most 10 × limit loans, so
// a page may be short or empty and still carry a next cursor; the last
// page has none.
func TestLoanListFilters(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	// Twelve loans of the sample quote (C2822, C28-P01, transitioning):
	// L-00000001…L-00000011 alternate HZ-A, HZ-B; L-00000012 is HZ-C.
	var ids []string
	for i := range 11 {
		ids = append(ids, e.bookQuote([]string{"HZ-A", "HZ-B"}[i%2]))
	}
	ids = append(ids, e.bookQuote("HZ-C"))
	if ids[0] != "L-00000001" || ids[11] != "L-00000012" {
		t.Fatalf("ids %v", ids)
	}
	a := []string{ids[0], ids[2], ids[4], ids[6], ids[8], ids[10]}
	same := func(got [][]string, want ...[]string) {
		t.Helper()
		if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
			t.Errorf("pages %v, want %v", got, want)
		}
	}

	t.Run("no filter: full pages, no cursor on the last", func(t *testing.T) {
		same(e.walkLoans("limit=5"), ids[:5], ids[5:10], ids[10:])
	})
	t.Run("external_ref, a filtered multi-page walk", func(t *testing.T) {
		// Pages of 4: L1…L7 hold 4 HZ-A; L8…L12 the last 2.
		same(e.walkLoans("external_ref=HZ-A&limit=4"), a[:4], a[4:])
		// Pages of 3: L1…L5 hold 3, L6…L11 the next 3 and L12 is read by
		// a third page that finds none: the page after a full one may be empty.
		same(e.walkLoans("external_ref=HZ-A&limit=3"), a[:3], a[3:], []string{})
	})
	t.Run("a page reads at most 10 × limit loans", func(t *testing.T) {
		// limit 1: the first page reads L1…L10, finds no HZ-C and stops
		// there, empty, with the cursor after L10; the second finds L12.
		same(e.walkLoans("external_ref=HZ-C&limit=1"), []string{}, []string{ids[11]})
		rec := e.call(http.MethodGet, "/v1/loans?external_ref=HZ-C&limit=1", "officer", "")
		if c := jsonBody(t, rec)["next_cursor"]; c != "TC0wMDAwMDAxMA" { // base64url("L-00000010")
			t.Errorf("cursor %v, want the one after L-00000010", c)
		}
		// limit 2 reads up to 20 loans: one page, HZ-C found, no cursor.
		same(e.walkLoans("external_ref=HZ-C&limit=2"), []string{ids[11]})
	})
	t.Run("industry prefix, tier, pathway", func(t *testing.T) {
		for q, want := range map[string][]string{
			"industry=C":         ids,
			"industry=C28":       ids,
			"industry=C2822":     ids,
			"industry=C2821":     {},
			"industry=C29":       {},
			"tier=transitioning": ids,
			"tier=leading":       {},
			"pathway_id=C28-P01": ids,
			"pathway_id=C28-P02": {},
			"industry=C28&tier=transitioning&pathway_id=C28-P01&external_ref=HZ-B": {ids[1], ids[3], ids[5], ids[7], ids[9]},
		} {
			same(e.walkLoans(q+"&limit=50"), want)
		}
	})
	t.Run("400 names every malformed parameter", func(t *testing.T) {
		q := url.Values{"industry": {"c28"}, "tier": {"ineligible"}, "pathway_id": {"C28 P01"},
			"external_ref": {strings.Repeat("参", 65)}, "limit": {"0"}, "cursor": {"!"}}
		got := problemFields(t, e.call(http.MethodGet, "/v1/loans?"+q.Encode(), "officer", ""))
		for _, f := range []string{"industry", "tier", "pathway_id", "external_ref", "limit", "cursor"} {
			if !slices.Contains(got, f) {
				t.Errorf("%s not named: %v", f, got)
			}
		}
		for _, bad := range []string{"industry=C28221", "industry=28", "tier=Leading", fmt.Sprintf("pathway_id=%s", strings.Repeat("P", 33))} {
			if rec := e.call(http.MethodGet, "/v1/loans?"+bad, "officer", ""); rec.Code != http.StatusBadRequest {
				t.Errorf("%s: %d", bad, rec.Code)
			}
		}
		// At the bounds: 64 characters and 32 characters are accepted.
		for _, ok := range []string{"external_ref=" + strings.Repeat("x", 64), "pathway_id=" + strings.Repeat("P", 32), "industry=C2822"} {
			if rec := e.call(http.MethodGet, "/v1/loans?"+ok, "officer", ""); rec.Code != http.StatusOK {
				t.Errorf("%s: %d %s", ok, rec.Code, rec.Body)
			}
		}
	})
}
