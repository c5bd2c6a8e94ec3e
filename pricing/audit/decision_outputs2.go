package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strconv"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// loanOutputsLayout2 is the "layout" of loan outputs that keep the
// attestation statuses by digest (issue 18).
const loanOutputsLayout2 = 2

// StatusDigest stands for a schedule's attestation statuses in loan outputs
// layout 2: their Count, Digest, the hex SHA-256 of the canonical JSON array
// of every status record (the array layout 1 stores under
// "schedule.attestations"), and in full only the statuses of the
// attestations the decision's event Introduced (in schedule order). Replay
// recomputes all the statuses, so a changed status is found as a different
// digest (or count) at "outputs.attestations.digest".
type StatusDigest struct {
	Count      int
	Digest     string
	Introduced []pricing.AttestationStatus
}

// Matches reports whether statuses are the ones d stands for.
func (d StatusDigest) Matches(statuses []pricing.AttestationStatus) bool {
	return len(statuses) == d.Count && statusesDigest(statuses) == d.Digest
}

// NewStatusDigest returns the digest of statuses, with in full those whose
// attestation is among introduced.
func NewStatusDigest(statuses []pricing.AttestationStatus, introduced []pricing.Attestation) StatusDigest {
	return newStatusDigest(statuses, introduced, nil)
}

// newStatusDigest is NewStatusDigest taking the digest from h when h is
// the hash of statuses (StatusHash.of).
func newStatusDigest(statuses []pricing.AttestationStatus, introduced []pricing.Attestation, h *StatusHash) StatusDigest {
	d := StatusDigest{Count: len(statuses)}
	if h.of(statuses) {
		d.Digest = h.Digest()
	} else {
		d.Digest = statusesDigest(statuses)
	}
	for _, st := range statuses {
		for _, a := range introduced {
			if a.Seq == st.Seq {
				d.Introduced = append(d.Introduced, st)
				break
			}
		}
	}
	return d
}

// statusesDigest hashes the canonical JSON array of the status records,
// written field by field (keys in order, empty accepted_on and outcome
// left out) rather than by reflection: it runs over the loan's whole
// history with every decision. TestStatusesDigestIsCanonical holds it to
// canon.Marshal of the records.
func statusesDigest(statuses []pricing.AttestationStatus) string {
	h := sha256.New()
	h.Write([]byte{'['})
	hashStatuses(h, statuses, 0)
	h.Write([]byte{']'})
	return hex.EncodeToString(h.Sum(nil))
}

// hashStatuses writes the records of statuses[from:] to h as the array's
// elements from the from-th on (after its opening bracket), a comma before
// every record but the array's first.
func hashStatuses(h hash.Hash, statuses []pricing.AttestationStatus, from int) {
	// Records are hashed a few kilobytes at a time, and dates written
	// straight into the buffer: a thousand statuses were a thousand
	// Date.String allocations and hash calls per decision.
	buf := make([]byte, 0, statusChunk+256)
	for i := from; i < len(statuses); i++ {
		a := statuses[i]
		if len(buf) >= statusChunk {
			h.Write(buf)
			buf = buf[:0]
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '{')
		if !a.AcceptedOn.IsZero() {
			buf = appendDate(append(buf, `"accepted_on":`...), a.AcceptedOn)
			buf = append(buf, ',')
		}
		buf = appendJSONString(append(buf, `"id":`...), a.ID)
		buf = appendJSONString(append(buf, `,"metric_id":`...), a.MetricID)
		if a.Outcome != "" {
			buf = appendJSONString(append(buf, `,"outcome":`...), string(a.Outcome))
		}
		buf = strconv.AppendUint(append(buf, `,"seq":`...), a.Seq, 10)
		buf = appendJSONString(append(buf, `,"status":`...), string(a.Status))
		buf = strconv.AppendInt(append(buf, `,"year":`...), int64(a.Year), 10)
		buf = append(buf, '}')
	}
	h.Write(buf)
}

// statusChunk is how many bytes of status records statusesDigest gathers
// before hashing them.
const statusChunk = 4 << 10

// appendDate appends d as a JSON string, as Date.String writes it.
func appendDate(buf []byte, d tfpricing.Date) []byte {
	y, m, day := d.Year(), int(d.Month()), d.Day()
	if y < 0 || y > 9999 {
		return appendJSONString(buf, d.String())
	}
	return append(buf, '"', byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10), '"')
}

// appendJSONString appends s as canon.Marshal writes a string: as is when
// it is printable ASCII without a quote or backslash, else by canon.Marshal
// itself.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			raw, err := canon.Marshal(s)
			if err != nil { // a string always marshals
				panic(fmt.Sprintf("audit: %v", err))
			}
			return append(buf, raw...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

func newAttestationStatusRecord(a pricing.AttestationStatus) attestationStatusRecord {
	return attestationStatusRecord{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year,
		AcceptedOn: a.AcceptedOn.String(), Status: string(a.Status), Outcome: string(a.Outcome)}
}

// statusDigestRecord is the stored form of a StatusDigest, under
// "attestations" of layout-2 loan outputs.
type statusDigestRecord struct {
	Count      int                       `json:"count"`
	Digest     string                    `json:"digest"`
	Introduced []attestationStatusRecord `json:"introduced"`
}

func newStatusDigestRecord(d *StatusDigest) *statusDigestRecord {
	if d == nil {
		return nil
	}
	rec := &statusDigestRecord{Count: d.Count, Digest: d.Digest, Introduced: make([]attestationStatusRecord, len(d.Introduced))}
	for i, a := range d.Introduced {
		rec.Introduced[i] = newAttestationStatusRecord(a)
	}
	return rec
}

func (rec *statusDigestRecord) statusDigest(r *recReader) *StatusDigest {
	if rec == nil {
		return nil
	}
	if !isHexHash(rec.Digest) {
		r.fail("attestations.digest", "hash", "must be 64 lower-case hex digits")
	}
	if rec.Count < len(rec.Introduced) {
		r.fail("attestations.count", "range", "is fewer than the introduced statuses")
	}
	d := &StatusDigest{Count: rec.Count, Digest: rec.Digest, Introduced: make([]pricing.AttestationStatus, len(rec.Introduced))}
	for i, a := range rec.Introduced {
		d.Introduced[i] = pricing.AttestationStatus{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year,
			AcceptedOn: r.date(fmt.Sprintf("attestations.introduced[%d].accepted_on", i), a.AcceptedOn),
			Status:     pricing.Timeliness(a.Status), Outcome: pricing.Outcome(a.Outcome)}
	}
	return d
}

// outputsLayout returns the "layout" of stored loan outputs (0 for layout
// 1, which has none), reading nothing else.
func outputsLayout(raw []byte) int {
	var rec struct {
		Layout int `json:"layout"`
	}
	if json.Unmarshal(raw, &rec) != nil {
		return 0
	}
	return rec.Layout
}

// LoanStatuses returns every attestation status of the schedule a loan
// decision d recorded in out. Layout-1 outputs hold them; layout-2 outputs
// hold their digest, so they are recomputed from d's inputs, the loan's
// attestations in atts (the caller's transaction) up to the ones d saw,
// the decision's policy pol and a curve holding the fixings d used (any
// later curve does: fixings after the decision's as-of date are ignored),
// and checked against the digest: a mismatch is EINTERNAL, naming the
// field.
func LoanStatuses(d Decision, out LoanOutputs, atts LoanAttestations, pol *pricing.Policy, curve pricing.Curve) ([]pricing.AttestationStatus, error) {
	if out.Statuses == nil {
		return out.Schedule.Attestations, nil
	}
	in, err := decodeLoanInputs(d.Inputs, d.inputsCanonical())
	if err != nil {
		return nil, err
	}
	var earlier []pricing.Attestation
	if in.Earlier != nil {
		all, err := atts.Attestations(d.LoanID)
		if err != nil {
			return nil, err
		}
		n := 0
		for n < len(all) && all[n].Seq <= in.Earlier.ThroughSeq {
			n++
		}
		earlier = all[:n:n]
	}
	s, err := pricing.Compute(pricing.Input{Terms: in.Terms, Policy: pol, Curve: curve, Attestations: in.AllAttestations(earlier),
		AsOf: in.AsOf, Assumptions: pricing.Assumptions{Projection: pricing.Current}, Lifecycle: in.Lifecycle})
	if err != nil {
		return nil, err
	}
	if !out.Statuses.Matches(s.Attestations) {
		return nil, tfpricing.Errorf(tfpricing.EINTERNAL,
			"decision %d: outputs.attestations.digest: the stored attestations give %s statuses of another digest",
			d.Seq, strconv.Itoa(len(s.Attestations)))
	}
	return s.Attestations, nil
}
