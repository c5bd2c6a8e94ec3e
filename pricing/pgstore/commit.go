package pgstore

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"tfpricing/pricing/loanbook"
)

// groupCommit runs every Update of this replica: callers queue their
// functions and one writer goroutine runs everything queued so far in one
// PostgreSQL transaction — the chain head locked once, one commit (one WAL
// flush) for the batch. While a batch commits the next callers queue up, so
// batches grow with the load and nobody waits on a timer. Across replicas
// the batches are serialised by the chain_head row lock.
type groupCommit struct {
	pool *pgxpool.Pool
	max  int

	mu     sync.Mutex
	queue  []commitCall
	closed bool

	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

type commitCall struct {
	ctx context.Context
	fn  func(loanbook.Tx) error
	err chan error
}

var errClosed = errors.New("pgstore: the store is closed")

func newGroupCommit(pool *pgxpool.Pool, max int) *groupCommit {
	g := &groupCommit{pool: pool, max: max, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go g.loop()
	return g
}

func (g *groupCommit) do(ctx context.Context, fn func(loanbook.Tx) error) error {
	c := commitCall{ctx: ctx, fn: fn, err: make(chan error, 1)}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return errClosed
	}
	g.queue = append(g.queue, c)
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default:
	}
	return <-c.err
}

func (g *groupCommit) close() {
	g.mu.Lock()
	already := g.closed
	g.closed = true
	g.mu.Unlock()
	if !already {
		close(g.stop)
	}
	<-g.done
}

func (g *groupCommit) loop() {
	defer close(g.done)
	for {
		select {
		case <-g.wake:
			g.drain()
		case <-g.stop:
			g.drain()
			return
		}
	}
}

func (g *groupCommit) drain() {
	for {
		g.mu.Lock()
		n := min(len(g.queue), g.max)
		calls := g.queue[:n:n]
		if g.queue = g.queue[n:]; len(g.queue) == 0 {
			g.queue = nil
		}
		g.mu.Unlock()
		if n == 0 {
			return
		}
		g.run(calls)
	}
}

// run commits calls in one transaction. A call whose fn fails — or one of
// whose queued writes fails, however late that is found — rolls the
// transaction back; it is then run alone, so that it gets its own error
// and commits nothing, and the others are run again without it. When the
// write that failed was a statement merging rows of several calls
// (bulk.go), the batch is first run again unmerged to find whose it was.
// Calls whose context has ended are answered without running.
func (g *groupCommit) run(calls []commitCall) {
	live := calls[:0:0]
	for _, c := range calls {
		if err := c.ctx.Err(); err != nil {
			c.err <- err
			continue
		}
		live = append(live, c)
	}
	calls = live
	merge := true
	for len(calls) > 0 {
		failed := -1
		owner, err := g.transact(merge, func(t *txn) error {
			failed = -1
			for i, c := range calls {
				t.pipe.owner = i
				if err := safelyCall(c.fn, t); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		switch {
		case owner == ownerMixed:
			merge = false
			continue
		case owner == ownerTxn:
			failed = -1 // no call's: all of them are told
		case owner >= 0:
			failed = owner // a write queued by an earlier call failed
		}
		if failed < 0 {
			for _, c := range calls {
				c.err <- err
			}
			return
		}
		solo := calls[failed]
		_, err = g.transact(false, func(t *txn) error { return safelyCall(solo.fn, t) })
		solo.err <- err
		calls = append(calls[:failed:failed], calls[failed+1:]...)
	}
}

// transact runs fn in a READ COMMITTED transaction that first locks the
// chain head, and commits it; a deadlock or serialisation failure is run
// again (a few times). The writer's own context is used, not a caller's: a
// caller that gives up must not roll back the others of its batch. owner
// is the call (pipe.owner) whose queued write failed, or -1, ownerMixed or
// ownerTxn; merge: the calls' rows are merged (bulk.go).
func (g *groupCommit) transact(merge bool, fn func(*txn) error) (owner int, err error) {
	ctx := context.Background()
	for attempt := 0; attempt < 5; attempt++ {
		if owner, err = g.once(ctx, merge, fn); !retryable(err) {
			return owner, err
		}
	}
	return owner, err
}

// once runs fn on a pipelined transaction: BEGIN and the chain-head lock
// go with fn's first read, the writes queued by fn go with its reads (or,
// merged, wait for the commit), and the last of them, the chain head and
// COMMIT go together — one round trip.
func (g *groupCommit) once(ctx context.Context, merge bool, fn func(*txn) error) (int, error) {
	conn, err := g.pool.Acquire(ctx)
	if err != nil {
		return ownerTxn, unavailable(err)
	}
	p := newPipe(conn, "BEGIN ISOLATION LEVEL READ COMMITTED")
	p.merge = merge
	defer p.release()
	t := &txn{ctx: ctx, tx: p, pipe: p, pool: g.pool, write: true}
	if err := t.lockHead(); err != nil {
		return -1, err
	}
	if err := fn(t); err != nil {
		return p.failed, err
	}
	p.owner = -1
	return p.failed, t.commit()
}

var errPanicked = errors.New("pgstore: a write function panicked")

func safelyCall(fn func(loanbook.Tx) error, t *txn) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", errPanicked, p)
		}
	}()
	return fn(t)
}
