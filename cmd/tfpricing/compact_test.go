package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/configs"
	"tfpricing/pricing"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
)

// smallBook writes a data file of a few loans with attestations (a decision
// chain of 24 records, each its own fsync'd commit, so the file has free
// pages) and returns its path and the chain's head.
func smallBook(t *testing.T) (string, string) {
	t.Helper()
	cfg, err := configs.Load(func(string) string { return "" }, configs.Flags{})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := cfg.LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "book.db")
	store, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	today := tfpricing.NewDate(2026, 11, 27)
	svc, err := loanbook.New(context.Background(), loanbook.Config{Store: store, Catalogues: ref.Catalogues,
		Policies: ref.Policies, Shipped: ref.Fixings, Today: func() tfpricing.Date { return today }})
	if err != nil {
		t.Fatal(err)
	}
	pol, _ := ref.Policies.InForce(today)
	cat, _ := ref.Catalogues.InForce(today)
	d := decimal.RequireFromString
	var ids []string
	err = store.Update(context.Background(), func(tx loanbook.Tx) error {
		for i := range 4 {
			id, err := tx.NextLoanID()
			if err != nil {
				return err
			}
			terms := pricing.Terms{Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70,
				KPIs: []pricing.KPI{{KPI: catalog.KPI{MetricID: "pet_fdy_energy", Direction: catalog.LowerIsBetter,
					Baseline: catalog.Observation{Year: 2025, Value: d("88")},
					Targets:  []catalog.Observation{{Year: 2026, Value: d("82")}, {Year: 2027, Value: d("78")}}}}},
				Facility: pricing.Facility{Amount: decimal.New(int64(10_000_000+i), 0), Currency: "CNY",
					StartDate: tfpricing.NewDate(2026, 12, 1), TenorMonths: 36, Repayment: pricing.EqualPrincipal, PaymentFrequency: 3}}
			s, err := pricing.Compute(pricing.Input{Terms: terms, Policy: pol, Curve: ref.Fixings, AsOf: today})
			if err != nil {
				return err
			}
			if err := tx.PutLoan(loanbook.Loan{ID: id, BookedOn: today, AsOf: today, Terms: terms, Catalogue: cat.Ref(), Policy: pol.Ref()}); err != nil {
				return err
			}
			if err := tx.PutSchedule(loanbook.NewScheduleState(id, s, tfpricing.Date{}, 1, 0)); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	today = tfpricing.NewDate(2027, 3, 10)
	for i := range 24 {
		a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(int64(79 + i%5)),
			VerifierName: "v", EvidenceSHA256: "00"}
		if _, err := svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: ids[i%len(ids)], Attestation: a, IdempotencyKey: fmt.Sprint(i), RequestBody: []byte(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	head, err := svc.ChainHead(context.Background())
	if err != nil || head.Seq != 24 {
		t.Fatalf("head %+v %v", head, err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	return path, fmt.Sprintf("head 24 %s: OK", head.Hash)
}

// compact writes a new file whose pages check clean and whose chain verifies
// to the source's head; the source is left byte for byte as it was.
func TestCompact(t *testing.T) {
	src, wantHead := smallBook(t)
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "compact.db")
	var out strings.Builder
	if err := run(context.Background(), []string{"compact", "--from", src, "--to", dst}, func(string) string { return "" }, &out); err != nil {
		t.Fatalf("compact: %v", err)
	}
	if !strings.Contains(out.String(), "verified 24 decisions, "+wantHead) || !strings.Contains(out.String(), fmt.Sprintf("(%d bytes)", len(orig))) {
		t.Errorf("output:\n%s", out.String())
	}
	if now, _ := os.ReadFile(src); string(now) != string(orig) {
		t.Error("the source file changed")
	}
	s, err := boltstore.Open(dst, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the compacted file does not open: %v", err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Errorf("tx.Check: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Errorf("files left beside the result: %v", entries)
	}
	// The same audit verify path accepts the result.
	out.Reset()
	if err := run(context.Background(), []string{"audit", "verify", "--db", dst}, func(string) string { return "" }, &out); err != nil ||
		!strings.Contains(out.String(), wantHead) {
		t.Errorf("audit verify of the result: %v\n%s", err, out.String())
	}
}

// An existing destination is never overwritten; a file a service holds is
// refused once the lock wait times out.
func TestCompactRefuses(t *testing.T) {
	src, _ := smallBook(t)
	dst := filepath.Join(t.TempDir(), "exists.db")
	if err := os.WriteFile(dst, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"compact", "--from", src, "--to", dst}, func(string) string { return "" }, &strings.Builder{})
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), "not overwriting") {
		t.Errorf("existing destination: %v", err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "keep me" {
		t.Error("the existing destination was changed")
	}

	held, err := boltstore.Open(src, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	fresh := filepath.Join(t.TempDir(), "new.db")
	err = run(context.Background(), []string{"compact", "--from", src, "--to", fresh}, func(string) string { return "" }, &strings.Builder{})
	if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), "locked") {
		t.Errorf("file in use: %v", err)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was written for a refused compaction: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(fresh)); len(entries) != 0 {
		t.Errorf("files left: %v", entries)
	}
}
