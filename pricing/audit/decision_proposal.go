package audit

import (
	"encoding/json"
	"fmt"

	"tfpricing"
	"tfpricing/pricing/canon"
)

// The decision kinds of a proposal's life (DESIGN.md §5.1). An approved
// amendment or declassification is recorded twice: the proposal's
// approval, and the loan decision (DecisionAmendment,
// DecisionDeclassification) that holds the loan's recomputed schedule.
const (
	DecisionProposal           DecisionKind = "proposal"
	DecisionProposalApproval   DecisionKind = "proposal_approval"
	DecisionProposalRejection  DecisionKind = "proposal_rejection"
	DecisionProposalExpiry     DecisionKind = "proposal_expiry"
	DecisionAmendment          DecisionKind = "amendment"
	DecisionDeclassification   DecisionKind = "declassification"
	DecisionSecondPartyOpinion DecisionKind = "second_party_opinion"
)

// ProposalStep is one step of a proposal: made, approved, rejected or
// expired.
type ProposalStep string

// The steps.
const (
	StepProposed ProposalStep = "proposed"
	StepApproved ProposalStep = "approved"
	StepRejected ProposalStep = "rejected"
	StepExpired  ProposalStep = "expired"
)

// stepKinds maps each step to its decision kind.
var stepKinds = []struct {
	step ProposalStep
	kind DecisionKind
}{{StepProposed, DecisionProposal}, {StepApproved, DecisionProposalApproval},
	{StepRejected, DecisionProposalRejection}, {StepExpired, DecisionProposalExpiry}}

// isProposalKind reports whether k records a proposal step.
func isProposalKind(k DecisionKind) bool {
	for _, s := range stepKinds {
		if s.kind == k {
			return true
		}
	}
	return false
}

// ProposalInputs are what a proposal step decides from. Proposed: the
// request, its date and the validity in days; the other steps: the date of
// the decision and the proposal's expiry date, which the step must respect.
//
// Stored layout: {"expires_on", "kind", "loan_id", "on", "proposal_id",
// "proposed_by", "reason", "request", "step", "validity_days"}, empty
// members left out.
type ProposalInputs struct {
	ProposalID   string
	Kind         string // amendment | declassification | lpr_fixing
	LoanID       string
	Step         ProposalStep
	On           tfpricing.Date
	ProposedBy   string // key id
	ValidityDays int
	ExpiresOn    tfpricing.Date
	Request      json.RawMessage
	Reason       string
}

// ProposalOutcome is a step's result: the proposal's status afterwards.
type ProposalOutcome struct {
	ProposalID string
	Status     string // pending | approved | rejected | expired
	ExpiresOn  tfpricing.Date
	DecidedOn  tfpricing.Date // zero for proposed
}

type proposalInputsRecord struct {
	ExpiresOn    string          `json:"expires_on,omitempty"`
	Kind         string          `json:"kind"`
	LoanID       string          `json:"loan_id,omitempty"`
	On           string          `json:"on"`
	ProposalID   string          `json:"proposal_id"`
	ProposedBy   string          `json:"proposed_by"`
	Reason       string          `json:"reason,omitempty"`
	Request      json.RawMessage `json:"request,omitempty"`
	Step         string          `json:"step"`
	ValidityDays int             `json:"validity_days,omitempty"`
}

type proposalOutcomeRecord struct {
	DecidedOn  string `json:"decided_on,omitempty"`
	ExpiresOn  string `json:"expires_on"`
	ProposalID string `json:"proposal_id"`
	Status     string `json:"status"`
}

// Outcome computes the step's result, refusing a step the rules forbid: a
// proposal valid for no days, an approval or rejection after the expiry
// date, an expiry on or before it.
func (in ProposalInputs) Outcome() (ProposalOutcome, error) {
	out := ProposalOutcome{ProposalID: in.ProposalID, ExpiresOn: in.ExpiresOn, DecidedOn: in.On}
	switch in.Step {
	case StepProposed:
		if in.ValidityDays <= 0 {
			return out, fmt.Errorf("a proposal must be valid for at least one day")
		}
		out.Status, out.ExpiresOn, out.DecidedOn = "pending", in.On.AddDays(in.ValidityDays), tfpricing.Date{}
	case StepApproved, StepRejected:
		if in.On.After(in.ExpiresOn) {
			return out, fmt.Errorf("the proposal expired on %s", in.ExpiresOn)
		}
		out.Status = string(in.Step)
	case StepExpired:
		if !in.On.After(in.ExpiresOn) {
			return out, fmt.Errorf("the proposal is valid until %s", in.ExpiresOn)
		}
		out.Status = string(in.Step)
	default:
		return out, fmt.Errorf("unknown step %q", in.Step)
	}
	return out, nil
}

func (in ProposalInputs) record() (proposalInputsRecord, error) {
	rec := proposalInputsRecord{Kind: in.Kind, LoanID: in.LoanID, On: in.On.String(), ProposalID: in.ProposalID,
		ProposedBy: in.ProposedBy, Reason: in.Reason, Step: string(in.Step), ValidityDays: in.ValidityDays}
	if !in.ExpiresOn.IsZero() {
		rec.ExpiresOn = in.ExpiresOn.String()
	}
	if len(in.Request) > 0 {
		raw, err := canon.Canonical(in.Request)
		if err != nil {
			return rec, err
		}
		rec.Request = raw
	}
	return rec, nil
}

// Encode returns the canonical JSON of the inputs.
func (in ProposalInputs) Encode() (json.RawMessage, error) {
	rec, err := in.record()
	if err != nil {
		return nil, err
	}
	return canon.Marshal(rec)
}

// Encode returns the canonical JSON of the outcome.
func (o ProposalOutcome) Encode() (json.RawMessage, error) {
	rec := proposalOutcomeRecord{ExpiresOn: o.ExpiresOn.String(), ProposalID: o.ProposalID, Status: o.Status}
	if !o.DecidedOn.IsZero() {
		rec.DecidedOn = o.DecidedOn.String()
	}
	return canon.Marshal(rec)
}

// DecodeProposalInputs decodes proposal step inputs strictly.
func DecodeProposalInputs(raw []byte) (ProposalInputs, error) {
	return decodeRecordFrom("proposal inputs", raw, false, func(rec proposalInputsRecord, r *recReader) ProposalInputs {
		in := ProposalInputs{ProposalID: rec.ProposalID, Kind: rec.Kind, LoanID: rec.LoanID, Step: ProposalStep(rec.Step),
			On: r.date("on", rec.On), ProposedBy: rec.ProposedBy, ValidityDays: rec.ValidityDays,
			Request: rec.Request, Reason: rec.Reason}
		if rec.ExpiresOn != "" {
			in.ExpiresOn = r.date("expires_on", rec.ExpiresOn)
		}
		return in
	}, func(in ProposalInputs) ([]byte, error) { return in.Encode() })
}

// Decision returns the unsealed decision of the step with its outcome, or
// an EINTERNAL error for a step the rules forbid (the caller checks them
// first and answers the client).
func (in ProposalInputs) Decision() (Decision, ProposalOutcome, error) {
	var kind DecisionKind
	for _, s := range stepKinds {
		if s.step == in.Step {
			kind = s.kind
		}
	}
	out, err := in.Outcome()
	if err != nil || kind == "" {
		return Decision{}, out, tfpricing.Errorf(tfpricing.EINTERNAL, "proposal %s step %s: %v", in.ProposalID, in.Step, err)
	}
	inputs, err := in.Encode()
	if err != nil {
		return Decision{}, out, tfpricing.Errorf(tfpricing.EINTERNAL, "proposal inputs: %v", err)
	}
	outputs, err := out.Encode()
	if err != nil {
		return Decision{}, out, tfpricing.Errorf(tfpricing.EINTERNAL, "proposal outputs: %v", err)
	}
	d := Decision{Kind: kind, LoanID: in.LoanID, AsOf: in.On, Inputs: inputs, EngineVersion: EngineVersion, Outputs: outputs}
	d.knowCanonical()
	return d, out, nil
}

// replayProposal recomputes a proposal step's outcome from its inputs.
func replayProposal(d Decision) (json.RawMessage, error) {
	in, err := DecodeProposalInputs(d.Inputs)
	if err != nil {
		return nil, replayFailed(d, "its inputs do not decode", err)
	}
	out, err := in.Outcome()
	if err != nil {
		return nil, replayFailed(d, "its step breaks the proposal rules", err)
	}
	return out.Encode()
}
