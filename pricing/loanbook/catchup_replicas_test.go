package loanbook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
	"tfpricing/pricing/storedfmt"
)

// Two replicas (Services with caches of their own) over one store take
// turns at random on four loans: attestations — on time, back-dated,
// corrections, refused ones —, schedule reads, LPR repricings, a plan
// amendment and a declassification proposed on one replica and approved
// on the other. A replica finds the other's newer state by catching its
// view up (catchup.go); whatever it then holds must be, byte for byte,
// what a cold cache reads in the same transaction (loan, lifecycle,
// state, attestations, chain), every schedule it returns what a
// computation from scratch gives, and every decision must replay. Over
// PostgreSQL, two pools on one database: the replicas draw arrival
// numbers from its sequence (two Services over one bbolt file would each
// hand out their own, which that store does not support), and an
// attestation's loan is read before BEGIN (pgstore's loanSinceEarlySQL).
func TestCatchUpMatchesFullRead(t *testing.T) {
	for _, forge := range []bool{false, true} {
		t.Run(map[bool]string{false: "honest", true: "forged"}[forge], func(t *testing.T) {
			url := pgtest.Database(t)
			n := &sinceCounts{forge: forge}
			open := func() fixtureStore {
				s, err := pgstore.Open(context.Background(), url, pgstore.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = s.Close() })
				return pgFixtureStore{s}
			}
			plain := open() // for the audit (replay, verify): the store's own
			a := newFixtureOn(t, "2026-11-27", &countingStore{open(), n})
			b := newFixtureOn(t, "2026-11-27", &countingStore{open(), n})
			catchUpRandomly(t, a, b, plain, n, 100)
		})
	}
}

func catchUpRandomly(t *testing.T, a, b *fixture, plain fixtureStore, n *sinceCounts, ops int) {
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	reps := []*fixture{a, b}
	setToday := func(d tfpricing.Date) { a.today, b.today = d, d }
	eligible := []loanbook.Loan{a.bookEligible(t), a.bookEligible(t)}
	loans := append(a.bookMany(t, 2), eligible[0].ID, eligible[1].ID)
	setToday(tfpricing.NewDate(2027, 3, 10))
	amended, declassified := false, false
	rate := decimal.RequireFromString("2.90")
	for i := range ops {
		r, other := reps[i%2], reps[1-i%2]
		if rng.IntN(3) == 0 {
			r, other = other, r
		}
		id := loans[rng.IntN(len(loans))]
		if rng.IntN(2) == 0 {
			sameAsFullRead(t, r, id)
		}
		switch k := rng.IntN(20); {
		case k < 12:
			metric, value := "pet_fdy_energy", fmt.Sprint(60+rng.IntN(35))
			if rng.IntN(2) == 0 {
				metric, value = "carbon_intensity", fmt.Sprintf("1.%d", rng.IntN(10))
			}
			var on tfpricing.Date // today
			if rng.IntN(3) > 0 {  // back-dated: a correction, or refused
				on = r.today.AddDays(-rng.IntN(40))
				if on.Before(tfpricing.NewDate(2027, 1, 1)) {
					on = tfpricing.NewDate(2027, 1, 1)
				}
			}
			loan, before := r.history(t, id)
			key := fmt.Sprint("k-", i)
			out, err := r.svc.Attest(ctx, tfpricing.Actor{}, loanbook.AttestationRequest{LoanID: id, IdempotencyKey: key, RequestBody: []byte(key),
				Attestation: pricing.Attestation{MetricID: metric, Year: 2026, Value: decimal.RequireFromString(value),
					AcceptedOn: on, VerifierName: "v", EvidenceSHA256: "00"}})
			if code := tfpricing.ErrorCode(err); err != nil && code != tfpricing.EUNPROCESSABLE {
				t.Fatalf("op %d: attestation: %v", i, err)
			} else if err == nil {
				fromScratch(t, r, id, out.Result.Schedule, fmt.Sprint("op ", i, ": attestation"))
				if loan.Lifecycle.Pricing().Empty() { // its status and SPT, as a preview from scratch gives them
					a := out.Result.Attestation
					st, spt, err := pricing.PreviewAttestation(loan.Terms, r.policyOf(t, loan), before, a)
					if err != nil || fmt.Sprintf("%+v %+v", out.Result.Status, out.Result.SPT) != fmt.Sprintf("%+v %+v", st, spt) {
						t.Fatalf("op %d: %+v %+v, from scratch %+v %+v (%v)", i, out.Result.Status, out.Result.SPT, st, spt, err)
					}
				}
			}
		case k < 15:
			_, s, err := r.svc.ScheduleAsOf(ctx, id, r.today)
			if err != nil {
				t.Fatal(err)
			}
			fromScratch(t, r, id, s, fmt.Sprint("op ", i, ": schedule"))
		case k < 17:
			setToday(r.today.AddDays(1))
			rate = rate.Sub(decimal.RequireFromString("0.05"))
			fx := pricing.Fixing{EffectiveDate: r.today.AddDays(-1), OneYear: rate, FiveYear: rate.Add(decimal.NewFromInt(1))}
			if _, err := r.svc.PublishFixing(ctx, tfpricing.Actor{KeyID: "admin", Role: tfpricing.RoleAdmin}, fx); err != nil {
				t.Fatal(err)
			}
		case k < 19 && !amended:
			amended = true
			p, err := r.svc.ProposeAmendment(ctx, officer, amendment(eligible[0], r.today.String()))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := other.svc.Decide(ctx, approver, p.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		case !declassified:
			declassified = true
			p, err := r.svc.ProposeDeclassification(ctx, officer, loanbook.DeclassificationRequest{LoanID: eligible[1].ID,
				EffectiveFrom: tfpricing.MustParseDate("2027-12-01"), Ground: "misreporting", Reason: "figures misstated"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := other.svc.Decide(ctx, approver, p.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range loans {
		sameAsFullRead(t, a, id)
		sameAsFullRead(t, b, id)
	}
	audited := newFixtureOn(t, "2026-11-27", plain)
	audited.today = a.today
	for seq, res := range audited.replayAll(t) {
		if !res.Match {
			t.Errorf("decision %d does not replay: %+v", seq, res.Differences)
		}
	}
	for _, id := range loans {
		if audited.decisionSeq(t, id) != 0 { // else as bookMany booked it, with no decision
			audited.storedIsRecomputed(t, id)
		}
	}
	audited.verify(t)
	t.Logf("caught up %d times, %d of them with attestations (%d read); fell back %d times",
		n.since.Load(), n.withTail.Load(), n.tail.Load(), n.fallbacks.Load())
	want := int64(0) // an honest store: never
	if n.forge {
		want = n.withTail.Load() // every attestation forged: whenever there was one
	}
	if n.withTail.Load() == 0 || n.fallbacks.Load() != want {
		t.Errorf("%d catch-ups with attestations, %d fall-backs: want some, and %d", n.withTail.Load(), n.fallbacks.Load(), want)
	}
}

// sameAsFullRead requires replica r's view of loan id to be, in one
// transaction, what a read of everything gives.
func sameAsFullRead(t *testing.T, r *fixture, id string) {
	t.Helper()
	err := r.store.View(context.Background(), func(tx loanbook.Tx) error {
		l1, s1, a1, c1, err := r.svc.ViewParts(tx, id, false)
		if err != nil {
			return err
		}
		if ct, ok := tx.(*countingTx); ok {
			ct.since = "" // the full read below is no fall-back
		}
		l2, s2, a2, c2, err := r.svc.ViewParts(tx, id, true)
		if err != nil {
			return err
		}
		enc := func(l loanbook.Loan, s loanbook.ScheduleState, atts []pricing.Attestation) []byte {
			var out bytes.Buffer
			lb, err1 := storedfmt.EncodeLoan(l)
			lc, err2 := storedfmt.NewLifecycle(l.Terms, l.Lifecycle)
			lcb, err3 := json.Marshal(lc)
			sb, err4 := storedfmt.EncodeSchedule(s)
			for _, err := range []error{err1, err2, err3, err4} {
				if err != nil {
					t.Fatal(err)
				}
			}
			out.Write(lb)
			out.Write(lcb)
			out.Write(sb)
			for _, a := range atts {
				ab, err := audit.EncodeAttestation(a)
				if err != nil {
					t.Fatal(err)
				}
				out.Write(ab)
			}
			return out.Bytes()
		}
		if c1 != c2 || !bytes.Equal(enc(l1, s1, a1), enc(l2, s2, a2)) {
			t.Fatalf("%s: the cached view (revision %d, %d attestations, chain %v) is not the full read's (revision %d, %d, %v)",
				id, s1.Revision, len(a1), c1, s2.Revision, len(a2), c2)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// fromScratch requires s to be loan id's schedule computed from scratch
// over its stored history as of r's business date.
func fromScratch(t *testing.T, r *fixture, id string, s pricing.Schedule, what string) {
	t.Helper()
	loan, all := r.history(t, id)
	want, err := pricing.Compute(pricing.Input{Terms: loan.Terms, Policy: r.policyOf(t, loan), Curve: r.svc.Curve(),
		Attestations: all, AsOf: r.today, Lifecycle: loan.Lifecycle.Pricing()})
	if err != nil || fmt.Sprintf("%+v", s) != fmt.Sprintf("%+v", want) {
		t.Fatalf("%s on %s: schedule\n%+v\nfrom scratch (%v)\n%+v", what, id, s, err, want)
	}
}

// sinceCounts counts LoanSince calls, those that returned attestations,
// how many, and those followed by a full read of the same loan (a
// fall-back). forge: LoanSince returns every attestation with its value
// raised by one, as a store answering with a record it does not hold
// would — the chain the state records is then not the view's extended.
type sinceCounts struct {
	since, withTail, tail, fallbacks atomic.Int64
	forge                            bool
}

// countingStore is a fixture store whose transactions count.
type countingStore struct {
	fixtureStore
	n *sinceCounts
}

type countingTx struct {
	loanbook.Tx
	n     *sinceCounts
	since string // the loan LoanSince last read
}

func (s *countingStore) View(ctx context.Context, fn func(loanbook.Tx) error) error {
	return s.fixtureStore.View(ctx, func(tx loanbook.Tx) error { return fn(&countingTx{Tx: tx, n: s.n}) })
}

func (s *countingStore) Update(ctx context.Context, fn func(loanbook.Tx) error) error {
	return s.fixtureStore.Update(ctx, func(tx loanbook.Tx) error { return fn(&countingTx{Tx: tx, n: s.n}) })
}

func (tx *countingTx) LoanSince(id string, after uint64) (loanbook.LoanChanges, error) {
	ch, err := tx.Tx.LoanSince(id, after)
	tx.n.since.Add(1)
	if len(ch.Attestations) > 0 {
		tx.n.withTail.Add(1)
	}
	tx.n.tail.Add(int64(len(ch.Attestations)))
	if tx.n.forge {
		for i := range ch.Attestations {
			ch.Attestations[i].Value = ch.Attestations[i].Value.Add(decimal.NewFromInt(1))
		}
	}
	tx.since = id
	return ch, err
}

// The store's SharedTx, which the loan book finds by type (shared.go).
func (tx *countingTx) LatestPublished() (tfpricing.Date, error) {
	return tx.Tx.(loanbook.SharedTx).LatestPublished()
}

func (tx *countingTx) NextAttestationSeq() (uint64, error) {
	return tx.Tx.(loanbook.SharedTx).NextAttestationSeq()
}

func (tx *countingTx) Attestations(id string) ([]pricing.Attestation, error) {
	if tx.since == id {
		tx.n.fallbacks.Add(1)
	}
	return tx.Tx.Attestations(id)
}
