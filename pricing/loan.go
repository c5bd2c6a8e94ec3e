package pricing

import (
	"encoding/json"
	"time"

	"tfpricing"
	"tfpricing/catalog"
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
	Terms       Terms
	Catalogue   catalog.Ref
	Policy      PolicyRef
	// Request is the quote request the loan was priced from, kept verbatim
	// for the record.
	Request json.RawMessage
}

// Active reports whether the loan still has periods starting on or after
// today, i.e. whether a new fixing or determination can still change it.
func (l Loan) Active(today tfpricing.Date) bool {
	return l.Terms.Facility.MaturityDate().After(today)
}

// ScheduleState is a loan's materialised schedule: the schedule as of the
// business date of its last recalculation, and the newest LPR fixing it saw,
// so that a repricing interrupted by a crash can be resumed.
type ScheduleState struct {
	LoanID       string
	Schedule     Schedule
	CalculatedOn tfpricing.Date
	LatestFixing tfpricing.Date
	// Revision counts recalculations; it makes every decision about the loan
	// refer to a distinct state.
	Revision uint64
}

// IdempotencyRecord is the stored outcome of a request made with an
// Idempotency-Key: the hash of its body and the response it got.
type IdempotencyRecord struct {
	Key         string
	Scope       string // e.g. "attestation:L-00000042"
	RequestHash string
	Status      int
	Response    json.RawMessage
	CreatedAt   time.Time
}

// LoanTx is the part of Tx that keeps the loan book.
type LoanTx interface {
	NextLoanID() (string, error)
	PutLoan(l Loan) error
	// Loan returns the loan with id, or an ENOTFOUND error.
	Loan(id string) (Loan, error)
	// Loans returns up to limit loans in id order after the id cursor ("" for
	// the first page) and whether more follow.
	Loans(after string, limit int) ([]Loan, bool, error)

	// NextAttestationID reserves an attestation id and its arrival sequence.
	NextAttestationID() (id string, seq uint64, err error)
	PutAttestation(loanID string, a Attestation) error
	// Attestations returns the loan's attestations in arrival order.
	Attestations(loanID string) ([]Attestation, error)

	PutSchedule(s ScheduleState) error
	// Schedule returns the loan's materialised schedule, or ENOTFOUND.
	Schedule(loanID string) (ScheduleState, error)

	// PutFixing stores a published LPR fixing; Fixings returns them all,
	// oldest first.
	PutFixing(f Fixing) error
	Fixings() ([]Fixing, error)

	// Idempotency returns the record stored under key, if any.
	Idempotency(key string) (IdempotencyRecord, bool, error)
	PutIdempotency(r IdempotencyRecord) error
}
