package api_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// The backup announces its exact size, so a client can tell a complete
// copy from a cut one.
func TestBackupContentLength(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.auditLife()
	rec := e.call(http.MethodGet, "/v1/admin/backup", "admin", "")
	n, err := strconv.Atoi(rec.Header().Get("Content-Length"))
	if rec.Code != 200 || err != nil || n != rec.Body.Len() || n == 0 {
		t.Fatalf("%d Content-Length %q, body %d bytes", rec.Code, rec.Header().Get("Content-Length"), rec.Body.Len())
	}
}

// POST /v1/audit/verify takes a checkpoint kept earlier, byte for byte as
// GET /v1/audit/checkpoint gave it.
func TestVerifyWithCheckpoint(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.auditLife()
	cp := e.call(http.MethodGet, "/v1/audit/checkpoint", "auditor", "").Body.String()
	v := jsonBody(t, e.call(http.MethodPost, "/v1/audit/verify", "auditor", cp))
	got := v["checkpoint"].(map[string]any)
	if v["ok"] != true || got["matches"] != true || got["seq"] != v["head"].(map[string]any)["seq"] {
		t.Errorf("verify: %v", v)
	}
	// A record rewritten after the checkpoint: the copy's chain is broken
	// and the checkpoint no longer matches.
	path := e.backup()
	rewriteDecision(t, path, 1, func(b []byte) []byte { return bytes.Replace(b, []byte(`"2026-`), []byte(`"2025-`), 1) })
	c := e.serve(path, testAuditKey)
	v = jsonBody(t, c.call(http.MethodPost, "/v1/audit/verify", "auditor", cp))
	if v["ok"] != false || v["first_broken_seq"] != 1.0 || v["checkpoint"].(map[string]any)["matches"] != false {
		t.Errorf("tampered copy: %v", v)
	}
	// A signature that is not the service's is a 422 naming it; a body that
	// is not a checkpoint is a 400; a checkpoint not sent as JSON a 415.
	i := strings.Index(cp, `"signature":"`) + len(`"signature":"`)
	forged := cp[:i] + "A" + cp[i+1:]
	if cp[i] == 'A' {
		forged = cp[:i] + "B" + cp[i+1:]
	}
	rec := e.call(http.MethodPost, "/v1/audit/verify", "auditor", forged)
	if rec.Code != http.StatusUnprocessableEntity || messageOf(problemOf(t, rec), "signature") == "" {
		t.Errorf("forged: %d %s", rec.Code, rec.Body)
	}
	rec = e.call(http.MethodPost, "/v1/audit/verify", "auditor", `{"seq": 1}`)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("not a checkpoint: %d %s", rec.Code, rec.Body)
	}
	if rec := e.call(http.MethodPost, "/v1/audit/verify", "officer", cp); rec.Code != http.StatusForbidden {
		t.Errorf("officer: %d", rec.Code)
	}
}
