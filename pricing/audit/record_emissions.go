package audit

import (
	"encoding/json"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// DecisionEmissions records a borrower's emissions attestation (issue 17).
// Its inputs are the attestation as accepted (EncodeEmissions); its outputs
// what the service derived from it, which replay recomputes.
const DecisionEmissions DecisionKind = "emissions"

// emissionsRecord is the stored form of a pricing.Emissions: explicit keys,
// decimals as normalised strings, versioned by v.
type emissionsRecord struct {
	AcceptedOn     string `json:"accepted_on"`
	EquityPlusDebt string `json:"equity_plus_debt"`
	EVIC           bool   `json:"evic,omitempty"`
	EvidenceSHA256 string `json:"evidence_sha256"`
	ID             string `json:"id"`
	IdemKey        string `json:"idempotency_key,omitempty"`
	Output         string `json:"output"`
	OutputUnit     string `json:"output_unit"`
	RequestHash    string `json:"request_sha256,omitempty"`
	Scope1         string `json:"scope1_tco2e"`
	Scope2         string `json:"scope2_tco2e"`
	Seq            uint64 `json:"seq"`
	Source         string `json:"source"`
	USCC           string `json:"uscc"`
	docVersion
	Verifier verifierRecord `json:"verifier"`
	Year     int            `json:"year"`
}

func newEmissionsRecord(e pricing.Emissions) emissionsRecord {
	return emissionsRecord{AcceptedOn: e.AcceptedOn.String(), EquityPlusDebt: pricing.NormalString(e.EquityPlusDebt),
		EVIC: e.EVIC, EvidenceSHA256: e.EvidenceSHA256, ID: e.ID, IdemKey: e.IdempotencyKey,
		Output: pricing.NormalString(e.Output), OutputUnit: e.OutputUnit, RequestHash: e.RequestHash,
		Scope1: pricing.NormalString(e.Scope1), Scope2: pricing.NormalString(e.Scope2), Seq: e.Seq,
		Source: string(e.Source), USCC: e.USCC, Year: e.Year,
		Verifier: verifierRecord{Name: e.VerifierName, Accreditation: e.VerifierAccreditation}}
}

func (rec emissionsRecord) emissions(r *recReader) pricing.Emissions {
	return pricing.Emissions{ID: rec.ID, Seq: rec.Seq, USCC: rec.USCC, Year: rec.Year,
		Scope1: r.decimal("scope1_tco2e", rec.Scope1), Scope2: r.decimal("scope2_tco2e", rec.Scope2),
		Output: r.decimal("output", rec.Output), OutputUnit: rec.OutputUnit,
		EquityPlusDebt: r.decimal("equity_plus_debt", rec.EquityPlusDebt), EVIC: rec.EVIC,
		Source: pricing.EmissionsSource(rec.Source), VerifierName: rec.Verifier.Name,
		VerifierAccreditation: rec.Verifier.Accreditation, EvidenceSHA256: rec.EvidenceSHA256,
		AcceptedOn: r.date("accepted_on", rec.AcceptedOn), IdempotencyKey: rec.IdemKey, RequestHash: rec.RequestHash}
}

// EncodeEmissions returns the stored record of an emissions attestation.
func EncodeEmissions(e pricing.Emissions) ([]byte, error) {
	rec := newEmissionsRecord(e)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodeEmissions decodes a record written by EncodeEmissions, strictly.
func DecodeEmissions(data []byte) (pricing.Emissions, error) {
	return decodeDoc("emissions", data, func(rec emissionsRecord, r *recReader) pricing.Emissions {
		return rec.emissions(r)
	}, EncodeEmissions)
}

// emissionsOutputs is what an emissions decision derived: the PCAF data
// quality of its source and its scope 1 + 2 total.
type emissionsOutputs struct {
	ID          string `json:"id"`
	DataQuality int    `json:"pcaf_data_quality"`
	TotalTCO2e  string `json:"scope12_tco2e"`
}

func emissionsOutputsOf(e pricing.Emissions) ([]byte, error) {
	return canon.Marshal(emissionsOutputs{DataQuality: e.Source.DataQuality(), ID: e.ID,
		TotalTCO2e: pricing.NormalString(e.Total())})
}

// NewEmissionsDecision builds the decision recording e (actor, times and
// chain fields are the caller's).
func NewEmissionsDecision(e pricing.Emissions) (Decision, error) {
	in, err := EncodeEmissions(e)
	if err != nil {
		return Decision{}, err
	}
	out, err := emissionsOutputsOf(e)
	if err != nil {
		return Decision{}, err
	}
	return Decision{Kind: DecisionEmissions, AsOf: e.AcceptedOn, Inputs: in, Outputs: out,
		EngineVersion: EngineVersion}, nil
}

// replayEmissions recomputes an emissions decision's outputs.
func replayEmissions(d Decision) (json.RawMessage, error) {
	e, err := DecodeEmissions(d.Inputs)
	if err != nil {
		return nil, replayFailed(d, "its inputs do not decode", err)
	}
	if err := e.Validate(); err != nil {
		return nil, replayFailed(d, "its inputs are not a valid emissions attestation", err)
	}
	out, err := emissionsOutputsOf(e)
	if err != nil {
		return nil, tfpricing.Errorf(tfpricing.EINTERNAL, "emissions outputs: %v", err)
	}
	return out, nil
}
