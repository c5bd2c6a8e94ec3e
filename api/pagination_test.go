package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// DESIGN.md §7: a 400 lists every invalid field. A listing with both a bad
// limit and a cursor the service never issued ("!!" is not base64url)
// names both, on every paginated route.
func TestPaginationNamesEveryBadField(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("HZ-P")
	for _, tc := range []struct{ path, role string }{
		{"/v1/loans", "officer"},
		{"/v1/decisions", "auditor"},
		{"/v1/loans/" + id + "/attestations", "officer"},
	} {
		rec := e.call(http.MethodGet, tc.path+"?limit=abc&cursor=!!", tc.role, "")
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", tc.path, rec.Code, rec.Body)
			continue
		}
		got := problemFields(t, rec)
		if !slices.Contains(got, "limit") || !slices.Contains(got, "cursor") {
			t.Errorf("%s: fields %v, want limit and cursor", tc.path, got)
		}
	}
}

// DESIGN.md §7: lists paginate with limit and an opaque cursor and answer
// {"items", "next_cursor"}, next_cursor absent on the last page. A loan
// with three attestations read two at a time gives pages of 2 and 1, in
// arrival order; limit=3 (exactly all of them) has no next_cursor, and
// limit 0 and 501 are outside 1–500.
func TestAttestationListPaginates(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("HZ-P")
	e.setToday("2028-03-10")
	for i, acc := range []string{"2027-02-01", "2027-02-02", "2027-02-03"} {
		if rec := e.postAttestation(id, fmt.Sprint("k", i), attest(2026, "80", acc)); rec.Code != http.StatusCreated {
			t.Fatalf("attestation %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	var ids []string
	cursor, pages := "", 0
	for ; pages < 5; pages++ {
		rec := e.call(http.MethodGet, "/v1/loans/"+id+"/attestations?limit=2"+cursor, "officer", "")
		if rec.Code != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages, rec.Code, rec.Body)
		}
		body := jsonBody(t, rec)
		items := body["items"].([]any)
		if pages == 0 && len(items) != 2 {
			t.Errorf("first page has %d items, want 2", len(items))
		}
		for _, it := range items {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		next, ok := body["next_cursor"].(string)
		if !ok {
			if _, present := body["next_cursor"]; present {
				t.Error("next_cursor present (null) on the last page")
			}
			break
		}
		cursor = "&cursor=" + next
	}
	if pages != 1 || len(ids) != 3 || ids[0] == ids[1] || ids[1] == ids[2] {
		t.Errorf("%d further pages, ids %v; want 1 further page and 3 distinct ids", pages, ids)
	}
	body := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id+"/attestations?limit=3", "officer", ""))
	if _, present := body["next_cursor"]; present || len(body["items"].([]any)) != 3 {
		t.Errorf("limit=3: %v", body)
	}
	for _, q := range []string{"limit=0", "limit=501", "cursor=QS05OTk5OTk5OQ"} {
		rec := e.call(http.MethodGet, "/v1/loans/"+id+"/attestations?"+q, "officer", "")
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", q, rec.Code, rec.Body)
		}
	}
}

// DESIGN.md §7 again, for the reference lists: the seven shipped LPR
// fixings (DESIGN.md §4.2, newest first) read three at a time come in pages
// of 3, 3 and 1, and the three shipped catalogue versions (2.0, 2.1, 2.2)
// two at a time in pages of 2 and 1; asking for exactly all of them gives
// one page without next_cursor.
func TestReferenceListsPaginate(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, tc := range []struct {
		path, key string
		limit     int
		want      []string
	}{
		{"/v1/benchmarks/lpr", "effective_date", 3, []string{"2025-05-20", "2024-10-21", "2024-07-22",
			"2024-02-20", "2023-08-21", "2023-06-20", "2022-08-22"}},
		{"/v1/catalogue/versions", "version", 2, []string{"2.0", "2.1", "2.2"}},
	} {
		var got []string
		var sizes []int
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			rec := e.call(http.MethodGet, fmt.Sprintf("%s?limit=%d%s", tc.path, tc.limit, cursor), "analyst", "")
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", tc.path, rec.Code, rec.Body)
			}
			body := jsonBody(t, rec)
			items := body["items"].([]any)
			sizes = append(sizes, len(items))
			for _, it := range items {
				got = append(got, it.(map[string]any)[tc.key].(string))
			}
			next, ok := body["next_cursor"].(string)
			if !ok {
				break
			}
			cursor = "&cursor=" + next
		}
		if !slices.Equal(got, tc.want) || sizes[0] != tc.limit || len(sizes) != (len(tc.want)+tc.limit-1)/tc.limit {
			t.Errorf("%s: pages of %v gave %v, want %v", tc.path, sizes, got, tc.want)
		}
		body := jsonBody(t, e.call(http.MethodGet, fmt.Sprintf("%s?limit=%d", tc.path, len(tc.want)), "analyst", ""))
		if _, present := body["next_cursor"]; present || len(body["items"].([]any)) != len(tc.want) {
			t.Errorf("%s with limit %d: %v", tc.path, len(tc.want), body)
		}
		for _, q := range []string{"limit=0", "limit=501", "cursor=bm9wZQ"} {
			if rec := e.call(http.MethodGet, tc.path+"?"+q, "analyst", ""); rec.Code != http.StatusBadRequest {
				t.Errorf("%s?%s: %d", tc.path, q, rec.Code)
			}
		}
	}
}
