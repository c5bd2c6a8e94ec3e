package groupcommit

import "fmt"

// Committer runs the transactions of a Queue. Its methods are called on
// the Queue's writer goroutine only, one at a time.
type Committer[T any] interface {
	// Commit runs the members of b in one transaction, by b.Run, and
	// commits it. It returns the index in b of the member a failure is
	// charged to — whose function failed (as b.Run reports), or that the
	// store finds a failure of its own to be — and then err is ignored:
	// that member is run alone (Alone) and the others are committed again
	// without it. Or it returns All, and err (nil when the transaction
	// committed) is the outcome of every member; or Again: the failure
	// cannot be charged yet, and b is committed again, b.Again() then
	// reporting true for the rest of the batch's life.
	Commit(b *Batch[T]) (failed int, err error)
	// Alone runs a member's function, run (which turns a panic into an
	// error), in a transaction of its own and commits it; its error is
	// the member's outcome.
	Alone(run func(T) error) error
}

// Outcomes of Committer.Commit other than a member's index.
const (
	All   = -1 // the outcome is every member's
	Again = -2 // commit the batch again
)

// Batch is the members of a batch that are still to be answered, in the
// order they were queued.
type Batch[T any] struct {
	calls    []call[T]
	again    bool
	panicked error
}

// Len returns the number of members.
func (b *Batch[T]) Len() int { return len(b.calls) }

// Again reports whether a Commit of this batch has returned Again.
func (b *Batch[T]) Again() bool { return b.again }

// Run runs the members' functions on tx in order, calling before(i), if
// before is not nil, ahead of member i. It stops at the first function
// that fails (or panics) and returns that member's index and error; if
// none fails, All and nil.
func (b *Batch[T]) Run(tx T, before func(i int)) (failed int, err error) {
	for i, c := range b.calls {
		if before != nil {
			before(i)
		}
		if err := b.call(c.fn, tx); err != nil {
			return i, err
		}
	}
	return All, nil
}

// call runs fn, turning a panic into an error wrapping b.panicked.
func (b *Batch[T]) call(fn func(T) error, tx T) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", b.panicked, p)
		}
	}()
	return fn(tx)
}

// run commits calls, answering each of them. Calls whose context has
// ended are answered without running.
func (q *Queue[T]) run(calls []call[T]) {
	live := calls[:0] // calls is this batch's own: filtered in place
	for _, c := range calls {
		if err := c.ctx.Err(); err != nil {
			c.err <- err
			continue
		}
		live = append(live, c)
	}
	b := &Batch[T]{calls: live, panicked: q.panicked}
	for len(b.calls) > 0 {
		failed, err := q.c.Commit(b)
		if failed == Again {
			b.again = true
			continue
		}
		if failed < 0 {
			for _, c := range b.calls {
				c.err <- err
			}
			return
		}
		solo := b.calls[failed]
		solo.err <- q.c.Alone(func(tx T) error { return b.call(solo.fn, tx) })
		b.calls = append(b.calls[:failed:failed], b.calls[failed+1:]...)
	}
}
