package boltstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"path/filepath"
	"syscall"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"tfpricing"
	"tfpricing/pricing/loanbook"
)

// classifyWrite turns a disk that cannot take writes (full, read-only,
// failing) into EUNAVAILABLE — a 503 the client may retry — and remembers
// it for readiness. The transaction was rolled back, so nothing is
// half-written.
func (s *Store) classifyWrite(err error) error {
	if err == nil {
		s.writeFailing.Store(false)
		return nil
	}
	for _, errno := range []error{syscall.ENOSPC, syscall.EROFS, syscall.EIO, syscall.EDQUOT, bolterrors.ErrDatabaseReadOnly} {
		if errors.Is(err, errno) {
			s.writeFailing.Store(true)
			return &tfpricing.Error{Code: tfpricing.EUNAVAILABLE, Message: "the data file cannot take writes right now; try again later", Err: err}
		}
	}
	return err
}

// MinFreeBytes is the free space below which the store reports not ready:
// a commit may need to grow the file by several pages at once.
const MinFreeBytes = 1 << 20

// Ready reports whether the store answers reads and can take writes: the
// file reads, its file system has MinFreeBytes free, and — while commits
// have been failing — a probe commit succeeds, so readiness comes back by
// itself when space returns.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.db.View(func(tx *bolt.Tx) error { return checkSchema(tx.Bucket(bucketMeta)) }); err != nil {
		return err
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(s.path), &fs); err == nil && fs.Bavail*uint64(fs.Bsize) < MinFreeBytes {
		return tfpricing.Errorf(tfpricing.EUNAVAILABLE, "less than %d bytes free beside the data file", MinFreeBytes)
	}
	if !s.writeFailing.Load() {
		return nil
	}
	return s.Update(ctx, func(loanbook.Tx) error { return nil })
}

// Check runs bbolt's consistency check over the whole file and returns the
// first problem found.
func (s *Store) Check() (err error) {
	defer func() {
		// Walking a damaged page can panic inside bbolt; report it as the
		// corruption it is rather than crash.
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	return s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		return nil
	})
}

// Stats returns bbolt's statistics, for /metrics.
func (s *Store) Stats() bolt.Stats { return s.db.Stats() }

// notFound is the error for a missing record.
func notFound(what string) error {
	return tfpricing.Errorf(tfpricing.ENOTFOUND, "%s not found", what)
}

// ContentDigest returns a SHA-256 over every bucket, key and value in the
// file, in byte order. Two files with the same content have the same digest
// whatever their page layout; tests use it to prove a refused request
// changed nothing.
func (s *Store) ContentDigest() (string, error) {
	h := sha256.New()
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return digestBucket(h, [][]byte{name}, b)
		})
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

func digestBucket(h hash.Hash, path [][]byte, b *bolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			return digestBucket(h, append(path, k), b.Bucket(k))
		}
		for _, p := range path {
			fmt.Fprintf(h, "%x/", p)
		}
		fmt.Fprintf(h, "%x=%x\n", k, v)
		return nil
	})
}
