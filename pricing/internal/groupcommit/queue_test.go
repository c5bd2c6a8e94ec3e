package groupcommit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"tfpricing/pricing/internal/groupcommit"
)

func newQueue(t *testing.T, s *fakeStore, max int) *groupcommit.Queue[*fakeTx] {
	q := groupcommit.New[*fakeTx](s, groupcommit.Options{Max: max})
	t.Cleanup(q.Close)
	return q
}

// Calls queued while a batch commits are committed together, in the order
// they were queued, in the next transaction.
func TestQueuedCallsShareOneTransaction(t *testing.T) {
	s := newFake(t)
	q := newQueue(t, s, 256)
	release := hold(t, q)
	var fns []func(*fakeTx) error
	var order []string
	var mu sync.Mutex
	for i := range 63 {
		key := fmt.Sprint(i)
		fns = append(fns, func(tx *fakeTx) error {
			mu.Lock()
			order = append(order, key)
			mu.Unlock()
			tx.put(key)
			return nil
		})
	}
	for i, err := range queue(t, q, context.Background(), release, fns...) {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	committed, txOf, sizes, _, _ := s.snapshot()
	if fmt.Sprint(sizes) != "[1 63]" {
		t.Errorf("batches of %v, want [1 63]", sizes)
	}
	for i := range 63 {
		if k := fmt.Sprint(i); committed[k] != 1 || txOf[k] != txOf["0"] || order[i] != k {
			t.Errorf("call %d: committed %d times, in transaction %d (call 0: %d), ran as %s", i, committed[k], txOf[k], txOf["0"], order[i])
		}
	}
	if txOf["0"] == txOf["hold"] {
		t.Error("queued calls ran in the running transaction")
	}
}

// A batch takes at most Max calls: 25 queued with Max 10 are committed as
// 10, 10 and 5; with Max 1 (the least), one at a time.
func TestMaxBoundsABatch(t *testing.T) {
	for _, c := range []struct {
		max  int
		want string
	}{{10, "[1 10 10 5]"}, {1, "[1" + strings.Repeat(" 1", 25) + "]"}} {
		s := newFake(t)
		q := newQueue(t, s, c.max)
		release := hold(t, q)
		var fns []func(*fakeTx) error
		for i := range 25 {
			fns = append(fns, put(fmt.Sprint(i)))
		}
		queue(t, q, context.Background(), release, fns...)
		_, txOf, sizes, _, _ := s.snapshot()
		if fmt.Sprint(sizes) != c.want {
			t.Errorf("max %d: batches of %v, want %s", c.max, sizes, c.want)
		}
		for i := 1; i < 25; i++ { // queue order across batches too
			if txOf[fmt.Sprint(i)] < txOf[fmt.Sprint(i-1)] {
				t.Errorf("max %d: call %d committed before call %d", c.max, i, i-1)
			}
		}
	}
}

// Max below 1 would never commit anything: New refuses it.
func TestMaxBelowOnePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New with Max 0 did not panic")
		}
	}()
	groupcommit.New[*fakeTx](newFake(t), groupcommit.Options{Max: 0})
}

// Close commits what is queued, stops the writer, and refuses later calls
// with Options.Closed; closing again returns at once.
func TestCloseDrainsThenRefuses(t *testing.T) {
	closedErr := errors.New("store closed")
	s := newFake(t)
	q := groupcommit.New[*fakeTx](s, groupcommit.Options{Max: 4, Closed: closedErr})
	release := hold(t, q)
	closed := make(chan struct{})
	errs := queue(t, q, context.Background(), func() {
		go func() { q.Close(); close(closed) }()
		select {
		case <-closed:
			t.Error("Close returned while a batch was running")
		case <-time.After(50 * time.Millisecond):
		}
		release()
		<-closed
	}, put("a"), put("b"), put("c"), put("d"), put("e"))
	for i, err := range errs {
		if err != nil {
			t.Errorf("queued call %d: %v", i, err)
		}
	}
	committed, _, sizes, _, _ := s.snapshot()
	if len(committed) != 6 || fmt.Sprint(sizes) != "[1 4 1]" {
		t.Errorf("committed %v in batches %v, want hold, a…e in [1 4 1]", committed, sizes)
	}
	q.Close()
	if err := q.Do(context.Background(), put("x")); err != closedErr {
		t.Errorf("call after close: %v", err)
	}
	d := groupcommit.New[*fakeTx](newFake(t), groupcommit.Options{Max: 1})
	d.Close()
	if err := d.Do(context.Background(), put("x")); err != groupcommit.ErrClosed {
		t.Errorf("call after close, default error: %v", err)
	}
}

// Many callers at once: each good call is committed exactly once, each
// failing or panicking one not at all, and no two transactions overlap.
// Run with -race.
func TestConcurrentCallers(t *testing.T) {
	s := newFake(t)
	q := newQueue(t, s, 16)
	const callers, each = 8, 150
	errs := make([]error, callers*each)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for j := range each {
				i := c*each + j
				errs[i] = q.Do(context.Background(), func(tx *fakeTx) error {
					tx.put(fmt.Sprint(i))
					switch {
					case i%13 == 0:
						panic(i)
					case i%7 == 0:
						return fmt.Errorf("call %d refused", i)
					}
					return nil
				})
			}
		})
	}
	wg.Wait()
	committed, _, _, _, _ := s.snapshot()
	for i, err := range errs {
		bad := i%13 == 0 || i%7 == 0
		if n := committed[fmt.Sprint(i)]; (err != nil) != bad || n != map[bool]int{false: 1, true: 0}[bad] {
			t.Errorf("call %d: error %v, committed %d times", i, err, n)
		}
		if i%13 == 0 && !errors.Is(err, groupcommit.ErrPanicked) {
			t.Errorf("call %d panicked: %v", i, err)
		}
	}
}
