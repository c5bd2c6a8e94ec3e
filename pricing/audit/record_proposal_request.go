package audit

import (
	"encoding/json"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// The requests of proposals (DESIGN.md §5.1) as their proposal decisions
// record them, under "request": domain records, never transport DTOs.

// Amendment is an amendment proposal's request.
type Amendment struct {
	EffectiveFrom tfpricing.Date
	ReasonCode    string
	Reason        string
	KPIs          []pricing.KPI
}

// Declassification is a declassification proposal's request.
type Declassification struct {
	EffectiveFrom tfpricing.Date
	Ground        string
	Reason        string
}

type amendmentRecord struct {
	EffectiveFrom string      `json:"effective_from"`
	KPIs          []kpiRecord `json:"kpis"`
	Reason        string      `json:"reason"`
	ReasonCode    string      `json:"reason_code"`
}

type declassificationRecord struct {
	EffectiveFrom string `json:"effective_from"`
	Ground        string `json:"ground"`
	Reason        string `json:"reason"`
}

type fixingRequestRecord struct {
	EffectiveDate string `json:"effective_date"`
	FiveYear      string `json:"five_year"`
	OneYear       string `json:"one_year"`
}

// Encode returns the canonical record of the amendment.
func (a Amendment) Encode() (json.RawMessage, error) {
	return canon.Marshal(amendmentRecord{EffectiveFrom: a.EffectiveFrom.String(), KPIs: newPricedKPIRecords(a.KPIs),
		Reason: a.Reason, ReasonCode: a.ReasonCode})
}

// DecodeAmendment decodes an amendment's record strictly.
func DecodeAmendment(raw []byte) (Amendment, error) {
	return decodeRecordFrom("amendment", raw, false, func(rec amendmentRecord, r *recReader) Amendment {
		a := Amendment{EffectiveFrom: r.date("effective_from", rec.EffectiveFrom), ReasonCode: rec.ReasonCode,
			Reason: rec.Reason, KPIs: make([]pricing.KPI, len(rec.KPIs))}
		for i, k := range rec.KPIs {
			a.KPIs[i] = k.pricedKPI(r, "kpis", i)
		}
		return a
	}, func(a Amendment) ([]byte, error) { return a.Encode() })
}

// Encode returns the canonical record of the declassification.
func (d Declassification) Encode() (json.RawMessage, error) {
	return canon.Marshal(declassificationRecord{EffectiveFrom: d.EffectiveFrom.String(), Ground: d.Ground, Reason: d.Reason})
}

// DecodeDeclassification decodes a declassification's record strictly.
func DecodeDeclassification(raw []byte) (Declassification, error) {
	return decodeRecordFrom("declassification", raw, false, func(rec declassificationRecord, r *recReader) Declassification {
		return Declassification{EffectiveFrom: r.date("effective_from", rec.EffectiveFrom), Ground: rec.Ground, Reason: rec.Reason}
	}, func(d Declassification) ([]byte, error) { return d.Encode() })
}

// EncodeFixingRequest returns the canonical record of a proposed LPR
// fixing: its rates as given, not padded, so the fixing decodes to the
// same decimals.
func EncodeFixingRequest(f pricing.Fixing) (json.RawMessage, error) {
	return canon.Marshal(fixingRequestRecord{EffectiveDate: f.EffectiveDate.String(),
		OneYear: pricing.NormalString(f.OneYear), FiveYear: pricing.NormalString(f.FiveYear)})
}

// DecodeFixingRequest decodes a proposed LPR fixing strictly.
func DecodeFixingRequest(raw []byte) (pricing.Fixing, error) {
	return decodeRecordFrom("lpr fixing", raw, false, func(rec fixingRequestRecord, r *recReader) pricing.Fixing {
		return pricing.Fixing{EffectiveDate: r.date("effective_date", rec.EffectiveDate),
			OneYear: r.decimal("one_year", rec.OneYear), FiveYear: r.decimal("five_year", rec.FiveYear)}
	}, func(f pricing.Fixing) ([]byte, error) { return EncodeFixingRequest(f) })
}
