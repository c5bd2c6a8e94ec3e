// Package bookcopy copies a whole loan book from one store to another:
// "tfpricing migrate" (bbolt → PostgreSQL) and "tfpricing backup" over
// PostgreSQL (PostgreSQL → a new bbolt file). It is store-neutral: each
// store offers a Source (its read transaction plus the listings that
// loanbook.Tx has no need for) and a Sink (its write transaction plus the
// raw appends a copy needs), and Copy moves every record through the
// stores' own encoders, except decision records, which travel as their
// canonical bytes so that every seq and hash stays the same.
package bookcopy

import (
	"context"
	"errors"
	"fmt"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Counters are the last numbers a store handed out, so that new ids
// continue after the copied ones.
type Counters struct {
	Quote, Loan, Proposal, Attestation uint64
}

// Source is a store's read transaction over the whole book.
type Source interface {
	loanbook.Tx
	QuoteIDs() ([]string, error)
	IdempotencyKeys() ([]string, error)
	EmissionsBorrowers() ([]string, error)
	Counters() (Counters, error)
}

// Sink is a store's write transaction on an empty book.
type Sink interface {
	loanbook.Tx
	// Empty reports whether the book holds nothing (no decision, loan,
	// quote or document).
	Empty() (bool, error)
	// AppendDecisionRecord stores a sealed decision record as it is; its
	// seq must follow the sink's chain head and its prev_hash be the head's
	// hash.
	AppendDecisionRecord(raw []byte) error
	SetCounters(Counters) error
}

// ErrNotEmpty is Copy's refusal to write into a book that holds records.
var ErrNotEmpty = errors.New("the destination holds a loan book already; migrate writes only into an empty one")

// Counts are what Copy copied.
type Counts struct {
	Documents, Quotes, Loans, Attestations, Schedules, Fixings, Idempotency int
	Decisions, Proposals, Lifecycles, Emissions                             int
	Head                                                                    audit.ChainHead
}

// String names every count, for the command's output.
func (c Counts) String() string {
	return fmt.Sprintf("%d decisions, %d documents, %d quotes, %d loans, %d attestations, %d schedules, %d fixings, %d idempotency records, %d proposals, %d lifecycles, %d emissions",
		c.Decisions, c.Documents, c.Quotes, c.Loans, c.Attestations, c.Schedules, c.Fixings, c.Idempotency, c.Proposals, c.Lifecycles, c.Emissions)
}

const page = 500

// Copy copies everything src holds into dst, which must be empty.
func Copy(src Source, dst Sink) (Counts, error) {
	var c Counts
	if empty, err := dst.Empty(); err != nil {
		return c, err
	} else if !empty {
		return c, ErrNotEmpty
	}
	counters, err := src.Counters()
	if err != nil {
		return c, err
	}
	if err := dst.SetCounters(counters); err != nil {
		return c, err
	}
	steps := []func(Source, Sink, *Counts) error{copyDocuments, copyDecisions, copyQuotes, copyLoans, copyFixings,
		copyIdempotency, copyProposals, copyEmissions}
	for _, step := range steps {
		if err := step(src, dst, &c); err != nil {
			return c, err
		}
	}
	srcHead, err := src.ChainHead()
	if err != nil {
		return c, err
	}
	if c.Head, err = dst.ChainHead(); err != nil {
		return c, err
	}
	if c.Head != srcHead {
		return c, fmt.Errorf("bookcopy: the copy's chain head %d %s differs from the source's %d %s", c.Head.Seq, c.Head.Hash, srcHead.Seq, srcHead.Hash)
	}
	return c, nil
}

func copyDocuments(src Source, dst Sink, c *Counts) error {
	for _, kind := range []audit.DocKind{audit.DocCatalogue, audit.DocPolicy} {
		digests, err := src.Documents(kind)
		if err != nil {
			return err
		}
		for _, d := range digests {
			doc, err := src.Document(kind, d)
			if err != nil {
				return err
			}
			if _, err := dst.PutDocument(kind, d, doc); err != nil {
				return err
			}
			c.Documents++
		}
	}
	return nil
}

func copyDecisions(src Source, dst Sink, c *Counts) error {
	for from := uint64(1); ; {
		recs, err := src.DecisionRecords(from, page)
		if err != nil {
			return err
		}
		for _, raw := range recs {
			if err := dst.AppendDecisionRecord(raw); err != nil {
				return fmt.Errorf("bookcopy: decision %d: %w", from, err)
			}
			from++
			c.Decisions++
		}
		if len(recs) < page {
			return nil
		}
	}
}

func copyQuotes(src Source, dst Sink, c *Counts) error {
	ids, err := src.QuoteIDs()
	if err != nil {
		return err
	}
	for _, id := range ids {
		q, err := src.Quote(id)
		if err != nil {
			return err
		}
		if err := dst.PutQuote(q); err != nil {
			return err
		}
		c.Quotes++
	}
	return nil
}

// Exporter is a store that can lend a Source over one consistent snapshot.
type Exporter interface {
	ExportBook(ctx context.Context, fn func(Source) error) error
}

// Importer is a store that can lend a Sink that commits as one transaction.
type Importer interface {
	ImportBook(ctx context.Context, fn func(Sink) error) error
}

// Between copies the book of from into to (which must be empty) in one
// read transaction of from and one write transaction of to.
func Between(ctx context.Context, from Exporter, to Importer) (Counts, error) {
	var c Counts
	err := to.ImportBook(ctx, func(sink Sink) error {
		return from.ExportBook(ctx, func(src Source) (err error) {
			c, err = Copy(src, sink)
			return err
		})
	})
	return c, err
}
