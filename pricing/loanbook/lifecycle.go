package loanbook

import (
	"encoding/json"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// ProposalKind is what a proposal would change (DESIGN.md §5.1).
type ProposalKind string

// The proposal kinds.
const (
	ProposalAmendment        ProposalKind = "amendment"
	ProposalDeclassification ProposalKind = "declassification"
	ProposalLPRFixing        ProposalKind = "lpr_fixing"
)

// ProposalStatus is where a proposal stands: pending, then approved,
// rejected or expired.
type ProposalStatus string

// The statuses.
const (
	ProposalPending  ProposalStatus = "pending"
	ProposalApproved ProposalStatus = "approved"
	ProposalRejected ProposalStatus = "rejected"
	ProposalExpired  ProposalStatus = "expired"
)

// Proposal is a change to a booked loan or to reference data that a second
// person approves (审贷分离). Request is the change as the domain records
// it (canonical JSON, the inputs of its proposal decision).
type Proposal struct {
	ID         string // "P-00000042"
	Kind       ProposalKind
	LoanID     string // empty for reference data
	Status     ProposalStatus
	ProposedBy tfpricing.Actor
	ProposedOn tfpricing.Date
	ExpiresOn  tfpricing.Date
	Request    json.RawMessage
	DecidedBy  *tfpricing.Actor
	DecidedOn  tfpricing.Date
	Reason     string // a rejection's reason
	// ProposalSeq is the decision that recorded the proposal; DecisionSeq
	// the one that recorded its approval, rejection or expiry.
	ProposalSeq uint64
	DecisionSeq uint64
	// EffectSeq is the loan decision an approval made (amendment or
	// declassification), 0 otherwise.
	EffectSeq uint64
}

// ProposalFilter selects proposals; empty fields match everything.
type ProposalFilter struct {
	Status ProposalStatus
	Kind   ProposalKind
	LoanID string
}

// Match reports whether p passes f.
func (f ProposalFilter) Match(p Proposal) bool {
	return (f.Status == "" || f.Status == p.Status) && (f.Kind == "" || f.Kind == p.Kind) &&
		(f.LoanID == "" || f.LoanID == p.LoanID)
}

// PlanRecord is an approved plan version with what made it.
type PlanRecord struct {
	pricing.PlanVersion
	ReasonCode  string
	Reason      string
	ProposalID  string
	ApprovedOn  tfpricing.Date
	DecisionSeq uint64 // the amendment decision
}

// Declassification is an approved declassification.
type Declassification struct {
	EffectiveFrom tfpricing.Date
	Ground        string
	Reason        string
	ProposalID    string
	ApprovedOn    tfpricing.Date
	DecisionSeq   uint64
}

// LoanLifecycle is what happened to a loan after booking: its approved
// plan versions (2, 3, …), its declassification, its second-party opinion.
type LoanLifecycle struct {
	Plans            []PlanRecord
	Declassification *Declassification
	Opinion          *Opinion
}

// Opinion is a recorded second-party opinion.
type Opinion struct {
	audit.SecondPartyOpinion
	DecisionSeq uint64
}

// Pricing returns what the pricing engine needs of the lifecycle.
func (lc LoanLifecycle) Pricing() pricing.Lifecycle {
	var out pricing.Lifecycle
	for _, p := range lc.Plans {
		out.Amendments = append(out.Amendments, p.PlanVersion)
	}
	if d := lc.Declassification; d != nil {
		out.DeclassifiedFrom = d.EffectiveFrom
	}
	return out
}

// ProposalTx is the part of Tx that keeps proposals and loans' lifecycles.
// Errors: ENOTFOUND as stated; any other error is the store's own failure.
type ProposalTx interface {
	// NextProposalID reserves the id of a new proposal ("P-" and eight
	// digits).
	NextProposalID() (string, error)
	// PutProposal stores p under p.ID, replacing it; ENOTFOUND for an id
	// NextProposalID could not have made.
	PutProposal(p Proposal) error
	// Proposal returns the proposal with id, or ENOTFOUND.
	Proposal(id string) (Proposal, error)
	// Proposals returns up to limit proposals matching f, in id order after
	// the id cursor ("" for the first page), and whether more follow; a
	// malformed cursor is ENOTFOUND.
	Proposals(f ProposalFilter, after string, limit int) ([]Proposal, bool, error)
	// PutLifecycle stores loan loanID's lifecycle, replacing it; ENOTFOUND
	// for a malformed loan id. Loan and Loans return it in Loan.Lifecycle.
	PutLifecycle(loanID string, lc LoanLifecycle) error
}
