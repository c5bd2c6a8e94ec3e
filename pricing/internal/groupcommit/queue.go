// Package groupcommit is the group-commit writer of the stores (boltstore,
// pgstore): callers queue write functions, and one writer goroutine runs
// everything queued so far in one transaction, with one commit for the
// batch. While a batch commits the next callers queue up, so batches grow
// with the load and nobody waits on a timer.
//
// A member of a batch whose function fails — or to which the store charges
// a failure found later, such as a write it queued — rolls the batch back;
// it is then run alone, so that it gets its own error and commits nothing,
// and the others are run again without it. A member's function may
// therefore run more than once and must be idempotent.
//
// The transactions are the store's (a Committer): how one is begun and
// committed, retried, and how its errors map. This package only queues,
// batches, isolates failures and answers the callers.
package groupcommit

import (
	"context"
	"errors"
	"sync"
)

// Defaults for Options.Closed and Options.Panicked.
var (
	ErrClosed   = errors.New("groupcommit: the queue is closed")
	ErrPanicked = errors.New("groupcommit: a write function panicked")
)

// Options configure a Queue.
type Options struct {
	// Max is the most members in one batch, so in one transaction; it
	// must be at least 1.
	Max int
	// Closed is the error Do returns once Close has been called (nil:
	// ErrClosed).
	Closed error
	// Panicked is the error that the error of a member whose function
	// panicked wraps, with the panic value (nil: ErrPanicked). The writer
	// goroutine outlives the panic: else every later call would wait for
	// ever.
	Panicked error
}

// Queue is a group-commit writer: Do queues a function, and one goroutine
// commits the queued functions in batches through the Committer. Its
// methods are safe for concurrent use.
type Queue[T any] struct {
	c         Committer[T]
	max       int
	closedErr error
	panicked  error

	mu     sync.Mutex
	queue  []call[T]
	closed bool

	wake chan struct{} // capacity 1: "the queue may not be empty"
	stop chan struct{}
	done chan struct{}
}

type call[T any] struct {
	ctx context.Context
	fn  func(T) error
	err chan error // capacity 1
}

// New starts the writer goroutine of a queue that commits through c. It
// panics if opt.Max is less than 1 (nothing could ever be committed).
func New[T any](c Committer[T], opt Options) *Queue[T] {
	if opt.Max < 1 {
		panic("groupcommit: Options.Max must be at least 1")
	}
	q := &Queue[T]{c: c, max: opt.Max, closedErr: opt.Closed, panicked: opt.Panicked,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	if q.closedErr == nil {
		q.closedErr = ErrClosed
	}
	if q.panicked == nil {
		q.panicked = ErrPanicked
	}
	go q.loop()
	return q
}

// Do queues fn and returns its outcome once the transaction that ran it
// has committed (or failed): nil, fn's error (or, if fn panicked, an error
// wrapping Options.Panicked), or the error the Committer gave it.
//
// ctx (never nil) is looked at once, when the batch fn is in is taken from
// the queue: if it has ended, fn is not run and Do returns ctx.Err(). Once
// the batch runs, fn is run (perhaps again, when another member fails) and
// Do waits for the outcome: a caller that gives up must not roll back the
// others of its batch. After Close, Do returns Options.Closed.
func (q *Queue[T]) Do(ctx context.Context, fn func(T) error) error {
	c := call[T]{ctx: ctx, fn: fn, err: make(chan error, 1)}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return q.closedErr
	}
	q.queue = append(q.queue, c)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default: // already signalled
	}
	return <-c.err
}

// Queued returns the number of calls waiting in the queue, not counting
// the batch being committed.
func (q *Queue[T]) Queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.queue)
}

// Close refuses further calls, commits what is queued, and returns when
// the writer has stopped. It may be called more than once.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	already := q.closed
	q.closed = true
	q.mu.Unlock()
	if !already {
		close(q.stop)
	}
	<-q.done
}

func (q *Queue[T]) loop() {
	defer close(q.done)
	for {
		select {
		case <-q.wake:
			q.drain()
		case <-q.stop:
			q.drain()
			return
		}
	}
}

// drain commits the queue, q.max calls per batch, until it is empty.
func (q *Queue[T]) drain() {
	for {
		q.mu.Lock()
		n := min(len(q.queue), q.max)
		calls := q.queue[:n:n]
		if q.queue = q.queue[n:]; len(q.queue) == 0 {
			q.queue = nil // let the array go
		}
		q.mu.Unlock()
		if n == 0 {
			return
		}
		q.run(calls)
	}
}
