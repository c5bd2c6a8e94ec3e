package pgstore

import (
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// Tables of DESIGN.md §5.1 (migrations/00002_proposals.sql): proposals
// (proposal number → storedfmt.Proposal) and lifecycles (loan number →
// lifecycleRecord, only for loans with one). The records are the same
// private, versioned formats boltstore keeps.

const proposalPrefix = "P-"

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
	b, err := marshal(storedfmt.NewProposal(p))
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
	return storedfmt.ReadProposal(raw)
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
	return storedfmt.MatchProposals(slices.Values(raws), f, limit)
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
	rec, err := storedfmt.NewLifecycle(l.Terms, lc)
	if err != nil {
		return err
	}
	b, err := marshal(rec)
	if err != nil {
		return err
	}
	return t.later(nil, "INSERT INTO lifecycles (loan_num, record) VALUES ($1, $2) ON CONFLICT (loan_num) DO UPDATE SET record = $2", n, b)
}
