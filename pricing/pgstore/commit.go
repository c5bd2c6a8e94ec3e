package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"

	"tfpricing/pricing/internal/groupcommit"
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
	q    *groupcommit.Queue[loanbook.Tx]
}

var errClosed = errors.New("pgstore: the store is closed")

var errPanicked = errors.New("pgstore: a write function panicked")

func newGroupCommit(pool *pgxpool.Pool, max int) *groupCommit {
	g := &groupCommit{pool: pool}
	g.q = groupcommit.New[loanbook.Tx](g, groupcommit.Options{Max: max, Closed: errClosed, Panicked: errPanicked})
	return g
}

// do queues fn; a call whose context has ended when its batch is taken
// from the queue is answered without running.
func (g *groupCommit) do(ctx context.Context, fn func(loanbook.Tx) error) error {
	return g.q.Do(ctx, fn)
}

func (g *groupCommit) close() { g.q.Close() }

// Commit commits b's calls in one transaction. A call whose fn fails — or
// one of whose queued writes fails, however late that is found — rolls the
// transaction back; groupcommit then runs it alone, so that it gets its own
// error and commits nothing, and the others again without it. When the
// write that failed was a statement merging rows of several calls
// (bulk.go), the batch is first run again unmerged to find whose it was.
func (g *groupCommit) Commit(b *groupcommit.Batch[loanbook.Tx]) (int, error) {
	failed := -1
	owner, err := g.transact(!b.Again(), func(t *txn) (err error) {
		failed, err = b.Run(t, func(i int) { t.pipe.owner = i })
		return err
	})
	switch {
	case owner == ownerMixed:
		return groupcommit.Again, err
	case owner == ownerTxn:
		return groupcommit.All, err // no call's: all of them are told
	case owner >= 0:
		return owner, err // a write queued by an earlier call failed
	}
	return failed, err
}

// Alone commits one call's fn in a transaction of its own, unmerged.
func (g *groupCommit) Alone(run func(loanbook.Tx) error) error {
	_, err := g.transact(false, func(t *txn) error { return run(t) })
	return err
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
