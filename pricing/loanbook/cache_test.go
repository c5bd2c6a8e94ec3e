package loanbook

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/boltstore"
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
	t.Cleanup(func() { store.Close() })
	s, err := New(ctx, Config{Store: store, Today: func() tfpricing.Date { return tfpricing.NewDate(2026, 11, 27) }})
	if err != nil {
		t.Fatal(err)
	}
	var id string
	if err := store.Update(ctx, func(tx pricing.Tx) error {
		if id, err = tx.NextLoanID(); err != nil {
			return err
		}
		if err := tx.PutLoan(pricing.Loan{ID: id}); err != nil {
			return err
		}
		return tx.PutSchedule(pricing.ScheduleState{LoanID: id, Revision: 1, DecisionSeq: 1})
	}); err != nil {
		t.Fatal(err)
	}
	rolledBack := pricing.ScheduleState{LoanID: id, Revision: 2, DecisionSeq: 2}
	boom := errors.New("refused")
	err = store.Update(ctx, func(tx pricing.Tx) error {
		if err := tx.PutSchedule(rolledBack); err != nil {
			return err
		}
		v, err := s.loanView(tx, id, false)
		if err != nil {
			return err
		}
		if v.state.Revision != 2 {
			t.Errorf("the write transaction's view shows revision %d, want its own write", v.state.Revision)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update: %v", err)
	}
	if _, ok := s.views.get(id, rolledBack.Stamp()); ok {
		t.Fatal("a rolled-back state is cached")
	}
	if err := store.View(ctx, func(tx pricing.Tx) error { _, err := s.loanView(tx, id, true); return err }); err != nil {
		t.Fatal(err)
	}
	committed := pricing.ScheduleStamp{Revision: 1, DecisionSeq: 1}
	if _, ok := s.views.get(id, committed); !ok {
		t.Fatal("the committed state read in a read transaction is not cached")
	}
	if _, ok := s.views.get(id, pricing.ScheduleStamp{Revision: 1, DecisionSeq: 3}); ok {
		t.Fatal("a view is served for another stamp")
	}
}
