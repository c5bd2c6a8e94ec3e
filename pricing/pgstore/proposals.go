package pgstore

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Tables of DESIGN.md §5.1 (migrations/00002_proposals.sql): proposals
// (proposal number → proposalRecord) and lifecycles (loan number →
// lifecycleRecord, only for loans with one). The records are the same
// private, versioned formats boltstore keeps.

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
		return loanbook.Proposal{}, fmt.Errorf("pgstore: proposal %s has unknown version %d", rec.ID, rec.V)
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
	n, err := t.next("proposal")
	return fmt.Sprintf("%s%08d", proposalPrefix, n), err
}

// PutProposal implements loanbook.ProposalTx.
func (t *txn) PutProposal(p loanbook.Proposal) error {
	n, ok := idNum(proposalPrefix, p.ID)
	if !ok {
		return notFound("proposal " + p.ID)
	}
	b, err := marshal(newProposalRecord(p))
	if err != nil {
		return err
	}
	return t.later(nil, "INSERT INTO proposals (num, record) VALUES ($1, $2) ON CONFLICT (num) DO UPDATE SET record = $2", n, b)
}

// Proposal implements loanbook.ProposalTx.
func (t *txn) Proposal(id string) (loanbook.Proposal, error) {
	n, ok := idNum(proposalPrefix, id)
	if !ok {
		return loanbook.Proposal{}, notFound("proposal " + id)
	}
	var raw []byte
	err := t.tx.QueryRow(t.ctx, "SELECT record FROM proposals WHERE num = $1", n).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return loanbook.Proposal{}, notFound("proposal " + id)
	} else if err != nil {
		return loanbook.Proposal{}, err
	}
	return readProposal(raw)
}

// Proposals implements loanbook.ProposalTx. Proposals are few (each is a
// person's decision), so a filter reads them all after the cursor.
func (t *txn) Proposals(f loanbook.ProposalFilter, after string, limit int) ([]loanbook.Proposal, bool, error) {
	var from int64
	if after != "" {
		n, ok := idNum(proposalPrefix, after)
		if !ok {
			return nil, false, notFound("proposal " + after)
		}
		from = n
	}
	rows, err := t.tx.Query(t.ctx, "SELECT record FROM proposals WHERE num > $1 ORDER BY num", from)
	if err != nil {
		return nil, false, err
	}
	raws, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, false, err
	}
	var out []loanbook.Proposal
	for _, raw := range raws {
		p, err := readProposal(raw)
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
	n, err := t.loanNum(loanID)
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
	b, err := marshal(rec)
	if err != nil {
		return err
	}
	return t.later(nil, "INSERT INTO lifecycles (loan_num, record) VALUES ($1, $2) ON CONFLICT (loan_num) DO UPDATE SET record = $2", n, b)
}

// lifecycle decodes a loan's stored lifecycle; none (nil) is the zero
// lifecycle.
func lifecycleOf(loanID string, raw []byte) (loanbook.LoanLifecycle, error) {
	var lc loanbook.LoanLifecycle
	if raw == nil {
		return lc, nil
	}
	var rec lifecycleRecord
	if err := json.Unmarshal(raw, &rec); err != nil || rec.V != 1 {
		return lc, fmt.Errorf("pgstore: lifecycle of loan %s is malformed (%v)", loanID, err)
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

// withLifecycle sets l.Lifecycle from the lifecycles table.
func (t *txn) withLifecycle(l *loanbook.Loan) error {
	n, err := t.loanNum(l.ID)
	if err != nil {
		return err
	}
	var raw []byte
	err = t.tx.QueryRow(t.ctx, "SELECT record FROM lifecycles WHERE loan_num = $1", n).Scan(&raw)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	l.Lifecycle, err = lifecycleOf(l.ID, raw)
	return err
}
