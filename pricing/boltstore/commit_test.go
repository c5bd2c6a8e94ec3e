package boltstore

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Calls queued while a commit runs are committed together in the next
// transaction: the first call holds the writer until 63 more are queued,
// and those 63 then share one transaction.
func TestGroupCommitGroupsQueuedCalls(t *testing.T) {
	s := openTemp(t)
	g := s.writer
	started, release := make(chan struct{}), make(chan struct{})
	txOf := make([]int, 64)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := g.do(func(tx *bolt.Tx) error { close(started); <-release; txOf[0] = tx.ID(); return nil }); err != nil {
			t.Error(err)
		}
	})
	<-started // the first call is running, holding the writer
	for i := 1; i < 64; i++ {
		wg.Go(func() {
			err := g.do(func(tx *bolt.Tx) error {
				txOf[i] = tx.ID()
				return tx.Bucket(bucketQuotes).Put(itob(uint64(i)), []byte("v"))
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	waitQueued(t, g, 63)
	close(release)
	wg.Wait()
	for i := 2; i < 64; i++ {
		if txOf[i] != txOf[1] {
			t.Fatalf("call %d ran in transaction %d, call 1 in %d: queued calls were not grouped", i, txOf[i], txOf[1])
		}
	}
	if txOf[1] == txOf[0] {
		t.Fatal("queued calls ran in the running transaction")
	}
}

// waitQueued waits until n calls are queued behind the running one.
func waitQueued(t *testing.T, g *groupCommit, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		q := g.q.Queued()
		if q == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("queue never reached %d calls", n)
}

// A call that fails (or panics) gets its own error and writes nothing;
// the calls grouped with it commit, and the writer goes on.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	s := openTemp(t)
	g := s.writer
	boom := errors.New("refused")
	started, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { _ = g.do(func(*bolt.Tx) error { close(started); <-release; return nil }) })
	<-started
	errs := make([]error, 10)
	for i := range 10 {
		wg.Go(func() {
			errs[i] = g.do(func(tx *bolt.Tx) error {
				if err := tx.Bucket(bucketQuotes).Put(itob(uint64(i+1)), []byte("v")); err != nil {
					return err
				}
				switch i {
				case 3:
					return boom
				case 7:
					panic("bad write")
				}
				return nil
			})
		})
	}
	waitQueued(t, g, 10)
	close(release)
	wg.Wait()
	for i, err := range errs {
		switch {
		case i == 3 && !errors.Is(err, boom), i == 7 && !errors.Is(err, errPanicked):
			t.Errorf("call %d: %v", i, err)
		case i != 3 && i != 7 && err != nil:
			t.Errorf("call %d failed with its neighbours' error: %v", i, err)
		}
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		for i := range 10 {
			got := tx.Bucket(bucketQuotes).Get(itob(uint64(i + 1)))
			if (got != nil) != (i != 3 && i != 7) {
				return fmt.Errorf("key %d stored: %v", i+1, got != nil)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.do(func(tx *bolt.Tx) error { return nil }); err != nil {
		t.Fatalf("writer after a panic: %v", err)
	}
}

// Close commits what is queued, and later calls are refused.
func TestGroupCommitCloseDrains(t *testing.T) {
	s := openTemp(t)
	g := s.writer
	started, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { _ = g.do(func(*bolt.Tx) error { close(started); <-release; return nil }) })
	<-started
	var queuedErr error
	wg.Go(func() {
		queuedErr = g.do(func(tx *bolt.Tx) error { return tx.Bucket(bucketQuotes).Put(itob(1), []byte("v")) })
	})
	waitQueued(t, g, 1)
	closed := make(chan struct{})
	go func() { g.close(); close(closed) }()
	close(release)
	<-closed
	wg.Wait()
	if queuedErr != nil {
		t.Fatalf("queued call: %v", queuedErr)
	}
	if err := g.do(func(*bolt.Tx) error { return nil }); !errors.Is(err, errClosed) {
		t.Fatalf("call after close: %v", err)
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketQuotes).Get(itob(1)) == nil {
			return errors.New("the queued write was lost")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
