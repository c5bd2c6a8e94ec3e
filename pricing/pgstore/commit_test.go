package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

func openStore(t *testing.T, url string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func decision(n int) audit.Decision {
	return audit.Decision{Kind: audit.DecisionSimulation, Actor: tfpricing.Actor{KeyID: "k", Role: "analyst"},
		RecordedAt: time.Date(2026, 12, 1, 8, 0, 0, n, time.UTC), BusinessDate: tfpricing.MustParseDate("2026-12-01"),
		AsOf: tfpricing.MustParseDate("2026-12-01"), Inputs: []byte(fmt.Sprintf(`{"n":%d}`, n)), Outputs: []byte(`{}`),
		EngineVersion: audit.EngineVersion}
}

func attestationN(seq uint64) pricing.Attestation {
	return pricing.Attestation{ID: pricing.AttestationID(seq), Seq: seq, MetricID: "m", Year: 2025, Value: decimal.RequireFromString("1"),
		AcceptedOn: tfpricing.MustParseDate("2026-03-15"), VerifierName: "v", VerifierAccreditation: "a",
		EvidenceSHA256: "abababababababababababababababababababababababababababababababab"}
}

// chainOf reads the whole chain and fails the test unless it is one
// gap-free line; it returns the decisions' inputs by sequence.
func chainOf(t *testing.T, s loanbook.Store) []string {
	t.Helper()
	var inputs []string
	err := s.View(context.Background(), func(tx loanbook.Tx) error {
		h, err := tx.ChainHead()
		if err != nil {
			return err
		}
		prev := audit.GenesisHash
		for seq := uint64(1); seq <= h.Seq; seq++ {
			d, err := tx.Decision(seq)
			if err != nil {
				return fmt.Errorf("decision %d of %d: %w", seq, h.Seq, err)
			}
			if d.PrevHash != prev {
				return fmt.Errorf("decision %d: prev %s, want %s", seq, d.PrevHash, prev)
			}
			prev = d.Hash
			inputs = append(inputs, string(d.Inputs))
		}
		if prev != h.Hash {
			return fmt.Errorf("head %s, last decision %s", h.Hash, prev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return inputs
}

// A group-commit batch in which some calls' queued writes fail — found
// only when the next call's read or the commit sends them — commits every
// other call exactly once and nothing of the failed ones, each of which
// gets its own error. Calls are queued behind one that holds the writer,
// so they share one batch. Of the 30 calls, every third stores an
// attestation that exists already (ECONFLICT from the row count) and every
// fifth an idempotency record under a key that exists (a unique violation
// that aborts the transaction); calls 0, 15 are both (counted once): 10 +
// 6 − 2 = 14 fail, 16 commit. Every call first reads, ignoring what the
// read says, as a careless caller might: a failure must still not commit.
// The read is a schedule stamp, which carries the writes queued before it
// (one call's rows: nothing merged); or an attestation's idempotency
// record, which goes ahead of them, or none — then the rows of all calls
// are merged at the commit (bulk.go), the merged statement fails, and the
// batch is run again unmerged to find whose row it was.
func TestGroupCommitFailedMembers(t *testing.T) {
	for _, c := range []struct {
		name   string
		read   func(tx loanbook.Tx, i int)
		merged bool
	}{
		{"stamp", func(tx loanbook.Tx, _ int) { _, _ = tx.ScheduleStamp("L-00000001") }, false},
		{"read ahead", func(tx loanbook.Tx, i int) {
			_, _, _ = tx.Idempotency(fmt.Sprintf("attestation:L-00000001\x00r-%d", i))
		}, true},
		{"none", func(loanbook.Tx, int) {}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, tr := openTraced(t)
			tr.start()
			failedMembers(t, s, c.read)
			if merged := tr.count("unnest(") > 0; merged != c.merged {
				t.Errorf("rows merged: %v, want %v", merged, c.merged)
			}
		})
	}
}

func failedMembers(t *testing.T, s *pgstore.Store, read func(tx loanbook.Tx, i int)) {
	ctx := context.Background()
	if err := s.Update(ctx, func(tx loanbook.Tx) error {
		if err := tx.PutAttestation("L-00000001", attestationN(1)); err != nil {
			return err
		}
		return tx.PutIdempotency(loanbook.IdempotencyRecord{Key: "taken", Scope: "s", RequestHash: "h"})
	}); err != nil {
		t.Fatal(err)
	}
	// held has room for the one signal: the holder may run more than once
	// (a batch run again), and only its first run may signal, whether or
	// not this goroutine is receiving yet (unbuffered, a send made before
	// <-held was reached fell to default and both waited for ever).
	hold, held := make(chan struct{}), make(chan struct{}, 1)
	go func() {
		_ = s.Update(ctx, func(loanbook.Tx) error {
			select {
			case held <- struct{}{}:
			default:
			}
			<-hold
			return nil
		})
	}()
	<-held
	const n = 30
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Update(ctx, func(tx loanbook.Tx) error {
				read(tx, i)
				d := decision(i)
				if err := tx.AppendDecision(&d); err != nil {
					return err
				}
				seq := uint64(100 + i)
				if i%3 == 0 {
					seq = 1
				}
				if err := tx.PutAttestation("L-00000001", attestationN(seq)); err != nil {
					return err
				}
				key := fmt.Sprintf("k-%d", i)
				if i%5 == 0 {
					key = "taken"
				}
				return tx.PutIdempotency(loanbook.IdempotencyRecord{Key: key, Scope: "s", RequestHash: "h"})
			})
		}()
	}
	time.Sleep(200 * time.Millisecond) // let the calls queue behind the held one
	close(hold)
	wg.Wait()
	var want []string
	for i, err := range errs {
		bad := i%3 == 0 || i%5 == 0
		switch {
		case !bad && err != nil:
			t.Errorf("call %d: %v", i, err)
		case !bad:
			want = append(want, fmt.Sprintf(`{"n":%d}`, i))
		case i%3 == 0 && tfpricing.ErrorCode(err) != tfpricing.ECONFLICT:
			t.Errorf("call %d (attestation 1 again): %v, want a conflict", i, err)
		case err == nil:
			t.Errorf("call %d (key taken) committed", i)
		}
	}
	got := chainOf(t, s)
	if len(got) != len(want) {
		t.Fatalf("chain of %d decisions %v, want the %d good calls' %v", len(got), got, len(want), want)
	}
	seen := map[string]bool{}
	for _, in := range got {
		seen[in] = true
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("decision %s missing from the chain %v", w, got)
		}
	}
	err := s.View(ctx, func(tx loanbook.Tx) error {
		atts, err := tx.Attestations("L-00000001")
		if len(atts) != 1+len(want) {
			t.Errorf("%d attestations, want %d", len(atts), 1+len(want))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Two stores over one database — two replicas, two pools, each batching
// its own calls — append concurrently: the chain is one gap-free line and
// no call fails. It is the chain-head row lock (SELECT … FOR UPDATE, the
// first statement of every write transaction) that makes it so: without
// it both replicas read the same head and the second insert of a
// sequence number is refused.
func TestTwoStoresOneChain(t *testing.T) {
	url := pgtest.Database(t)
	stores := []*pgstore.Store{openStore(t, url), openStore(t, url)}
	const n = 200
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = stores[i%2].Update(context.Background(), func(tx loanbook.Tx) error {
				d := decision(i)
				return tx.AppendDecision(&d)
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d on store %d: %v", i, i%2, err)
		}
	}
	got := chainOf(t, stores[1])
	seen := map[string]bool{}
	for _, in := range got {
		if seen[in] {
			t.Errorf("decision %s twice", in)
		}
		seen[in] = true
	}
	if len(got) != n {
		t.Errorf("%d decisions in the chain, want %d", len(got), n)
	}
}
