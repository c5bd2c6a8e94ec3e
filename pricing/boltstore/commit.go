package boltstore

import (
	"context"
	"errors"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"tfpricing/pricing/internal/groupcommit"
)

// groupCommit runs every Update: callers queue their functions, and one
// writer goroutine runs everything queued so far in one bbolt transaction
// with one fsync (groupcommit). While a commit is being written, the next
// callers queue up, and the next transaction takes them all: batches grow
// with the load and nobody waits on a timer.
//
// bbolt's own DB.Batch does not do that. It closes a batch when its timer
// (MaxBatchDelay) fires and then waits for the write lock, so under load a
// queue of small batches forms behind the running commit, each paying its
// own commit and fsync: 32 clients posting attestations got batches of one
// or two and 1,550–1,600 commits/s, however little each transaction did.
type groupCommit struct {
	db *bolt.DB
	q  *groupcommit.Queue[*bolt.Tx]
}

// errClosed is returned to an Update after Close.
var errClosed = bolterrors.ErrDatabaseNotOpen

// errPanicked marks a write function that panicked: the writer goroutine
// must outlive it, or every later write would wait forever.
var errPanicked = errors.New("boltstore: a write function panicked")

func newGroupCommit(db *bolt.DB, max int) *groupCommit {
	g := &groupCommit{db: db}
	g.q = groupcommit.New[*bolt.Tx](g, groupcommit.Options{Max: max, Closed: errClosed, Panicked: errPanicked})
	return g
}

// do queues fn and returns its outcome once the transaction that ran it
// has committed (or failed). A queued fn runs even if its caller has given
// up: Update looks at the caller's context only before queuing.
func (g *groupCommit) do(fn func(*bolt.Tx) error) error {
	return g.q.Do(context.Background(), fn)
}

// close runs what is queued, then stops the writer.
func (g *groupCommit) close() { g.q.Close() }

// Commit commits b's calls in one transaction. A call whose fn fails rolls
// the transaction back; groupcommit then runs it in a transaction of its
// own, so that it gets its own error and commits nothing, and the others
// again without it — as with DB.Batch, which is why every fn must be
// idempotent.
func (g *groupCommit) Commit(b *groupcommit.Batch[*bolt.Tx]) (int, error) {
	failed := groupcommit.All
	err := g.db.Update(func(tx *bolt.Tx) (err error) {
		failed, err = b.Run(tx, nil)
		return err
	})
	return failed, err
}

// Alone commits one call's fn in a transaction of its own.
func (g *groupCommit) Alone(run func(*bolt.Tx) error) error { return g.db.Update(run) }
