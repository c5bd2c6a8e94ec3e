package pgstore

import (
	"context"
	"hash/fnv"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Lease is a named background job's lock: a PostgreSQL session advisory
// lock held on a connection of its own. Exactly one replica holds it at a
// time; when that replica dies its connection closes, PostgreSQL releases
// the lock, and the next replica to try takes it over. Not safe for
// concurrent use: one goroutine drives it.
type Lease struct {
	pool *pgxpool.Pool
	key  int64
	conn *pgxpool.Conn // non-nil while held
}

// NewLease returns the lease of the job called name.
func (s *Store) NewLease(name string) *Lease {
	h := fnv.New64a()
	h.Write([]byte("tfpricing lease " + name))
	return &Lease{pool: s.pool, key: int64(h.Sum64())}
}

// Hold reports whether this replica holds the lease, trying to take it
// when it does not and checking the connection when it does (a lost
// connection lost the lock with it).
func (l *Lease) Hold(ctx context.Context) bool {
	if l.conn != nil {
		if err := l.conn.Ping(ctx); err == nil {
			return true
		}
		l.conn.Conn().Close(ctx)
		l.conn.Release()
		l.conn = nil
	}
	c, err := l.pool.Acquire(ctx)
	if err != nil {
		return false
	}
	var ok bool
	if err := c.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", l.key).Scan(&ok); err != nil || !ok {
		c.Release()
		return false
	}
	l.conn = c
	return true
}

// Release gives the lease up.
func (l *Lease) Release(ctx context.Context) {
	if l.conn == nil {
		return
	}
	_, _ = l.conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", l.key)
	l.conn.Release()
	l.conn = nil
}
