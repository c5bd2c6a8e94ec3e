package loanbook

import (
	"tfpricing"
	"tfpricing/pricing/audit"
)

// DecisionFilter selects decisions for listing; zero fields match all.
type DecisionFilter struct {
	LoanID string
	Kind   audit.DecisionKind
	From   tfpricing.Date // business date, inclusive
	To     tfpricing.Date // business date, inclusive
}

// Match reports whether d passes the filter.
func (f DecisionFilter) Match(d audit.Decision) bool {
	switch {
	case f.LoanID != "" && d.LoanID != f.LoanID:
		return false
	case f.Kind != "" && d.Kind != f.Kind:
		return false
	case !f.From.IsZero() && d.BusinessDate.Before(f.From):
		return false
	case !f.To.IsZero() && d.BusinessDate.After(f.To):
		return false
	}
	return true
}

// DecisionTx is the part of Tx that keeps the hash-chained decision log.
type DecisionTx interface {
	// AppendDecision assigns d the next sequence number, seals it onto the
	// chain head and stores it, indexed by loan. It is written in the same
	// transaction as the state change it records.
	AppendDecision(d *audit.Decision) error
	// Decision returns the record with seq, or ENOTFOUND.
	Decision(seq uint64) (audit.Decision, error)
	// Decisions returns up to limit records after seq that match f, in
	// sequence order, and whether more may follow. A loan filter reads the
	// loan's index, not the whole log.
	Decisions(f DecisionFilter, after uint64, limit int) ([]audit.Decision, bool, error)
	// DecisionRecords returns up to limit stored records (canonical bytes)
	// from seq on, for verification and export.
	DecisionRecords(from uint64, limit int) ([][]byte, error)
	// ChainHead returns the sequence and hash of the last record.
	ChainHead() (audit.ChainHead, error)
}
