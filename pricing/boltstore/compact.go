package boltstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"tfpricing/pricing/storedfmt"
)

// compactTxMaxSize is how many bytes of keys and values compaction copies
// per write transaction into the new file: large enough that a
// 100,000-loan book needs a few hundred commits, small enough to bound the
// dirty pages held in memory.
const compactTxMaxSize = 64 << 20

// Compact copies the data file at src into a new file at dst the way
// bbolt.Compact does — every bucket, key and value rewritten in order into
// fresh, full pages (of pageSize), free pages left behind — except that the
// records an older file holds bare (decisions, loans and schedule states
// written before they were compressed) are stored in storedfmt's
// compressed envelope: their JSON, and so every decision's hash, is
// unchanged, and a 10,000-loan book of 925 MB became ≈ 100 MB. Every
// other value is copied byte for byte.
//
// src is opened read-only and must not be held by a running service: a
// file still locked after lockTimeout is refused with ErrLocked. dst must
// not exist; the copy is written beside it, synced, and renamed into place
// only when complete, so an interrupted compaction leaves no dst. It
// returns the sizes of src and dst in bytes.
func Compact(src, dst string, lockTimeout time.Duration) (before, after int64, err error) {
	if _, err := os.Stat(dst); err == nil {
		return 0, 0, fmt.Errorf("%s exists; not overwriting it", dst)
	} else if !errors.Is(err, os.ErrNotExist) {
		return 0, 0, err
	}
	fi, err := os.Stat(src)
	if err != nil {
		return 0, 0, fmt.Errorf("boltstore: %w", err)
	}
	from, err := openBolt(src, Options{ReadOnly: true, LockTimeout: lockTimeout})
	if err != nil {
		return 0, 0, fmt.Errorf("boltstore: %s: %w", src, classifyOpen(err))
	}
	defer from.Close()
	if err := (&Store{db: from, path: src}).init(true); err != nil {
		return 0, 0, fmt.Errorf("boltstore: %s: %w", src, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tfpricing-compact-*")
	if err != nil {
		return 0, 0, err
	}
	tmpName := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(tmpName) // a no-op once renamed
	to, err := bolt.Open(tmpName, 0o600, &bolt.Options{Timeout: lockTimeout, PageSize: pageSize})
	if err != nil {
		return 0, 0, err
	}
	if err := compactInto(to, from, compactTxMaxSize); err != nil {
		_ = to.Close()
		return 0, 0, fmt.Errorf("boltstore: compacting %s: %w", src, err)
	}
	if err := to.Sync(); err != nil {
		_ = to.Close()
		return 0, 0, err
	}
	if err := to.Close(); err != nil {
		return 0, 0, err
	}
	if _, err := os.Stat(dst); err == nil {
		return 0, 0, fmt.Errorf("%s appeared while compacting; not overwriting it", dst)
	}
	if err := os.Rename(tmpName, dst); err != nil {
		return 0, 0, err
	}
	return fi.Size(), fileSize(dst), nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// packedBuckets are the top-level buckets whose bare JSON values Compact
// stores compressed.
var packedBuckets = map[string]bool{string(bucketDecisions): true, string(bucketLoans): true, string(bucketSchedules): true}

// compactInto is bbolt.Compact (bbolt v1.5's compact.go, with its walk)
// with one change: a value of packedBuckets that is bare JSON goes into
// the compressed envelope.
func compactInto(dst, src *bolt.DB, txMaxSize int64) error {
	tx, err := dst.Begin(true)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	var size int64
	var put func(path [][]byte, b *bolt.Bucket) error
	put = func(path [][]byte, from *bolt.Bucket) error {
		return from.ForEach(func(k, v []byte) error {
			sz := int64(len(k) + len(v))
			if size+sz > txMaxSize {
				if err := tx.Commit(); err != nil {
					return err
				}
				if tx, err = dst.Begin(true); err != nil {
					return err
				}
				size = 0
			}
			size += sz
			to := tx.Bucket(path[0])
			for _, name := range path[1:] {
				to = to.Bucket(name)
			}
			to.FillPercent = 1.0
			if v == nil { // a nested bucket
				sub := from.Bucket(k)
				nb, err := to.CreateBucket(k)
				if err != nil {
					return err
				}
				if err := nb.SetSequence(sub.Sequence()); err != nil {
					return err
				}
				return put(append(path, k), sub)
			}
			if len(path) == 1 && packedBuckets[string(path[0])] && len(v) > 0 && v[0] == '{' {
				if string(path[0]) == string(bucketSchedules) {
					// Stamped (version 3), as PutSchedule writes them.
					var err error
					if v, err = storedfmt.PackSchedule(v); err != nil {
						return fmt.Errorf("boltstore: compact: schedule %s: %w", k, err)
					}
				} else {
					v = storedfmt.Pack(v)
				}
			}
			return to.Put(k, v)
		})
	}
	err = src.View(func(stx *bolt.Tx) error {
		return stx.ForEach(func(name []byte, b *bolt.Bucket) error {
			nb, err := tx.CreateBucket(name)
			if err != nil {
				return err
			}
			if err := nb.SetSequence(b.Sequence()); err != nil {
				return err
			}
			return put([][]byte{name}, b)
		})
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}
