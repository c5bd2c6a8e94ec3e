package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// The Idempotency-Key header is required and at most 200 bytes long, on
// both writes that keep it (decodeIdempotent): 200 is accepted, 201 is a
// 400 naming the header and nothing is stored.
func TestIdempotencyKeyLength(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("KEYLEN")
	e.setToday("2027-03-10")
	const uscc = "91350100M000100Y43"
	for _, c := range []struct {
		name string
		post func(key string) (int, []string)
	}{
		{"attestation", func(key string) (int, []string) {
			rec := e.postAttestation(id, key, attest(2026, "80", ""))
			if rec.Code >= 400 {
				return rec.Code, problemFields(t, rec)
			}
			return rec.Code, nil
		}},
		{"emissions", func(key string) (int, []string) {
			rec := e.postEmissions(uscc, key, emissionsBody)
			if rec.Code >= 400 {
				return rec.Code, problemFields(t, rec)
			}
			return rec.Code, nil
		}},
	} {
		before := e.digest()
		for _, bad := range []string{"", strings.Repeat("k", 201)} {
			if code, fields := c.post(bad); code != http.StatusBadRequest || strings.Join(fields, " ") != "Idempotency-Key" {
				t.Errorf("%s with a %d-byte key: %d %v, want 400 naming Idempotency-Key", c.name, len(bad), code, fields)
			}
		}
		if e.digest() != before {
			t.Errorf("%s: a refused write changed the data file", c.name)
		}
		if code, fields := c.post(strings.Repeat("k", 200)); code != http.StatusCreated {
			t.Errorf("%s with a 200-byte key: %d %v, want 201", c.name, code, fields)
		}
	}
}

// An emissions attestation is a verifier's write too: a key scoped to one
// verification body cannot file it in another's name (as
// TestVerifierScopedKey for attestations).
func TestVerifierScopedKeyEmissions(t *testing.T) {
	e := newEnvWith(t, "2026-11-27", scopeVerifierKeys("浙江某认证有限公司"))
	const uscc = "91350100M000100Y43"
	before := e.digest()
	other := strings.Replace(emissionsBody, "浙江某认证有限公司", "Another Verifier Ltd", 1)
	if rec := e.postEmissions(uscc, "s-1", other); rec.Code != http.StatusForbidden {
		t.Errorf("filing for another verifier: %d %s", rec.Code, rec.Body)
	}
	if e.digest() != before {
		t.Error("the refused filing changed the data file")
	}
	if rec := e.postEmissions(uscc, "s-2", emissionsBody); rec.Code != http.StatusCreated {
		t.Errorf("filing for its own verifier: %d %s", rec.Code, rec.Body)
	}
}
