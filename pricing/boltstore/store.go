// Package boltstore implements loanbook.Store over a bbolt file.
//
// Bucket tree (created once, at Open; every value is JSON unless noted):
//
//	meta/                    schema_version → "1"; created → RFC 3339 time
//	documents/
//	  catalogue/             "sha256:…" digest → canonical catalogue JSON
//	  policy/                "sha256:…" digest → canonical policy JSON
//	quotes/                  big-endian quote number (id "Q-00000042") → storedfmt.Quote
//	loans/                   big-endian loan number (id "L-00000042") → storedfmt.EncodeLoan (zstd; bare JSON and version 1 read too)
//	attestations/            loan key ‖ big-endian arrival seq → storedfmt.Attestation
//	                         (one loan's attestations are one contiguous range)
//	schedules/               loan key → storedfmt.Schedule (the materialised schedule's state)
//	fixings/                 "YYYY-MM-DD" → storedfmt.Fixing (published LPR fixings)
//	idempotency/             scope NUL Idempotency-Key → idempotencyHeader JSON, newline (v1: then the raw response)
//	decisions/               big-endian decision seq → storedfmt.EncodeDecision of the canonical record (hashed)
//	decisions_by_loan/       loan key ‖ big-endian seq → empty (index)
//	meta/chain_head          "seq hash" of the last decision
//	proposals/, lifecycles/  DESIGN.md §5.1: see proposals.go
//
// Keys that order records (sequences, ids) are big-endian uint64 so that
// byte order is numeric order: from NextSequence, except attestation
// sequences, which the loan book hands out because it computes an
// attestation before its write transaction; PutAttestation raises the
// bucket's sequence to the highest stored. Values read inside a
// transaction are copied before it ends: bbolt's slices point into the mmap
// and are invalid afterwards.
package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// SchemaVersion is the layout version written to meta/schema_version. Open
// refuses a file with a different version rather than misread it.
const SchemaVersion = "1"

var (
	bucketMeta            = []byte("meta")
	bucketDocuments       = []byte("documents")
	bucketQuotes          = []byte("quotes")
	bucketLoans           = []byte("loans")
	bucketAttestations    = []byte("attestations")
	bucketSchedules       = []byte("schedules")
	bucketFixings         = []byte("fixings")
	bucketIdempotency     = []byte("idempotency")
	bucketDecisions       = []byte("decisions")
	bucketDecisionsByLoan = []byte("decisions_by_loan")
	keyChainHead          = []byte("chain_head")
	keySchema             = []byte("schema_version")
	keyCreated            = []byte("created")
)

// docKinds are the sub-buckets of documents/.
var docKinds = []audit.DocKind{audit.DocCatalogue, audit.DocPolicy}

// Sentinel errors of Open. They wrap the cause, so errors.Is works and the
// message tells an operator what to do.
var (
	// ErrLocked means another process holds the data file.
	ErrLocked = errors.New("the data file is locked by another process (is tfpricing already running?)")
	// ErrCorrupt means the file is not a readable tfpricing database.
	ErrCorrupt = errors.New("the data file is not a valid tfpricing database; restore it from a backup")
	// ErrSchema means the file was written by an incompatible version.
	ErrSchema = errors.New("the data file has an unsupported schema version")
)

// Options configure Open.
type Options struct {
	LockTimeout time.Duration // how long to wait for the file lock
	ReadOnly    bool          // for offline audit tools on a backup copy
	// BatchSize is the most Updates committed in one transaction (group
	// commit, see commit.go); 0 means 256.
	BatchSize int
}

// Store is a bbolt-backed loanbook.Store.
type Store struct {
	db   *bolt.DB
	path string
	// writeFailing is set while commits fail for lack of space or a
	// read-only disk, so readiness can report it; a successful commit
	// clears it.
	writeFailing atomic.Bool
	writer       *groupCommit // nil when read-only
}

// Open opens (creating when missing, unless read-only) the data file at path
// and makes sure every bucket exists.
func Open(path string, opt Options) (*Store, error) {
	if !opt.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("boltstore: %s: %w", path, err)
		}
	}
	db, err := openBolt(path, opt)
	if err != nil {
		return nil, fmt.Errorf("boltstore: %s: %w", path, classifyOpen(err))
	}
	s := &Store{db: db, path: path}
	if err := s.init(opt.ReadOnly); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("boltstore: %s: %w", path, err)
	}
	if !opt.ReadOnly {
		size := opt.BatchSize
		if size <= 0 {
			size = 256
		}
		s.writer = newGroupCommit(db, size)
	}
	return s, nil
}

// openBolt opens the file, turning a panic inside bbolt (it panics on some
// damaged freelist and meta pages) into ErrCorrupt so start-up can fail
// with a message instead of a stack trace.
func openBolt(path string, opt Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	o := &bolt.Options{Timeout: opt.LockTimeout, ReadOnly: opt.ReadOnly}
	if fi, err := os.Stat(path); errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
		// Only a new file gets pageSize: bbolt reads an existing file's
		// from its meta pages, and when both are unreadable it assumes the
		// size it was given — the OS's, which every older file has.
		o.PageSize = pageSize
	}
	return bolt.Open(path, 0o600, o)
}

// pageSize is the page size of a new data file (an existing file, and its
// compacted copy, keep the one it was made with). Compressed,
// a decision is 1–4 KB, and bbolt puts at least two values on a leaf page
// and never splits one across pages, so on 4 KB pages a quarter of the
// decisions bucket was slack; on 8 KB pages it is about a tenth (a 10,000-
// loan book after four repricings: 2,130 bytes of pages per decision on 4
// KB pages, 1,788 on 8 KB; BENCHMARKS.md, "Issue 18: storage"). An
// fsync'd commit writes its few dirty pages either way and took the same
// time on this machine.
const pageSize = 8192

func classifyOpen(err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("%w: %v", ErrLocked, err)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return err
}

// init creates the bucket tree and checks the schema version. Read-only
// opens only check.
func (s *Store) init(readOnly bool) (err error) {
	defer func() {
		// bbolt panics on some corrupt pages; a damaged file must stop
		// start-up with a message, not a stack trace.
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	if readOnly {
		return s.db.View(func(tx *bolt.Tx) error { return checkSchema(tx.Bucket(bucketMeta)) })
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if meta.Get(keySchema) == nil {
			if err := meta.Put(keySchema, []byte(SchemaVersion)); err != nil {
				return err
			}
			if err := meta.Put(keyCreated, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
				return err
			}
		}
		if err := checkSchema(meta); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketQuotes, bucketLoans, bucketAttestations, bucketSchedules, bucketFixings, bucketIdempotency, bucketDecisions, bucketDecisionsByLoan, bucketProposals, bucketLifecycles, bucketEmissions} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		docs, err := tx.CreateBucketIfNotExists(bucketDocuments)
		if err != nil {
			return err
		}
		for _, k := range docKinds {
			if _, err := docs.CreateBucketIfNotExists([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
}

func checkSchema(meta *bolt.Bucket) error {
	if meta == nil {
		return fmt.Errorf("%w: no meta bucket", ErrCorrupt)
	}
	if v := string(meta.Get(keySchema)); v != SchemaVersion {
		return fmt.Errorf("%w: found %q, this build reads %q", ErrSchema, v, SchemaVersion)
	}
	return nil
}

// Close commits the Updates already queued and closes the data file.
func (s *Store) Close() error {
	if s.writer != nil {
		s.writer.close()
	}
	return s.db.Close()
}

// View implements loanbook.Store.
func (s *Store) View(ctx context.Context, fn func(loanbook.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(tx *bolt.Tx) error { return fn(&txn{tx: tx}) })
}

// Update implements loanbook.Store with group commit (see commit.go):
// concurrent calls share one transaction and one fsync, and each returns
// only after that commit is durable. A call whose fn fails is re-run alone
// and the others are re-run without it, which is why fn must be
// idempotent — derive everything from what it reads.
func (s *Store) Update(ctx context.Context, fn func(loanbook.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.writer == nil {
		return s.classifyWrite(bolterrors.ErrDatabaseReadOnly)
	}
	return s.classifyWrite(s.writer.do(func(tx *bolt.Tx) error { return fn(&txn{tx: tx}) }))
}
