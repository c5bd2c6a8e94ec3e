package audit

import (
	"fmt"

	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// fixingRecord is an LPR Fixing; its rates are written with 4 decimals like
// every rate, and read back at their published scale.
type fixingRecord struct {
	EffectiveDate string `json:"effective_date,omitempty"`
	FiveYear      string `json:"five_year"`
	OneYear       string `json:"one_year"`
	docVersion
}

type verifierRecord struct {
	Accreditation string `json:"accreditation"`
	Name          string `json:"name"`
}

// attestationRecord is an Attestation, with the verifier nested as the
// attestation request states it.
type attestationRecord struct {
	AcceptedOn     string `json:"accepted_on,omitempty"`
	EvidenceSHA256 string `json:"evidence_sha256"`
	ID             string `json:"id"`
	MetricID       string `json:"metric_id"`
	Seq            uint64 `json:"seq"`
	docVersion
	Value    string         `json:"value"`
	Verifier verifierRecord `json:"verifier"`
	Year     int            `json:"year"`
}

type policyRefRecord struct {
	Digest string `json:"digest"`
	docVersion
	Version string `json:"version"`
}

type catalogueRefRecord struct {
	Digest string `json:"digest"`
	ID     string `json:"id"`
	docVersion
	Version string `json:"version"`
}

func newFixingRecord(f pricing.Fixing) fixingRecord {
	return fixingRecord{EffectiveDate: f.EffectiveDate.String(), OneYear: rateString(f.OneYear),
		FiveYear: rateString(f.FiveYear)}
}

func (rec fixingRecord) fixing(r *recReader, prefix string) pricing.Fixing {
	return pricing.Fixing{EffectiveDate: r.date(prefixed(prefix, "effective_date"), rec.EffectiveDate),
		OneYear:  r.decimal(prefixed(prefix, "one_year"), rec.OneYear),
		FiveYear: r.decimal(prefixed(prefix, "five_year"), rec.FiveYear)}
}

func newFixingRecords(fs []pricing.Fixing) []fixingRecord {
	out := make([]fixingRecord, len(fs))
	for i, f := range fs {
		out[i] = newFixingRecord(f)
	}
	return out
}

func fixingsOf(r *recReader, prefix string, recs []fixingRecord) []pricing.Fixing {
	if len(recs) == 0 {
		return nil
	}
	out := make([]pricing.Fixing, len(recs))
	for i, rec := range recs {
		out[i] = rec.fixing(r, fmt.Sprintf("%s[%d]", prefix, i))
	}
	return out
}

func newAttestationRecord(a pricing.Attestation) attestationRecord {
	return attestationRecord{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year, Value: pricing.NormalString(a.Value),
		AcceptedOn: a.AcceptedOn.String(), Verifier: verifierRecord{Name: a.VerifierName,
			Accreditation: a.VerifierAccreditation}, EvidenceSHA256: a.EvidenceSHA256}
}

func (rec attestationRecord) attestation(r *recReader, prefix string) pricing.Attestation {
	return pricing.Attestation{ID: rec.ID, Seq: rec.Seq, MetricID: rec.MetricID, Year: rec.Year,
		Value:                 r.decimal(prefixed(prefix, "value"), rec.Value),
		AcceptedOn:            r.date(prefixed(prefix, "accepted_on"), rec.AcceptedOn),
		VerifierName:          rec.Verifier.Name,
		VerifierAccreditation: rec.Verifier.Accreditation, EvidenceSHA256: rec.EvidenceSHA256}
}

func newPolicyRefRecord(p pricing.PolicyRef) policyRefRecord {
	return policyRefRecord{Version: p.Version, Digest: p.Digest}
}

func (rec policyRefRecord) ref() pricing.PolicyRef {
	return pricing.PolicyRef{Version: rec.Version, Digest: rec.Digest}
}

func newCatalogueRefRecord(c catalog.Ref) catalogueRefRecord {
	return catalogueRefRecord{ID: c.ID, Version: c.Version, Digest: c.Digest}
}

func (rec catalogueRefRecord) ref() catalog.Ref {
	return catalog.Ref{ID: rec.ID, Version: rec.Version, Digest: rec.Digest}
}

// EncodeFixing returns the stored record of an LPR fixing.
func EncodeFixing(f pricing.Fixing) ([]byte, error) {
	rec := newFixingRecord(f)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodeFixing decodes a record written by EncodeFixing, strictly.
func DecodeFixing(data []byte) (pricing.Fixing, error) {
	return decodeDoc("fixing", data, func(rec fixingRecord, r *recReader) pricing.Fixing { return rec.fixing(r, "") }, EncodeFixing)
}

// EncodeAttestation returns the stored record of an attestation.
func EncodeAttestation(a pricing.Attestation) ([]byte, error) {
	rec := newAttestationRecord(a)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodeAttestation decodes a record written by EncodeAttestation, strictly.
func DecodeAttestation(data []byte) (pricing.Attestation, error) {
	return decodeDoc("attestation", data, func(rec attestationRecord, r *recReader) pricing.Attestation {
		return rec.attestation(r, "")
	}, EncodeAttestation)
}

// EncodePolicyRef returns the stored record of a policy reference.
func EncodePolicyRef(p pricing.PolicyRef) ([]byte, error) {
	rec := newPolicyRefRecord(p)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodePolicyRef decodes a record written by EncodePolicyRef, strictly.
func DecodePolicyRef(data []byte) (pricing.PolicyRef, error) {
	return decodeDoc("policy reference", data, func(rec policyRefRecord, _ *recReader) pricing.PolicyRef { return rec.ref() },
		EncodePolicyRef)
}

// EncodeCatalogueRef returns the stored record of a catalogue reference.
func EncodeCatalogueRef(c catalog.Ref) ([]byte, error) {
	rec := newCatalogueRefRecord(c)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodeCatalogueRef decodes a record written by EncodeCatalogueRef,
// strictly.
func DecodeCatalogueRef(data []byte) (catalog.Ref, error) {
	return decodeDoc("catalogue reference", data, func(rec catalogueRefRecord, _ *recReader) catalog.Ref {
		return rec.ref()
	}, EncodeCatalogueRef)
}
