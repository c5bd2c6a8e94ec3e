package groupcommit_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tfpricing/pricing/internal/groupcommit"
)

// fakeTx is a transaction of fakeStore: the keys its members put, in order.
type fakeTx struct {
	id   int
	puts []string
}

func (tx *fakeTx) put(key string) { tx.puts = append(tx.puts, key) }

// fakeStore is a Committer over a map of committed keys. hook, when set,
// may change what Commit returns after the batch has run (as a store does
// when its commit fails); a key "refuse:…" makes any commit of it fail.
type fakeStore struct {
	t    *testing.T
	hook func(b *groupcommit.Batch[*fakeTx], tx *fakeTx, failed int, err error) (int, error)

	mu        sync.Mutex
	txs       int
	committed map[string]int // key → commits that wrote it
	txOf      map[string]int // key → the transaction that committed it
	sizes     []int          // Len of each Commit's batch
	again     []bool         // b.Again() at each Commit
	alone     []string       // what each Alone put
	running   atomic.Int32
}

var errRefused = refusedError{}

type refusedError struct{}

func (refusedError) Error() string { return "the commit was refused" }

func newFake(t *testing.T) *fakeStore {
	return &fakeStore{t: t, committed: map[string]int{}, txOf: map[string]int{}}
}

func (s *fakeStore) begin() *fakeTx {
	if s.running.Add(1) != 1 {
		s.t.Error("two transactions at once")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.txs++
	return &fakeTx{id: s.txs}
}

// end commits tx unless err is set or tx put a "refuse:" key.
func (s *fakeStore) end(tx *fakeTx, err error) error {
	defer s.running.Add(-1)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range tx.puts {
		if len(k) > 7 && k[:7] == "refuse:" {
			return errRefused
		}
	}
	for _, k := range tx.puts {
		s.committed[k]++
		s.txOf[k] = tx.id
	}
	return nil
}

func (s *fakeStore) Commit(b *groupcommit.Batch[*fakeTx]) (int, error) {
	s.mu.Lock()
	s.sizes = append(s.sizes, b.Len())
	s.again = append(s.again, b.Again())
	s.mu.Unlock()
	tx := s.begin()
	failed, err := b.Run(tx, nil)
	if s.hook != nil {
		failed, err = s.hook(b, tx, failed, err)
	}
	if failed != groupcommit.All {
		err = s.end(tx, errRefused) // rolled back
		return failed, err
	}
	return failed, s.end(tx, err)
}

func (s *fakeStore) Alone(run func(*fakeTx) error) error {
	tx := s.begin()
	err := s.end(tx, run(tx))
	s.mu.Lock()
	s.alone = append(s.alone, tx.puts...)
	s.mu.Unlock()
	return err
}

func (s *fakeStore) snapshot() (committed, txOf map[string]int, sizes []int, again []bool, alone []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	committed, txOf = map[string]int{}, map[string]int{}
	for k, v := range s.committed {
		committed[k] = v
	}
	for k, v := range s.txOf {
		txOf[k] = v
	}
	return committed, txOf, append([]int(nil), s.sizes...), append([]bool(nil), s.again...), append([]string(nil), s.alone...)
}

// hold runs a call that holds the writer until release is called, and
// returns once it is running; its key is "hold".
func hold(t *testing.T, q *groupcommit.Queue[*fakeTx]) (release func()) {
	started, rel := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var once sync.Once
		if err := q.Do(context.Background(), func(tx *fakeTx) error {
			once.Do(func() { close(started) })
			<-rel
			tx.put("hold")
			return nil
		}); err != nil {
			t.Error(err)
		}
	}()
	<-started
	return func() { close(rel); <-done }
}

// queue starts Do(ctx, fn) for each fn, one after the other in that order
// (each waits until the one before is queued), and returns their errors
// once all have returned; call release (of hold) in between via after.
func queue(t *testing.T, q *groupcommit.Queue[*fakeTx], ctx context.Context, after func(), fns ...func(*fakeTx) error) []error {
	t.Helper()
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	base := q.Queued()
	for i, fn := range fns {
		wg.Go(func() { errs[i] = q.Do(ctx, fn) })
		waitQueued(t, q, base+i+1)
	}
	after()
	wg.Wait()
	return errs
}

func waitQueued(t *testing.T, q *groupcommit.Queue[*fakeTx], n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Microsecond) {
		if q.Queued() == n {
			return
		}
	}
	t.Fatalf("queue never reached %d calls (%d)", n, q.Queued())
}

// put is a member that puts key.
func put(key string) func(*fakeTx) error {
	return func(tx *fakeTx) error { tx.put(key); return nil }
}
