package loanbook

import (
	"context"
	"encoding/json"
	"time"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// Store is the persistence the pricing service needs, declared here by its
// consumer. pricing/boltstore implements it over bbolt; a PostgreSQL store
// can implement the same contract.
//
// Every state change and the decision record that explains it are written in
// one Update, so a crash leaves either both or neither. The contract is
// tested once for every implementation by pricing/loanbook/storetest.
type Store interface {
	// View runs fn in a read-only transaction and returns fn's error, or
	// the store's own (ctx's error when ctx ends first).
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction that commits durably when
	// fn returns nil and rolls back otherwise; it returns fn's error, or
	// the store's own (EUNAVAILABLE when the store cannot take writes).
	// A store that batches transactions may run fn again, on a fresh
	// transaction, when another member of its batch fails: fn must derive
	// all it writes and returns from what it reads in tx, and keep no
	// effect of an earlier run (the loan book's functions assign their
	// results afresh on every run).
	Update(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction on the Store. Values returned are copies that stay
// valid after the transaction ends.
type Tx interface {
	// PutDocument stores a canonical document under its digest; storing the
	// same digest again is a no-op, so loads at every start-up are cheap.
	PutDocument(kind audit.DocKind, digest string, canonical []byte) (created bool, err error)
	// Document returns the canonical document stored under digest, or an
	// ENOTFOUND error.
	Document(kind audit.DocKind, digest string) ([]byte, error)
	// Documents lists the digests stored for kind, in byte order.
	Documents(kind audit.DocKind) ([]string, error)

	QuoteTx
	LoanTx
	DecisionTx
	ProposalTx
}

// StoredQuote is a quote kept for booking within its validity. Request is
// the quote request as received, with as_of filled in, in the stored form
// of audit.QuoteRequest, so that booking converts exactly the same input
// again; Catalogue and Policy pin the versions it was priced under.
type StoredQuote struct {
	ID          string
	CreatedAt   time.Time
	AsOf        tfpricing.Date
	ValidUntil  tfpricing.Date
	Request     json.RawMessage
	Catalogue   catalog.Ref
	Policy      pricing.PolicyRef
	DecisionSeq uint64
	// LoanID is set when the quote has been booked; a quote books once.
	LoanID string
}

// QuoteTx is the part of Tx that keeps quotes.
type QuoteTx interface {
	// NextQuoteID reserves the id of a new quote ("Q-" and eight digits).
	NextQuoteID() (string, error)
	// PutQuote stores a quote under its id, replacing it (booking sets
	// LoanID); ENOTFOUND for an id NextQuoteID could not have made.
	PutQuote(q StoredQuote) error
	// Quote returns the quote with id, or ENOTFOUND.
	Quote(id string) (StoredQuote, error)
}
