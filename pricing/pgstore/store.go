// Package pgstore implements loanbook.Store over PostgreSQL, so that
// several replicas of the service share one loan book.
//
// Schema (migrations/00001_schema.sql, applied at Open by goose under its
// PostgreSQL advisory lock, so replicas starting together migrate once):
//
//	meta          key → value (schema notes)
//	chain_head    one row: seq and hash of the last decision ("" = genesis);
//	              every write transaction locks it first (SELECT … FOR UPDATE);
//	              and the newest fixing's date, kept by a trigger on fixings
//	              (migrations/00005_fixings_stamp.sql)
//	counters      quote / loan → the last number handed out
//	attestation_seq  a sequence: attestation arrival numbers, unique across replicas
//	documents     (kind, digest) → canonical catalogue / policy bytes
//	quotes        quote number → storedfmt.Quote
//	loans         loan number → storedfmt.Loan
//	attestations  (loan number, seq) → storedfmt.Attestation
//	schedules     loan number → storedfmt.Schedule, with its stamp in columns
//	              (the record inline below ≈ 8 KB, not compressed again, and the
//	              table at fillfactor 70 so updates stay HOT: migrations/00006)
//	fixings       "YYYY-MM-DD" → storedfmt.Fixing
//	idempotency   scope NUL key (bytea, unique) → idempotencyRecord
//	decisions     seq → canonical record bytes (hashed), loan number, kind;
//	              indexed by (loan_num, seq) and (kind, seq); the record
//	              (zstd already) is neither compressed again nor moved to
//	              TOAST below ≈ 8 KB (migrations/00004_decisions_inline.sql)
//	leases        name → holder, expiry: which replica runs a background job
//
// Records are storedfmt's private, tagged, versioned JSON (boltstore's too),
// stored as bytea so their bytes are exactly what was written; decisions
// are stored as the same canonical bytes bbolt stores, so their hashes are
// identical whichever store holds them.
//
// Concurrency: every write transaction starts by locking the chain_head
// row, so write transactions of all replicas are serialised on it and the
// chain can neither fork nor gap, and no two write transactions can wait on
// each other's rows in opposite orders (no deadlocks). To keep throughput
// above one transaction per request, Updates within a replica are batched
// into one transaction (group commit, commit.go), as boltstore does.
package pgstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"tfpricing"
	"tfpricing/pricing/loanbook"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configure Open.
type Options struct {
	// BatchSize is the most Updates committed in one transaction; 0 means 256.
	BatchSize int
	// ReadOnly opens for the audit tools: no migrations, no writes.
	ReadOnly bool
	// MaxConns is the pool size; 0 means 16.
	MaxConns int32
	// Tracer, when set, is told of every query and batch the pool's
	// connections send (for metrics and the round-trip benchmarks).
	Tracer pgx.QueryTracer
}

// Store is a PostgreSQL-backed loanbook.Store.
type Store struct {
	pool     *pgxpool.Pool
	viewMode pgx.TxAccessMode
	writer   *groupCommit // nil when read-only
}

// Open connects to the database at url (postgres://…), applies the
// embedded migrations (unless read-only) and starts the group-commit
// writer. The connection runs with synchronous_commit = on: a commit is
// acknowledged only when it is durable.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	cfg.ConnConfig.RuntimeParams["application_name"] = "tfpricing"
	cfg.MaxConns = 16
	cfg.ConnConfig.Tracer = opt.Tracer
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	s := &Store{pool: pool, viewMode: pgx.ReadWrite}
	if opt.ReadOnly {
		s.viewMode = pgx.ReadOnly
	}
	if !opt.ReadOnly {
		if err := s.migrate(ctx); err != nil {
			pool.Close()
			return nil, err
		}
		size := opt.BatchSize
		if size <= 0 {
			size = 256
		}
		s.writer = newGroupCommit(pool, size)
	} else if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	return s, nil
}

// migrate applies the embedded migrations with goose, under goose's
// PostgreSQL session advisory lock.
func (s *Store) migrate(ctx context.Context) error {
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 120))
	if err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, subFS(), goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("pgstore: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("pgstore: migrating the schema: %w", err)
	}
	return nil
}

// Close commits the Updates already queued and closes the pool.
func (s *Store) Close() error {
	if s.writer != nil {
		s.writer.close()
	}
	s.pool.Close()
	return nil
}

// View implements loanbook.Store: a REPEATABLE READ transaction, so every
// read of fn sees one snapshot. It writes nothing (it is rolled back); it
// is declared read-only only for the audit tools (Options.ReadOnly), as
// the service's attestations take their sequence number (nextval) in it.
//
// An attestation's first read runs before BEGIN (prefetch.go); when what
// fn read after it cannot be squared with it (errStaleSnapshot), fn is run
// once more in one snapshot from the start.
func (s *Store) View(ctx context.Context, fn func(loanbook.Tx) error) error {
	err := s.view(ctx, fn, s.viewMode != pgx.ReadOnly)
	if errors.Is(err, errStaleSnapshot) {
		err = s.view(ctx, fn, false)
	}
	return classify(err)
}

func (s *Store) view(ctx context.Context, fn func(loanbook.Tx) error, ahead bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return unavailable(err)
	}
	begin := "BEGIN ISOLATION LEVEL REPEATABLE READ"
	if s.viewMode == pgx.ReadOnly {
		begin += " READ ONLY"
	}
	p := newPipe(conn, begin) // BEGIN goes with the first read
	defer p.release()
	t := &txn{ctx: ctx, tx: p, pipe: p, pool: s.pool, ahead: ahead, scanFixings: s.viewMode == pgx.ReadOnly}
	p.first = []read{t.latestRead()} // the snapshot's first read
	return fn(t)
}

// Update implements loanbook.Store with group commit: concurrent calls of
// this replica share one transaction and one commit. fn may run again
// (see loanbook.Store).
func (s *Store) Update(ctx context.Context, fn func(loanbook.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.writer == nil {
		return tfpricing.Errorf(tfpricing.EUNAVAILABLE, "the store is open read-only")
	}
	return classify(s.writer.do(ctx, fn))
}

// Ready reports whether the database answers.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var one int
	if err := s.pool.QueryRow(ctx, "SELECT 1 FROM chain_head").Scan(&one); err != nil {
		return unavailable(err)
	}
	return nil
}

// Pool returns the connection pool, for metrics and the lease.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// DB returns a database/sql handle over the pool (for tools).
func (s *Store) DB() *sql.DB { return stdlib.OpenDBFromPool(s.pool) }

// notFound is the error for a missing record.
func notFound(what string) error {
	return tfpricing.Errorf(tfpricing.ENOTFOUND, "%s not found", what)
}

// errCorrupt marks a stored value this build cannot read.
var errCorrupt = errors.New("pgstore: malformed stored value")
