package loanbook_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"tfpricing"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
)

// A view read in a write transaction may show writes a rollback undoes, so
// only views read from committed state are cached; a cached view is used
// only while the stored stamp is the one it was read at.
func TestLoanViewCachesCommittedStateOnly(t *testing.T) {
	ctx := context.Background()
	store, err := boltstore.Open(filepath.Join(t.TempDir(), "c.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Check(); err != nil {
			t.Errorf("data file check: %v", err)
		}
		store.Close()
	})
	s, err := loanbook.New(ctx, loanbook.Config{Store: store, Today: func() tfpricing.Date { return tfpricing.NewDate(2026, 11, 27) }})
	if err != nil {
		t.Fatal(err)
	}
	var id string
	if err := store.Update(ctx, func(tx loanbook.Tx) error {
		if id, err = tx.NextLoanID(); err != nil {
			return err
		}
		if err := tx.PutLoan(loanbook.Loan{ID: id}); err != nil {
			return err
		}
		return tx.PutSchedule(loanbook.ScheduleState{LoanID: id, Revision: 1, DecisionSeq: 1})
	}); err != nil {
		t.Fatal(err)
	}
	rolledBack := loanbook.ScheduleState{LoanID: id, Revision: 2, DecisionSeq: 2}
	boom := errors.New("refused")
	err = store.Update(ctx, func(tx loanbook.Tx) error {
		if err := tx.PutSchedule(rolledBack); err != nil {
			return err
		}
		rev, err := s.ViewRevision(tx, id, false)
		if err != nil {
			return err
		}
		if rev != 2 {
			t.Errorf("the write transaction's view shows revision %d, want its own write", rev)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update: %v", err)
	}
	if s.Cached(id, rolledBack.Stamp()) {
		t.Fatal("a rolled-back state is cached")
	}
	if err := store.View(ctx, func(tx loanbook.Tx) error { _, err := s.ViewRevision(tx, id, true); return err }); err != nil {
		t.Fatal(err)
	}
	committed := loanbook.ScheduleStamp{Revision: 1, DecisionSeq: 1}
	if !s.Cached(id, committed) {
		t.Fatal("the committed state read in a read transaction is not cached")
	}
	if s.Cached(id, loanbook.ScheduleStamp{Revision: 1, DecisionSeq: 3}) {
		t.Fatal("a view is served for another stamp")
	}
}
