package groupcommit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"tfpricing/pricing/internal/groupcommit"
)

// fail is a member that puts key and then fails with err (or, with err
// nil, panics).
func fail(key string, err error) func(*fakeTx) error {
	return func(tx *fakeTx) error {
		tx.put(key)
		if err == nil {
			panic("bad " + key)
		}
		return err
	}
}

// A member that fails (or panics) gets its own error, from a transaction
// of its own, and commits nothing; the others of its batch commit once.
// Of 10 calls, 0 (the first: the boundary between "a member failed" and
// "every member's outcome") and 3 fail, 7 panics: the batch is committed
// as 10, then 9 without call 0, 8 without call 3, 7 without call 7.
func TestFailingMemberChargedAlone(t *testing.T) {
	s := newFake(t)
	panicked := errors.New("the write panicked")
	q := groupcommit.New[*fakeTx](s, groupcommit.Options{Max: 64, Panicked: panicked})
	t.Cleanup(q.Close)
	boom0, boom3 := errors.New("refused 0"), errors.New("refused 3")
	var fns []func(*fakeTx) error
	for i := range 10 {
		key := fmt.Sprint(i)
		switch i {
		case 0:
			fns = append(fns, fail(key, boom0))
		case 3:
			fns = append(fns, fail(key, boom3))
		case 7:
			fns = append(fns, fail(key, nil))
		default:
			fns = append(fns, put(key))
		}
	}
	errs := queue(t, q, context.Background(), hold(t, q), fns...)
	committed, _, sizes, _, alone := s.snapshot()
	if !errors.Is(errs[0], boom0) || !errors.Is(errs[3], boom3) {
		t.Errorf("failing calls got %v, %v", errs[0], errs[3])
	}
	if !errors.Is(errs[7], panicked) || !strings.Contains(errs[7].Error(), "bad 7") {
		t.Errorf("panicking call got %v", errs[7])
	}
	for i, err := range errs {
		bad := i == 0 || i == 3 || i == 7
		if n := committed[fmt.Sprint(i)]; !bad && (err != nil || n != 1) || bad && n != 0 {
			t.Errorf("call %d: %v, committed %d times", i, err, n)
		}
	}
	if fmt.Sprint(sizes) != "[1 10 9 8 7]" || fmt.Sprint(alone) != "[0 3 7]" {
		t.Errorf("batches %v, alone %v; want [1 10 9 8 7], [0 3 7]", sizes, alone)
	}
	if err := q.Do(context.Background(), put("after")); err != nil {
		t.Errorf("writer after a panic: %v", err)
	}
}

// The store may charge a failure to a member whose function succeeded (a
// write it queued fails at the commit): that member is run alone and gets
// the outcome of its own transaction; or give it to all (All): each gets
// the error and Alone is not called.
func TestStoreChargesFailures(t *testing.T) {
	s := newFake(t)
	s.hook = func(b *groupcommit.Batch[*fakeTx], tx *fakeTx, failed int, err error) (int, error) {
		for i, k := range tx.puts {
			if strings.HasPrefix(k, "refuse:") {
				return i, errors.New("not this member's error")
			}
		}
		return failed, err
	}
	q := newQueue(t, s, 64)
	errs := queue(t, q, context.Background(), hold(t, q), put("a"), put("refuse:b"), put("c"))
	committed, _, sizes, _, alone := s.snapshot()
	if errs[0] != nil || errs[2] != nil || errs[1] != errRefused {
		t.Errorf("errors %v, want [nil %v nil]", errs, errRefused)
	}
	if committed["a"] != 1 || committed["c"] != 1 || committed["refuse:b"] != 0 || fmt.Sprint(sizes) != "[1 3 2]" || fmt.Sprint(alone) != "[refuse:b]" {
		t.Errorf("committed %v in %v, alone %v", committed, sizes, alone)
	}

	lost := errors.New("the connection was lost")
	s = newFake(t)
	s.hook = func(b *groupcommit.Batch[*fakeTx], _ *fakeTx, failed int, err error) (int, error) {
		if b.Len() == 2 { // not the holder's
			return groupcommit.All, lost
		}
		return failed, err
	}
	q = newQueue(t, s, 64)
	errs = queue(t, q, context.Background(), hold(t, q), put("a"), fail("b", errors.New("b's own")))
	committed, _, _, _, alone = s.snapshot()
	if errs[0] != lost || errs[1] != lost || len(committed) != 1 || len(alone) != 0 {
		t.Errorf("errors %v, committed %v, alone %v; want every call told %v", errs, committed, alone, lost)
	}
}

// A Commit that returns Again has the same members committed again, and
// b.Again() reports it from then on for that batch only: here the first
// attempt is Again, the second charges b, the third commits a and c.
func TestAgainCommitsTheBatchAgain(t *testing.T) {
	s := newFake(t)
	s.hook = func(b *groupcommit.Batch[*fakeTx], tx *fakeTx, failed int, err error) (int, error) {
		if b.Len() == 3 && !b.Again() {
			return groupcommit.Again, errors.New("whose?")
		}
		return failed, err
	}
	q := newQueue(t, s, 64)
	errs := queue(t, q, context.Background(), hold(t, q), put("a"), fail("b", errRefused), put("c"))
	if errs[0] != nil || errs[1] != errRefused || errs[2] != nil {
		t.Errorf("errors %v", errs)
	}
	if err := q.Do(context.Background(), put("d")); err != nil {
		t.Error(err)
	}
	committed, _, sizes, again, _ := s.snapshot()
	if fmt.Sprint(sizes) != "[1 3 3 2 1]" || fmt.Sprint(again) != "[false false true true false]" || len(committed) != 4 {
		t.Errorf("batches %v, Again %v, committed %v", sizes, again, committed)
	}
}

// A call whose context ends while it is queued is answered with ctx.Err()
// and never run; the others of its batch commit.
func TestContextEndedWhileQueued(t *testing.T) {
	s := newFake(t)
	q := newQueue(t, s, 64)
	ctx, cancel := context.WithCancel(context.Background())
	release := hold(t, q)
	errs := make([]error, 2)
	ran := false
	errs[0] = queue(t, q, context.Background(), func() {
		errs[1] = queue(t, q, ctx, func() { cancel(); release() }, func(tx *fakeTx) error { ran = true; return nil })[0]
	}, put("a"))[0]
	committed, _, sizes, _, _ := s.snapshot()
	if errs[0] != nil || errs[1] != context.Canceled || ran {
		t.Errorf("errors %v, cancelled call ran: %v", errs, ran)
	}
	if committed["a"] != 1 || fmt.Sprint(sizes) != "[1 1]" {
		t.Errorf("committed %v in %v", committed, sizes)
	}
}

// A call whose context ends once its batch is running is not abandoned:
// it is committed, even when it runs again because another member failed
// (the context is looked at once, when the batch is taken), and Do
// returns its outcome.
func TestContextEndedWhileRunning(t *testing.T) {
	s := newFake(t)
	q := newQueue(t, s, 64)
	ctx, cancel := context.WithCancel(context.Background())
	runs := 0
	release := hold(t, q)
	errs := make([]error, 2)
	errs[0] = queue(t, q, ctx, func() {
		errs[1] = queue(t, q, context.Background(), release, fail("b", errRefused))[0]
	}, func(tx *fakeTx) error { runs++; cancel(); tx.put("a"); return nil })[0]
	committed, _, sizes, _, _ := s.snapshot()
	if errs[0] != nil || errs[1] != errRefused || runs != 2 || committed["a"] != 1 {
		t.Errorf("errors %v; the cancelled call ran %d times, committed %d", errs, runs, committed["a"])
	}
	if fmt.Sprint(sizes) != "[1 2 1]" {
		t.Errorf("batches %v", sizes)
	}
}
