package loanbook

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// Loan is a booked loan. Booking freezes the terms (with the eligibility
// tier), the catalogue and policy versions and the pricing date; nothing of
// it changes afterwards. Its schedule changes only through events:
// attestations, LPR fixings and due dates passing.
type Loan struct {
	ID          string // "L-00000042"
	ExternalRef string // the bank's own reference
	QuoteID     string // empty when booked from full terms (migration)
	BookedAt    time.Time
	BookedOn    tfpricing.Date // business date of booking
	AsOf        tfpricing.Date // the date the terms were priced as of
	Borrower    catalog.Borrower
	PathwayID   string
	Terms       pricing.Terms
	Catalogue   catalog.Ref
	Policy      pricing.PolicyRef
	// Request is the quote request the loan was priced from, kept for the
	// record in the stored form of audit.QuoteRequest.
	Request json.RawMessage
	// Lifecycle is what was approved after booking (DESIGN.md §5.1); the
	// store keeps it apart from the frozen loan (ProposalTx.PutLifecycle).
	Lifecycle LoanLifecycle `json:"-"`
}

// Active reports whether the loan still has periods starting on or after
// today, i.e. whether a new fixing or determination can still change it.
func (l Loan) Active(today tfpricing.Date) bool {
	return l.Terms.Facility.MaturityDate().After(today)
}

// ScheduleState is the state of a loan's materialised schedule. The
// schedule itself, in full, is the output of the decision DecisionSeq —
// written in the same transaction — so it is stored once, hashed into the
// chain, and not re-encoded beside it. The state keeps what recalculation
// compares and the decision inputs need: each period's rate, the total
// interest and every SPT's determination.
type ScheduleState struct {
	LoanID        string
	CalculatedOn  tfpricing.Date
	LatestFixing  tfpricing.Date // newest fixing in force when calculated
	Revision      uint64         // counts recalculations
	DecisionSeq   uint64         // the decision that holds the schedule
	Rates         []audit.PeriodRate
	TotalInterest decimal.Decimal
	SPTs          []SPTMark
	// AttChain references the loan's attestations stored with this state
	// (their count, last sequence and chain), which the next decision's
	// inputs reference instead of copying them (loan inputs layout 2). The
	// zero value (a state written before layout 2) references nothing:
	// the chain is then computed from the attestations.
	AttChain audit.AttestationChain
}

// ScheduleStamp identifies a version of a loan's schedule state: every
// write of the state moves at least one of its fields. A recalculation
// planned outside the write transaction holds only while the stamp does.
type ScheduleStamp struct {
	Revision     uint64
	DecisionSeq  uint64
	LatestFixing tfpricing.Date
}

// Stamp returns the state's stamp.
func (st ScheduleState) Stamp() ScheduleStamp {
	return ScheduleStamp{Revision: st.Revision, DecisionSeq: st.DecisionSeq, LatestFixing: st.LatestFixing}
}

// SPTMark is an SPT's determination as a schedule state records it.
type SPTMark struct {
	MetricID     string
	Year         int
	Outcome      pricing.Outcome
	DeterminedOn tfpricing.Date
}

// NewScheduleState summarises schedule s, recorded by decision seq.
func NewScheduleState(loanID string, s pricing.Schedule, latestFixing tfpricing.Date, revision, seq uint64) ScheduleState {
	st := ScheduleState{LoanID: loanID, CalculatedOn: s.AsOf, LatestFixing: latestFixing, Revision: revision,
		DecisionSeq: seq, Rates: audit.PeriodRates(s), TotalInterest: s.TotalInterest, SPTs: make([]SPTMark, len(s.SPTs))}
	for i, p := range s.SPTs {
		st.SPTs[i] = SPTMark{MetricID: p.MetricID, Year: p.Year, Outcome: p.Outcome, DeterminedOn: p.DeterminedOn}
	}
	return st
}

// Same reports whether s charges what the state records: the same rate in
// every period (interest follows from it, the terms being frozen), the same
// total and the same SPT determinations.
func (st ScheduleState) Same(s pricing.Schedule) bool {
	if len(st.Rates) != len(s.Lines) || len(st.SPTs) != len(s.SPTs) || !st.TotalInterest.Equal(s.TotalInterest) {
		return false
	}
	for i, l := range s.Lines {
		if st.Rates[i].Period != l.Period || !st.Rates[i].Rate.Equal(l.Rate) {
			return false
		}
	}
	for i, p := range s.SPTs {
		m := st.SPTs[i]
		if m.MetricID != p.MetricID || m.Year != p.Year || m.Outcome != p.Outcome || m.DeterminedOn != p.DeterminedOn {
			return false
		}
	}
	return true
}

// IdempotencyRecord is the stored outcome of an attestation request made
// with an Idempotency-Key: the hash of its body and what it did, by
// reference to the stored attestation and decision, so that a retry is
// answered from the record exactly as the request was.
type IdempotencyRecord struct {
	Key         string
	Scope       string // e.g. "attestation:L-00000042"
	RequestHash string
	CreatedAt   time.Time
	Result      AttestationRef
	// Verbatim is the response body a record of the first format holds (it
	// stored the rendered response, always of status 201); nil for later
	// records, which hold Result.
	Verbatim json.RawMessage
}

// AttestationRef is an accepted attestation's result as stored: the
// attestation, the decision whose outputs are the schedule and rate
// changes it caused, and its statuses when it was accepted.
type AttestationRef struct {
	LoanID         string
	AttestationSeq uint64
	DecisionSeq    uint64
	Timeliness     pricing.Timeliness // the attestation's status
	Outcome        pricing.Outcome    // the attestation's own outcome
	SPTOutcome     pricing.Outcome    // its year's SPT as of accepted_on
}

// LoanTx is the part of Tx that keeps the loan book. Errors: ENOTFOUND as
// stated; ECONFLICT for a write that would overwrite what may not change;
// any other error is the store's own failure (EINTERNAL to clients).
type LoanTx interface {
	// NextLoanID reserves the id of a new loan ("L-" and eight digits).
	NextLoanID() (string, error)
	// PutLoan stores l under l.ID (created by NextLoanID), replacing it.
	PutLoan(l Loan) error
	// Loan returns the loan with id, or ENOTFOUND.
	Loan(id string) (Loan, error)
	// Loans returns up to limit loans in id order after the id cursor ("" for
	// the first page) and whether more follow; an unknown cursor is
	// ENOTFOUND.
	Loans(after string, limit int) ([]Loan, bool, error)

	// AttestationSequence returns the highest arrival sequence stored.
	AttestationSequence() (uint64, error)
	// PutAttestation stores a, whose arrival sequence a.Seq the service
	// handed out (it computes an attestation before its write transaction):
	// AttestationSequence is at least a.Seq afterwards. ENOTFOUND for a
	// malformed loan id; ECONFLICT when the loan already has an attestation
	// with that sequence.
	PutAttestation(loanID string, a pricing.Attestation) error
	// Attestations returns the loan's attestations in arrival order (none
	// for an unknown loan).
	Attestations(loanID string) ([]pricing.Attestation, error)
	// LoanSince returns, read together (one snapshot), what changed of
	// loan id for a reader that holds it as it stood with its attestations
	// up to arrival sequence afterSeq: its lifecycle (what Loan returns in
	// Loan.Lifecycle), its schedule state, and its attestations with a
	// sequence after afterSeq, in arrival order (none when there are
	// none). The loan record itself is never rewritten after booking, so
	// it is not returned. ENOTFOUND for an unknown or malformed loan id,
	// or a loan with no schedule state; any other error is the store's
	// own failure.
	LoanSince(id string, afterSeq uint64) (LoanChanges, error)

	// PutSchedule stores the state of loan s.LoanID's schedule, replacing it.
	PutSchedule(s ScheduleState) error
	// Schedule returns the loan's schedule state, or ENOTFOUND.
	Schedule(loanID string) (ScheduleState, error)
	// ScheduleStamp returns the version of the loan's schedule state (what
	// a recalculation planned outside the write transaction checks), or
	// ENOTFOUND; it is Schedule(loanID).Stamp(), which a store may answer
	// without reading the rest.
	ScheduleStamp(loanID string) (ScheduleStamp, error)

	// PutFixing stores a published LPR fixing, replacing one of the same
	// effective date; Fixings returns them all, oldest first.
	PutFixing(f pricing.Fixing) error
	Fixings() ([]pricing.Fixing, error)

	// Idempotency returns the record stored under key, if any.
	Idempotency(key string) (IdempotencyRecord, bool, error)
	// PutIdempotency stores r under r.Key, replacing it.
	PutIdempotency(r IdempotencyRecord) error
}

// LoanChanges is what LoanSince returns.
type LoanChanges struct {
	Lifecycle    LoanLifecycle
	State        ScheduleState
	Attestations []pricing.Attestation
}
