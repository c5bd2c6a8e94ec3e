package boltstore

import (
	"bytes"
	"encoding/json"
	"fmt"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Buckets of DESIGN.md §5.1 (created at Open, also in older files):
//
//	proposals/   big-endian proposal number (id "P-00000042") → proposalRecord
//	lifecycles/  loan key → lifecycleRecord (only for loans with one)
var (
	bucketProposals  = []byte("proposals")
	bucketLifecycles = []byte("lifecycles")
)

const proposalPrefix = "P-"

// actorRecord is a tfpricing.Actor as stored.
type actorRecord struct {
	KeyID     string `json:"key_id"`
	Role      string `json:"role"`
	RequestID string `json:"request_id,omitempty"`
}

func newActorRecord(a tfpricing.Actor) actorRecord {
	return actorRecord{KeyID: a.KeyID, Role: string(a.Role), RequestID: a.RequestID}
}

func (r actorRecord) actor() tfpricing.Actor {
	return tfpricing.Actor{KeyID: r.KeyID, Role: tfpricing.Role(r.Role), RequestID: r.RequestID}
}

// proposalRecord is loanbook.Proposal, version 1.
type proposalRecord struct {
	V           int             `json:"v"`
	ID          string          `json:"id"`
	Kind        string          `json:"kind"`
	LoanID      string          `json:"loan_id,omitempty"`
	Status      string          `json:"status"`
	ProposedBy  actorRecord     `json:"proposed_by"`
	ProposedOn  string          `json:"proposed_on"`
	ExpiresOn   string          `json:"expires_on"`
	Request     json.RawMessage `json:"request"`
	DecidedBy   *actorRecord    `json:"decided_by,omitempty"`
	DecidedOn   string          `json:"decided_on,omitempty"`
	Reason      string          `json:"reason,omitempty"`
	ProposalSeq uint64          `json:"proposal_seq"`
	DecisionSeq uint64          `json:"decision_seq,omitempty"`
	EffectSeq   uint64          `json:"effect_seq,omitempty"`
}

func newProposalRecord(p loanbook.Proposal) proposalRecord {
	rec := proposalRecord{V: 1, ID: p.ID, Kind: string(p.Kind), LoanID: p.LoanID, Status: string(p.Status),
		ProposedBy: newActorRecord(p.ProposedBy), ProposedOn: p.ProposedOn.String(), ExpiresOn: p.ExpiresOn.String(),
		Request: p.Request, Reason: p.Reason, ProposalSeq: p.ProposalSeq, DecisionSeq: p.DecisionSeq, EffectSeq: p.EffectSeq}
	if p.DecidedBy != nil {
		a := newActorRecord(*p.DecidedBy)
		rec.DecidedBy = &a
	}
	if !p.DecidedOn.IsZero() {
		rec.DecidedOn = p.DecidedOn.String()
	}
	return rec
}

// readProposal decodes a stored proposal.
func readProposal(raw []byte) (loanbook.Proposal, error) {
	var rec proposalRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return loanbook.Proposal{}, err
	}
	return rec.proposal()
}

func (rec proposalRecord) proposal() (loanbook.Proposal, error) {
	if rec.V != 1 {
		return loanbook.Proposal{}, fmt.Errorf("boltstore: proposal %s has unknown version %d", rec.ID, rec.V)
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

// NextProposalID implements loanbook.ProposalTx.
func (t *txn) NextProposalID() (string, error) {
	n, err := t.tx.Bucket(bucketProposals).NextSequence()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%08d", proposalPrefix, n), nil
}

// PutProposal implements loanbook.ProposalTx.
func (t *txn) PutProposal(p loanbook.Proposal) error {
	key, ok := idKey(proposalPrefix, p.ID)
	if !ok {
		return notFound("proposal " + p.ID)
	}
	return put(t.tx.Bucket(bucketProposals), key, newProposalRecord(p))
}

// Proposal implements loanbook.ProposalTx.
func (t *txn) Proposal(id string) (loanbook.Proposal, error) {
	key, ok := idKey(proposalPrefix, id)
	if !ok {
		return loanbook.Proposal{}, notFound("proposal " + id)
	}
	return get(t.tx.Bucket(bucketProposals), key, "proposal "+id, readProposal)
}

// Proposals implements loanbook.ProposalTx. Proposals are few (each is a
// person's decision), so a filter scans the bucket.
func (t *txn) Proposals(f loanbook.ProposalFilter, after string, limit int) ([]loanbook.Proposal, bool, error) {
	b := t.tx.Bucket(bucketProposals)
	if b == nil {
		return nil, false, nil
	}
	c := b.Cursor()
	var k, v []byte
	if after == "" {
		k, v = c.First()
	} else {
		key, ok := idKey(proposalPrefix, after)
		if !ok {
			return nil, false, notFound("proposal " + after)
		}
		k, v = c.Seek(key)
		if k != nil && bytes.Equal(k, key) {
			k, v = c.Next()
		}
	}
	var out []loanbook.Proposal
	for ; k != nil; k, v = c.Next() {
		var rec proposalRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return nil, false, fmt.Errorf("boltstore: proposal %x: %w", k, err)
		}
		p, err := rec.proposal()
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

// lifecycleRecord is loanbook.LoanLifecycle, version 1. A plan version
// keeps the loan's terms with the version's KPIs and tier, in the audit
// package's terms record.
type lifecycleRecord struct {
	V                int                 `json:"v"`
	Plans            []planVersionRecord `json:"plans,omitempty"`
	Declassification *declassRecord      `json:"declassification,omitempty"`
	Opinion          *opinionRecord      `json:"second_party_opinion,omitempty"`
}

type planVersionRecord struct {
	Version       int             `json:"version"`
	EffectiveFrom string          `json:"effective_from"`
	Terms         json.RawMessage `json:"terms"`
	ReasonCode    string          `json:"reason_code"`
	Reason        string          `json:"reason"`
	ProposalID    string          `json:"proposal_id"`
	ApprovedOn    string          `json:"approved_on"`
	DecisionSeq   uint64          `json:"decision_seq"`
}

type declassRecord struct {
	EffectiveFrom string `json:"effective_from"`
	Ground        string `json:"ground"`
	Reason        string `json:"reason"`
	ProposalID    string `json:"proposal_id"`
	ApprovedOn    string `json:"approved_on"`
	DecisionSeq   uint64 `json:"decision_seq"`
}

type opinionRecord struct {
	Provider     string `json:"provider"`
	Date         string `json:"date"`
	Conclusion   string `json:"conclusion"`
	ReportSHA256 string `json:"report_sha256"`
	DecisionSeq  uint64 `json:"decision_seq"`
}

// PutLifecycle implements loanbook.ProposalTx.
func (t *txn) PutLifecycle(loanID string, lc loanbook.LoanLifecycle) error {
	key, err := t.loanKey(loanID)
	if err != nil {
		return err
	}
	l, err := t.Loan(loanID)
	if err != nil {
		return err
	}
	rec := lifecycleRecord{V: 1}
	for _, p := range lc.Plans {
		terms := l.Terms
		terms.KPIs, terms.Tier = p.KPIs, p.Tier
		raw, err := audit.EncodeTerms(terms)
		if err != nil {
			return err
		}
		rec.Plans = append(rec.Plans, planVersionRecord{Version: p.Version, EffectiveFrom: p.EffectiveFrom.String(),
			Terms: raw, ReasonCode: p.ReasonCode, Reason: p.Reason, ProposalID: p.ProposalID,
			ApprovedOn: p.ApprovedOn.String(), DecisionSeq: p.DecisionSeq})
	}
	if d := lc.Declassification; d != nil {
		rec.Declassification = &declassRecord{EffectiveFrom: d.EffectiveFrom.String(), Ground: d.Ground, Reason: d.Reason,
			ProposalID: d.ProposalID, ApprovedOn: d.ApprovedOn.String(), DecisionSeq: d.DecisionSeq}
	}
	if o := lc.Opinion; o != nil {
		rec.Opinion = &opinionRecord{Provider: o.Provider, Date: o.Date.String(), Conclusion: o.Conclusion,
			ReportSHA256: o.ReportSHA256, DecisionSeq: o.DecisionSeq}
	}
	return put(t.tx.Bucket(bucketLifecycles), key, rec)
}

// lifecycle reads the lifecycle stored under a loan key; none is the zero
// lifecycle.
func (t *txn) lifecycle(loanID string, key []byte) (loanbook.LoanLifecycle, error) {
	var lc loanbook.LoanLifecycle
	b := t.tx.Bucket(bucketLifecycles) // absent in a file opened read-only before §5.1
	if b == nil {
		return lc, nil
	}
	raw := b.Get(key)
	if raw == nil {
		return lc, nil
	}
	var rec lifecycleRecord
	if err := json.Unmarshal(raw, &rec); err != nil || rec.V != 1 {
		return lc, fmt.Errorf("boltstore: lifecycle of loan %s is malformed (%v)", loanID, err)
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

// withLifecycle sets l.Lifecycle from the lifecycles bucket.
func (t *txn) withLifecycle(l *loanbook.Loan, key []byte) error {
	var err error
	l.Lifecycle, err = t.lifecycle(l.ID, key)
	return err
}
