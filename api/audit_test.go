package api_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/canon"
)

// Every kind of decision is listed, in sequence order, page by page and
// through each filter; each reads back exactly as stored.
func TestDecisionsListAndGet(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	loan := e.auditLife()
	all := e.decisions("limit=500")
	var kinds []string
	for i, d := range all.Items {
		if d.Seq != uint64(i+1) || d.DecisionID != strconv.Itoa(i+1) {
			t.Fatalf("item %d is decision %s (seq %d)", i, d.DecisionID, d.Seq)
		}
		if !slices.Contains(kinds, d.Kind) {
			kinds = append(kinds, d.Kind)
		}
	}
	slices.Sort(kinds)
	want := []string{"attestation", "booking", "catalogue_load", "correction", "policy_load", "quote", "repricing", "simulation", "sweep"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	if paged := e.decisions("limit=2"); !slices.Equal(paged.Items, all.Items) {
		t.Errorf("pages of 2: %d items, want the %d of one page", len(paged.Items), len(all.Items))
	}
	count := func(match func(kind, loanID, date string) bool) int {
		n := 0
		for _, d := range all.Items {
			if match(d.Kind, d.LoanID, d.BusinessDate) {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"loan_id=" + loan, count(func(_, l, _ string) bool { return l == loan })},
		{"loan_id=" + loan + "&limit=1", count(func(_, l, _ string) bool { return l == loan })},
		{"kind=attestation", 1},
		{"kind=booking&loan_id=" + loan, 1},
		{"kind=simulation", 1},
		{"from=2027-03-01&to=2027-03-04", 1},
		{"from=2027-03-01", count(func(_, _, d string) bool { return d >= "2027-03-01" })},
		{"to=2026-11-27", count(func(_, _, d string) bool { return d <= "2026-11-27" })},
		{"loan_id=L-99999999", 0},
		{"loan_id=not-a-loan", 0},
	} {
		got := e.decisions(tc.query)
		if len(got.Items) != tc.want || tc.want == 0 && got.Items != nil {
			t.Errorf("%s: %d items, want %d", tc.query, len(got.Items), tc.want)
		}
	}
	for _, d := range all.Items {
		rec := e.call(http.MethodGet, "/v1/decisions/"+d.DecisionID, "auditor", "")
		stored, err := audit.DecodeDecision(rec.Body.Bytes())
		if rec.Code != http.StatusOK || err != nil || stored.Hash != d.Hash || stored.VerifyHash() != nil {
			t.Errorf("GET decision %s: %d %v", d.DecisionID, rec.Code, err)
		}
		if c, _ := canon.Canonical(rec.Body.Bytes()); !bytes.Equal(c, rec.Body.Bytes()) {
			t.Errorf("decision %s is not served in its canonical form", d.DecisionID)
		}
	}
	for path, status := range map[string]int{
		fmt.Sprintf("/v1/decisions/%d", len(all.Items)+1): http.StatusNotFound,
		"/v1/decisions/abc": http.StatusBadRequest, "/v1/decisions/0": http.StatusBadRequest,
	} {
		if rec := e.call(http.MethodGet, path, "auditor", ""); rec.Code != status {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, status)
		}
	}
}

// A bad listing parameter is a 400 naming it; several are named together.
func TestDecisionsListBadParameters(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, tc := range []struct {
		query  string
		fields []string
	}{
		{"kind=bogus", []string{"kind"}},
		{"from=2027-02-30", []string{"from"}},
		{"to=27-01-01", []string{"to"}},
		{"from=2027-03-01&to=2027-02-01", []string{"to"}},
		{"limit=0", []string{"limit"}},
		{"limit=501", []string{"limit"}},
		{"cursor=!!", []string{"cursor"}},
		{"cursor=" + base64.RawURLEncoding.EncodeToString([]byte("x7")), []string{"cursor"}},
		{"kind=x&from=y&limit=z&cursor=!", []string{"kind", "from", "limit", "cursor"}},
	} {
		rec := e.call(http.MethodGet, "/v1/decisions?"+tc.query, "auditor", "")
		if got := problemFields(t, rec); rec.Code != http.StatusBadRequest || !slices.Equal(got, tc.fields) {
			t.Errorf("%s: %d %v, want 400 %v", tc.query, rec.Code, got, tc.fields)
		}
	}
}

// Replay of every kind of decision matches, and changes nothing stored; a
// simulation is refused as not replayable.
func TestDecisionReplayEveryKind(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.auditLife()
	before := e.digest()
	for _, d := range e.decisions("limit=500").Items {
		t.Run(d.DecisionID+"-"+d.Kind, func(t *testing.T) {
			rec := e.call(http.MethodPost, "/v1/decisions/"+d.DecisionID+"/replay", "auditor", "")
			if d.Kind == "simulation" {
				if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "not replayable") {
					t.Errorf("simulation replay: %d %s", rec.Code, rec.Body)
				}
				return
			}
			res := jsonBody(t, rec)
			if rec.Code != http.StatusOK || res["match"] != true || res["kind"] != d.Kind || res["decision_id"] != d.DecisionID ||
				res["recorded_digest"] != res["replayed_digest"] || len(res["differences"].([]any)) != 0 {
				t.Errorf("replay: %d %v", rec.Code, res)
			}
		})
	}
	if e.digest() != before {
		t.Error("replaying changed the data file")
	}
	for path, status := range map[string]int{"/v1/decisions/999/replay": 404, "/v1/decisions/x/replay": 400} {
		if rec := e.call(http.MethodPost, path, "auditor", ""); rec.Code != status {
			t.Errorf("POST %s: %d, want %d", path, rec.Code, status)
		}
	}
}

// A recorded simulation's decision holds the request and the response.
func TestSimulationRecorded(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	before := e.digest()
	body := strings.Replace(simBody(`[{"name": "all met", "projection": "all_met"}]`), `"scenarios"`, `"record": true, "scenarios"`, 1)
	rec := e.call(http.MethodPost, "/v1/simulations", "officer", body)
	res := jsonBody(t, rec)
	id, _ := res["decision_id"].(string)
	if rec.Code != http.StatusOK || id == "" || rec.Header().Get("X-Decision-Id") != id || e.digest() == before {
		t.Fatalf("recorded simulation: %d %v", rec.Code, res)
	}
	stored := e.call(http.MethodGet, "/v1/decisions/"+id, "auditor", "")
	d, err := audit.DecodeDecision(stored.Body.Bytes())
	if err != nil || d.Kind != audit.DecisionSimulation || d.Actor.KeyID != "test-officer" || d.Policy == nil || d.Catalogue == nil {
		t.Fatalf("decision %s: %v %+v", id, err, d)
	}
	delete(res, "decision_id")
	if want, _ := canon.Canonical(res); !bytes.Equal(d.Outputs, want) {
		t.Errorf("outputs\n%s\nare not the response\n%s", d.Outputs, want)
	}
	var in struct {
		Quote  map[string]any `json:"quote"`
		Record bool           `json:"record"`
	}
	if err := json.Unmarshal(d.Inputs, &in); err != nil || in.Quote["as_of"] != "2026-11-27" || !in.Record {
		t.Errorf("inputs %s: %v", d.Inputs, err)
	}
	// CSV: the id travels in the header only.
	rec = e.call(http.MethodPost, "/v1/simulations?format=csv", "analyst", body)
	if rec.Code != http.StatusOK || rec.Header().Get("X-Decision-Id") == "" || rec.Header().Get("X-Decision-Id") == id {
		t.Errorf("CSV recorded simulation: %d %q", rec.Code, rec.Header().Get("X-Decision-Id"))
	}
}

// Verification reports the whole chain intact; a checkpoint verifies with
// the served public key, raw and PEM.
func TestAuditVerifyAndCheckpoint(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.auditLife()
	list := e.decisions("limit=500").Items
	last := list[len(list)-1]
	v := jsonBody(t, e.call(http.MethodGet, "/v1/audit/verify", "auditor", ""))
	head := v["head"].(map[string]any)
	if v["ok"] != true || v["checked"] != float64(len(list)) || head["seq"] != float64(last.Seq) || head["hash"] != last.Hash ||
		v["first_broken_seq"] != nil {
		t.Errorf("verify: %v", v)
	}
	rec := e.call(http.MethodGet, "/v1/audit/checkpoint", "auditor", "")
	cp, err := audit.DecodeCheckpoint(rec.Body.Bytes())
	if err != nil || cp.Seq != last.Seq || cp.HeadHash != last.Hash {
		t.Fatalf("checkpoint: %v %s", err, rec.Body)
	}
	key := jsonBody(t, e.call(http.MethodGet, "/v1/audit/public-key", "admin", ""))
	raw, err := base64.StdEncoding.DecodeString(key["public_key"].(string))
	if err != nil || cp.Verify(ed25519.PublicKey(raw)) != nil || key["key_id"] != cp.KeyID || key["algorithm"] != "Ed25519" {
		t.Errorf("checkpoint does not verify with the served key %v: %v", key, err)
	}
	block, _ := pem.Decode([]byte(key["public_key_pem"].(string)))
	if block == nil {
		t.Fatal("public_key_pem is not PEM")
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil || !bytes.Equal(pub.(ed25519.PublicKey), raw) {
		t.Errorf("PEM key: %v", err)
	}
}

// The JSON lines export is the stored records, line by line; the CSV
// export has a row per decision with its envelope.
func TestDecisionExport(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.auditLife()
	list := e.decisions("limit=500").Items
	for _, q := range []string{"", "?format=jsonl"} {
		rec := e.call(http.MethodGet, "/v1/decisions/export"+q, "auditor", "")
		lines := strings.Split(strings.TrimSuffix(rec.Body.String(), "\n"), "\n")
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/x-ndjson" || len(lines) != len(list) {
			t.Fatalf("jsonl%s: %d %q, %d lines for %d decisions", q, rec.Code, rec.Header().Get("Content-Type"), len(lines), len(list))
		}
		for i, line := range lines {
			if got := e.call(http.MethodGet, "/v1/decisions/"+list[i].DecisionID, "auditor", "").Body.String(); got != line {
				t.Errorf("line %d is not decision %s as stored", i+1, list[i].DecisionID)
			}
		}
	}
	rec := e.call(http.MethodGet, "/v1/decisions/export?format=csv", "auditor", "")
	// A UTF-8 byte order mark first, for spreadsheets.
	if !bytes.HasPrefix(rec.Body.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
		t.Errorf("csv export without a UTF-8 BOM: %q", rec.Body.Bytes()[:min(8, rec.Body.Len())])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte{0xEF, 0xBB, 0xBF}))).ReadAll()
	if err != nil || rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment") || len(rows) != len(list)+1 {
		t.Fatalf("csv: %d %v, %d rows", rec.Code, err, len(rows))
	}
	if strings.Join(rows[0], ",") != "seq,kind,loan_id,quote_id,business_date,as_of,recorded_at,actor_key_id,actor_role,output_digest,prev_hash,hash" {
		t.Errorf("header %v", rows[0])
	}
	for i, d := range list {
		r := rows[i+1]
		if r[0] != d.DecisionID || r[1] != d.Kind || r[2] != d.LoanID || r[4] != d.BusinessDate || r[11] != d.Hash {
			t.Errorf("row %d: %v, want %+v", i+1, r, d)
		}
	}
	if rec := e.call(http.MethodGet, "/v1/decisions/export?format=xml", "auditor", ""); rec.Code != 400 ||
		!slices.Equal(problemFields(t, rec), []string{"format"}) {
		t.Errorf("format=xml: %d %s", rec.Code, rec.Body)
	}
}
