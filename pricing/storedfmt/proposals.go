package storedfmt

import (
	"encoding/json"
	"fmt"
	"iter"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Actor is a tfpricing.Actor as stored.
type Actor struct {
	KeyID     string `json:"key_id"`
	Role      string `json:"role"`
	RequestID string `json:"request_id,omitempty"`
}

// NewActor is the stored form of an actor.
func NewActor(a tfpricing.Actor) Actor {
	return Actor{KeyID: a.KeyID, Role: string(a.Role), RequestID: a.RequestID}
}

func (r Actor) actor() tfpricing.Actor {
	return tfpricing.Actor{KeyID: r.KeyID, Role: tfpricing.Role(r.Role), RequestID: r.RequestID}
}

// Proposal is loanbook.Proposal, version 1.
type Proposal struct {
	V           int             `json:"v"`
	ID          string          `json:"id"`
	Kind        string          `json:"kind"`
	LoanID      string          `json:"loan_id,omitempty"`
	Status      string          `json:"status"`
	ProposedBy  Actor           `json:"proposed_by"`
	ProposedOn  string          `json:"proposed_on"`
	ExpiresOn   string          `json:"expires_on"`
	Request     json.RawMessage `json:"request"`
	DecidedBy   *Actor          `json:"decided_by,omitempty"`
	DecidedOn   string          `json:"decided_on,omitempty"`
	Reason      string          `json:"reason,omitempty"`
	ProposalSeq uint64          `json:"proposal_seq"`
	DecisionSeq uint64          `json:"decision_seq,omitempty"`
	EffectSeq   uint64          `json:"effect_seq,omitempty"`
}

// NewProposal is the stored form of a proposal, version 1.
func NewProposal(p loanbook.Proposal) Proposal {
	rec := Proposal{V: 1, ID: p.ID, Kind: string(p.Kind), LoanID: p.LoanID, Status: string(p.Status),
		ProposedBy: NewActor(p.ProposedBy), ProposedOn: p.ProposedOn.String(), ExpiresOn: p.ExpiresOn.String(),
		Request: p.Request, Reason: p.Reason, ProposalSeq: p.ProposalSeq, DecisionSeq: p.DecisionSeq, EffectSeq: p.EffectSeq}
	if p.DecidedBy != nil {
		a := NewActor(*p.DecidedBy)
		rec.DecidedBy = &a
	}
	if !p.DecidedOn.IsZero() {
		rec.DecidedOn = p.DecidedOn.String()
	}
	return rec
}

// ReadProposal decodes a stored proposal.
func ReadProposal(raw []byte) (loanbook.Proposal, error) {
	var rec Proposal
	if err := json.Unmarshal(raw, &rec); err != nil {
		return loanbook.Proposal{}, err
	}
	return rec.Domain()
}

// MatchProposals decodes stored proposal records in the order records
// yields them and keeps those f matches, at most limit of them; more
// reports that another one matched after those. Both stores page their
// proposal lists with it.
func MatchProposals(records iter.Seq[[]byte], f loanbook.ProposalFilter, limit int) (out []loanbook.Proposal, more bool, err error) {
	for raw := range records {
		p, err := ReadProposal(raw)
		if err != nil {
			return nil, false, err
		}
		if !f.Match(p) {
			continue
		}
		if len(out) == limit {
			return out, true, nil
		}
		out = append(out, p)
	}
	return out, false, nil
}

// Domain is the proposal a stored record holds.
func (rec Proposal) Domain() (loanbook.Proposal, error) {
	if rec.V != 1 {
		return loanbook.Proposal{}, fmt.Errorf("storedfmt: proposal %s has unknown record version %d", rec.ID, rec.V)
	}
	p := loanbook.Proposal{ID: rec.ID, Kind: loanbook.ProposalKind(rec.Kind), LoanID: rec.LoanID,
		Status: loanbook.ProposalStatus(rec.Status), ProposedBy: rec.ProposedBy.actor(), Request: rec.Request,
		Reason: rec.Reason, ProposalSeq: rec.ProposalSeq, DecisionSeq: rec.DecisionSeq, EffectSeq: rec.EffectSeq}
	var err error
	if p.ProposedOn, err = tfpricing.ParseDate(rec.ProposedOn); err != nil {
		return p, err
	}
	if p.ExpiresOn, err = tfpricing.ParseDate(rec.ExpiresOn); err != nil {
		return p, err
	}
	if rec.DecidedOn != "" {
		if p.DecidedOn, err = tfpricing.ParseDate(rec.DecidedOn); err != nil {
			return p, err
		}
	}
	if rec.DecidedBy != nil {
		a := rec.DecidedBy.actor()
		p.DecidedBy = &a
	}
	return p, nil
}

// Lifecycle is loanbook.LoanLifecycle, version 1. A plan version
// keeps the loan's terms with the version's KPIs and tier, in the audit
// package's terms record.
type Lifecycle struct {
	V                int               `json:"v"`
	Plans            []PlanVersion     `json:"plans,omitempty"`
	Declassification *Declassification `json:"declassification,omitempty"`
	Opinion          *Opinion          `json:"second_party_opinion,omitempty"`
}

type PlanVersion struct {
	Version       int             `json:"version"`
	EffectiveFrom string          `json:"effective_from"`
	Terms         json.RawMessage `json:"terms"`
	ReasonCode    string          `json:"reason_code"`
	Reason        string          `json:"reason"`
	ProposalID    string          `json:"proposal_id"`
	ApprovedOn    string          `json:"approved_on"`
	DecisionSeq   uint64          `json:"decision_seq"`
}

type Declassification struct {
	EffectiveFrom string `json:"effective_from"`
	Ground        string `json:"ground"`
	Reason        string `json:"reason"`
	ProposalID    string `json:"proposal_id"`
	ApprovedOn    string `json:"approved_on"`
	DecisionSeq   uint64 `json:"decision_seq"`
}

type Opinion struct {
	Provider     string `json:"provider"`
	Date         string `json:"date"`
	Conclusion   string `json:"conclusion"`
	ReportSHA256 string `json:"report_sha256"`
	DecisionSeq  uint64 `json:"decision_seq"`
}

// NewLifecycle is the stored form of lc, for a loan whose terms are
// terms: each plan version keeps those terms with its own KPIs and tier.
func NewLifecycle(terms pricing.Terms, lc loanbook.LoanLifecycle) (Lifecycle, error) {
	rec := Lifecycle{V: 1}
	for _, p := range lc.Plans {
		t := terms
		t.KPIs, t.Tier = p.KPIs, p.Tier
		raw, err := audit.EncodeTerms(t)
		if err != nil {
			return Lifecycle{}, err
		}
		rec.Plans = append(rec.Plans, PlanVersion{Version: p.Version, EffectiveFrom: p.EffectiveFrom.String(),
			Terms: raw, ReasonCode: p.ReasonCode, Reason: p.Reason, ProposalID: p.ProposalID,
			ApprovedOn: p.ApprovedOn.String(), DecisionSeq: p.DecisionSeq})
	}
	if d := lc.Declassification; d != nil {
		rec.Declassification = &Declassification{EffectiveFrom: d.EffectiveFrom.String(), Ground: d.Ground, Reason: d.Reason,
			ProposalID: d.ProposalID, ApprovedOn: d.ApprovedOn.String(), DecisionSeq: d.DecisionSeq}
	}
	if o := lc.Opinion; o != nil {
		rec.Opinion = &Opinion{Provider: o.Provider, Date: o.Date.String(), Conclusion: o.Conclusion,
			ReportSHA256: o.ReportSHA256, DecisionSeq: o.DecisionSeq}
	}
	return rec, nil
}

// ReadLifecycle decodes a loan's stored lifecycle; none (nil) is the zero
// lifecycle.
func ReadLifecycle(loanID string, raw []byte) (loanbook.LoanLifecycle, error) {
	var lc loanbook.LoanLifecycle
	if raw == nil {
		return lc, nil
	}
	var rec Lifecycle
	if err := json.Unmarshal(raw, &rec); err != nil || rec.V != 1 {
		return lc, fmt.Errorf("storedfmt: lifecycle of loan %s is malformed (%v)", loanID, err)
	}
	date := func(s string) tfpricing.Date { d, _ := tfpricing.ParseDate(s); return d }
	for _, p := range rec.Plans {
		terms, err := audit.DecodeTerms(p.Terms)
		if err != nil {
			return lc, err
		}
		lc.Plans = append(lc.Plans, loanbook.PlanRecord{PlanVersion: pricing.PlanVersion{Version: p.Version,
			EffectiveFrom: date(p.EffectiveFrom), Tier: terms.Tier, KPIs: terms.KPIs}, ReasonCode: p.ReasonCode,
			Reason: p.Reason, ProposalID: p.ProposalID, ApprovedOn: date(p.ApprovedOn), DecisionSeq: p.DecisionSeq})
	}
	if d := rec.Declassification; d != nil {
		lc.Declassification = &loanbook.Declassification{EffectiveFrom: date(d.EffectiveFrom), Ground: d.Ground,
			Reason: d.Reason, ProposalID: d.ProposalID, ApprovedOn: date(d.ApprovedOn), DecisionSeq: d.DecisionSeq}
	}
	if o := rec.Opinion; o != nil {
		lc.Opinion = &loanbook.Opinion{SecondPartyOpinion: audit.SecondPartyOpinion{LoanID: loanID, Provider: o.Provider,
			Date: date(o.Date), Conclusion: o.Conclusion, ReportSHA256: o.ReportSHA256}, DecisionSeq: o.DecisionSeq}
	}
	return lc, nil
}
