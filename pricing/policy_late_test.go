package pricing

import (
	"strings"
	"testing"

	"tfpricing"
)

// digest20261 is the digest of configs/policy/2026.1.yaml as shipped before
// late_attestation existed (commit 6fdddb0), recorded in every decision made
// under 2026.1. Stating late_attestation: ignore in the file must not change
// it, or those decisions would no longer find their policy.
const digest20261 = "sha256:53a523126c9ec3a078ce107375f074372cb558a0824d69f2036180392d5b979c"

func TestPolicy2026KeepsItsDigest(t *testing.T) {
	p := shippedPolicy(t)
	if p.Digest != digest20261 || p.Ratchet.LateAttestation != LateIgnore {
		t.Errorf("2026.1: digest %s late %q, want %s and ignore", p.Digest, p.Ratchet.LateAttestation, digest20261)
	}
	if strings.Contains(string(p.Canonical), "late_attestation") {
		t.Errorf("the canonical 2026.1 must leave the default out: %s", p.Canonical)
	}
	cure, err := ParsePolicy("cure", []byte(strings.Replace(reformatted, "grace_days: 120,", "grace_days: 120, late_attestation: cure,", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if cure.Digest == p.Digest || cure.Ratchet.LateAttestation != LateCure {
		t.Errorf("cure must be a different policy: %s", cure.Canonical)
	}
	again, err := ParsePolicy("canonical", cure.Canonical)
	if err != nil || again.Digest != cure.Digest || again.Ratchet.LateAttestation != LateCure {
		t.Errorf("cure does not survive its canonical form: %v %+v", err, again)
	}
}

// 2027.1 is 2026.1 with grace_days 181 and late_attestation cure (DESIGN.md
// §4.1), in force from 2027-01-01.
func TestPolicy2027Figures(t *testing.T) {
	old, p := shippedPolicy(t), policyFile(t, "2027.1")
	if p.Version != "2027.1" || p.EffectiveFrom != day("2027-01-01") || p.Ratchet.GraceDays != 181 ||
		p.Ratchet.LateAttestation != LateCure {
		t.Fatalf("2027.1: %+v", p)
	}
	same := strings.NewReplacer(`"grace_days":181`, `"grace_days":120`, `,"late_attestation":"cure"`, "",
		`"version":"2027.1"`, `"version":"2026.1"`, `"effective_from":"2027-01-01"`, `"effective_from":"2026-01-01"`).
		Replace(string(p.Canonical))
	if same != string(old.Canonical) {
		t.Errorf("2027.1 differs from 2026.1 beyond grace_days and late_attestation:\n%s\n%s", same, old.Canonical)
	}
	set, err := NewPolicySet(old, p)
	if err != nil {
		t.Fatal(err)
	}
	for d, want := range map[string]string{"2026-12-31": "2026.1", "2027-01-01": "2027.1"} {
		if got, ok := set.InForce(day(d)); !ok || got.Version != want {
			t.Errorf("policy in force on %s: %v, want %s", d, got, want)
		}
	}
	// due(2027) = 2027-12-31 + 181 days = 2028-06-29 (2028 is a leap year).
	if got := DueDate(2027, p.Ratchet.GraceDays); got != day("2028-06-29") {
		t.Errorf("due(2027) = %s", got)
	}
}

func TestParseLateAttestationInvalid(t *testing.T) {
	doc := strings.Replace(reformatted, "grace_days: 120,", "grace_days: 120, late_attestation: sometimes,", 1)
	_, err := ParsePolicy("bad.yaml", []byte(doc))
	if got := fieldsOf(appErr(t, err, tfpricing.EINVALID)); got != "ratchet.late_attestation" {
		t.Errorf("fields %q", got)
	}
}
