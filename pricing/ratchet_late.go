package pricing

import (
	"go.yaml.in/yaml/v3"
)

// LateAttestation says what an attestation accepted after its year's due
// date does (DESIGN.md §4.5).
type LateAttestation string

// The late_attestation settings.
const (
	// LateIgnore: a late attestation changes nothing; the year stays
	// not_reported (policy 2026.1).
	LateIgnore LateAttestation = "ignore"
	// LateCure: the year still gets its not_reported determination, then each
	// late attestation is a determination on its own accepted_on (met or
	// missed) that supersedes the one before, as a late compliance
	// certificate does in LMA-style sustainability-linked facilities
	// (policy 2027.1).
	LateCure LateAttestation = "cure"
)

// lateAttestation reads ratchet.late_attestation. Absent means ignore, the
// rule of every policy written before the setting existed.
func (r *docReader) lateAttestation(n *yaml.Node, path string) LateAttestation {
	if n == nil {
		return LateIgnore
	}
	switch v := LateAttestation(r.text(n, path)); v {
	case LateIgnore, LateCure:
		return v
	case "":
		return LateIgnore // r.text has reported it
	default:
		r.fail(path, "oneof", "must be ignore or cure")
		return LateIgnore
	}
}

// canonicalLate adds late_attestation to a canonical ratchet only when it is
// cure. ignore is the default, and leaving it out keeps the canonical form,
// and so the digest, of a policy written before the setting existed (2026.1,
// recorded in every decision made under it) exactly what it was, whether or
// not its file now states ignore explicitly.
func canonicalLate(ratchet map[string]any, l LateAttestation) map[string]any {
	if l == LateCure {
		ratchet["late_attestation"] = string(l)
	}
	return ratchet
}

// cureLate records, under cure, the determinations of a year whose first
// attestation was late: not_reported on due + 1 first (the year had no
// on-time attestation, and as_of is past its due date since a late one is
// known), then each late attestation in (accepted_on, arrival) order. A late
// attestation is accepted after the due date, so on or after due + 1, and on
// due + 1 itself it comes after not_reported and supersedes it.
func (s *spt) cureLate() {
	dets := make([]determination, 0, len(s.dets)+1)
	dets = append(dets, determination{on: s.due.AddDays(1), outcome: NotReported})
	s.dets = append(dets, s.dets...)
}

// fieldsWithOptional is fieldsOf for a mapping with some optional keys:
// every key of required must be present, those of optional may be.
func (r *docReader) fieldsWithOptional(n *yaml.Node, path string, optional []string, required ...string) map[string]*yaml.Node {
	if d := deref(n); d == nil || d.Kind != yaml.MappingNode {
		if n != nil {
			r.fail(path, "type", "must be a mapping")
		}
		return nil
	}
	es := r.entries(n, path, append(append([]string(nil), required...), optional...))
	m := make(map[string]*yaml.Node, len(es))
	for _, e := range es {
		m[e.key] = e.val
	}
	for _, k := range required {
		if m[k] == nil {
			r.fail(join(path, k), "required", "is required")
		}
	}
	return m
}

// OrDefault returns the setting, ignore when unset.
func (l LateAttestation) OrDefault() string {
	if l == "" {
		return string(LateIgnore)
	}
	return string(l)
}
