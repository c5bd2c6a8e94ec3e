package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// dbtx is what a txn runs its statements on: a pgx.Tx, or a pipe.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pipe is a transaction on one connection whose statements are pipelined:
// a write whose answer nobody waits for (the inserts and updates of the
// write path: decisions, schedules, attestations, idempotency records,
// quotes) is queued, and goes to the server with the next statement whose
// answer is awaited — the next read, or the commit — as one pgx Batch,
// one round trip. BEGIN goes with the first statement, and the commit
// carries the last writes and the chain head. A group-commit batch holding
// the chain-head lock thus costs one round trip per read its calls make,
// not one per statement.
//
// Statements run in the order they were issued, so every read sees the
// writes queued before it. A queued write that fails is reported by the
// statement that sent it; owner says which call of the batch queued it, so
// that group commit can run that call alone.
type pipe struct {
	conn  *pgxpool.Conn
	begin string // sent with the first statement; "" once sent
	// first are reads sent right after BEGIN, with the first statement,
	// each answered to its scan: what every transaction asks first.
	first   []read
	pending []queued
	// owner is the call of the batch now running; failed, the owner of
	// the queued write that failed (-1: none), whose error err is then
	// the answer to every later statement: a failed batch never commits,
	// even if a caller overlooks an error.
	owner, failed int
	err           error
	// merge: bulk rows are merged at sending (bulk.go), in group commit.
	merge bool
}

type read struct {
	sql  string
	scan func(pgx.Row) error
}

type queued struct {
	sql  string
	args []any
	// check, when not nil, translates the statement's error (say, a
	// unique violation into a conflict). It may not fail a statement the
	// server accepted: the COMMIT sent after it would still commit.
	check func(error) error
	owner int
	row   rowRef // a bulk row's kind and key (kind nil: any other write)
}

func newPipe(conn *pgxpool.Conn, begin string) *pipe {
	return &pipe{conn: conn, begin: begin, failed: -1}
}

// maxPending bounds the writes queued at once: a transaction that only
// writes (a whole-book copy) sends them in batches of this many.
const maxPending = 500

// queue adds a write to send later; check, when not nil, translates its
// error. When maxPending are queued they are sent (and waited for).
func (p *pipe) queue(ctx context.Context, check func(error) error, sql string, args ...any) error {
	p.pending = append(p.pending, queued{sql: sql, args: args, check: check, owner: p.owner})
	if len(p.pending) < maxPending {
		return nil
	}
	return p.flush(ctx)
}

// queueRow queues a bulk row (bulk.go).
func (p *pipe) queueRow(ctx context.Context, r rowRef, check func(error) error, args ...any) error {
	p.pending = append(p.pending, queued{sql: r.kind.one, args: args, check: check, owner: p.owner, row: r})
	if len(p.pending) < maxPending {
		return nil
	}
	return p.flush(ctx)
}

// send sends BEGIN (the first time), the queued writes and then extra,
// reads the answers to all but extra, and returns the results positioned
// at extra's answer. The caller closes them.
func (p *pipe) send(ctx context.Context, extra ...queued) (pgx.BatchResults, error) {
	return p.sendAll(ctx, true, extra...)
}

// sendAll is send, leaving the queued writes queued unless withPending.
func (p *pipe) sendAll(ctx context.Context, withPending bool, extra ...queued) (pgx.BatchResults, error) {
	if p.err != nil {
		return nil, p.err
	}
	b := &pgx.Batch{}
	if p.begin != "" {
		b.Queue(p.begin)
		for _, r := range p.first {
			b.Queue(r.sql)
		}
	}
	var pending []queued
	if withPending {
		pending = p.pending
		if p.merge {
			pending = merged(pending)
		}
	}
	for _, q := range pending {
		b.Queue(q.sql, q.args...)
	}
	for _, q := range extra {
		b.Queue(q.sql, q.args...)
	}
	br := p.conn.SendBatch(ctx, b)
	if p.begin != "" {
		p.begin = ""
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			p.failed, p.err = ownerTxn, unavailableOr(err)
			return nil, p.err
		}
		first := p.first
		p.first = nil
		for _, r := range first {
			if err := r.scan(br.QueryRow()); err != nil {
				_ = br.Close()
				p.failed, p.err = ownerTxn, unavailableOr(err)
				return nil, p.err
			}
		}
	}
	if withPending {
		p.pending = nil
	}
	for _, q := range pending {
		_, err := br.Exec()
		if err != nil && q.check != nil {
			err = q.check(err)
		}
		if err != nil {
			p.failed, p.err = q.owner, err
			_ = br.Close()
			return nil, err
		}
	}
	return br, nil
}

// flush sends what is queued and waits for it.
func (p *pipe) flush(ctx context.Context) error {
	if p.begin == "" && len(p.pending) == 0 {
		return nil
	}
	br, err := p.send(ctx)
	if err != nil {
		return err
	}
	return br.Close()
}

// Exec implements dbtx: the statement and what is queued, in one round
// trip.
func (p *pipe) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	br, err := p.send(ctx, queued{sql: sql, args: args})
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

// QueryRow implements dbtx: the query and what is queued, in one round
// trip.
func (p *pipe) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	br, err := p.send(ctx, queued{sql: sql, args: args})
	if err != nil {
		return errRow{err}
	}
	return batchRow{br: br, row: br.QueryRow()}
}

// Query implements dbtx. What is queued is sent first (one round trip):
// rows are read as they come, and a batch's rows would hold it open.
func (p *pipe) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.conn.Query(ctx, sql, args...)
}

// commit sends what is queued, then extra (the chain head), then COMMIT,
// in one round trip, and reports whether all of it committed.
func (p *pipe) commit(ctx context.Context, extra ...queued) error {
	br, err := p.send(ctx, append(extra, queued{sql: "COMMIT"})...)
	if err != nil {
		return err
	}
	for range extra {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			return err
		}
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil && tag.String() != "COMMIT" {
		err = pgx.ErrTxCommitRollback // an earlier statement failed and aborted it
	}
	return err
}

// release rolls back whatever is left open and returns the connection to
// the pool; one that cannot be rolled back is closed instead.
func (p *pipe) release() {
	if p.conn.Conn().PgConn().TxStatus() != 'I' {
		ctx := context.Background()
		if _, err := p.conn.Exec(ctx, "ROLLBACK"); err != nil {
			_ = p.conn.Conn().Close(ctx)
		}
	}
	p.conn.Release()
}

type batchRow struct {
	br  pgx.BatchResults
	row pgx.Row
}

func (r batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
