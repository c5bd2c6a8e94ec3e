package boltstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// compactTxMaxSize is how many bytes of keys and values bbolt.Compact copies
// per write transaction into the new file: large enough that a
// 100,000-loan book needs a few hundred commits, small enough to bound the
// dirty pages held in memory.
const compactTxMaxSize = 64 << 20

// Compact copies the data file at src into a new file at dst with bbolt's
// own compaction (bbolt.Compact: every bucket, key and value rewritten in
// order into fresh pages of the same size, free pages left behind). The
// record bytes are unchanged; only the file's page layout is (an older
// file's records stay as they were stored, uncompressed ones included).
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
	// The copy keeps the source's page size: a file of uncompressed
	// records, most of them on overflow pages, would only grow on larger
	// pages (a 10,000-loan book of 925 MB became 964 MB on 8 KB pages).
	to, err := bolt.Open(tmpName, 0o600, &bolt.Options{Timeout: lockTimeout, PageSize: from.Info().PageSize})
	if err != nil {
		return 0, 0, err
	}
	if err := bolt.Compact(to, from, compactTxMaxSize); err != nil {
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
