package boltstore

import (
	bolt "go.etcd.io/bbolt"
)

// bbolt reads the file through a shared read-only mapping, and every page
// it has read stays in the process's page tables, so VmRSS grows toward the
// file size (3.6 GiB after verifying 200,000 decisions, 0.9 GiB after
// nothing but the start-up check) although the Go heap stays near 30 MiB.
// Those pages are clean page cache: the kernel keeps them cached either
// way, and dropping them from the mapping loses nothing but a minor fault
// on the next read. ReleaseMapped does that, so that resident memory
// measures what the service holds rather than how much of the file it has
// ever looked at.

// ReleaseMapped drops the file's mapped pages from the process's resident
// set (madvise MADV_DONTNEED on the mapping; the data stays in the page
// cache). It runs inside a read transaction, which holds bbolt's mmap lock,
// so the mapping cannot be replaced while it is advised. A no-op where the
// platform has no such advice.
func (s *Store) ReleaseMapped() error {
	return s.db.View(func(tx *bolt.Tx) error {
		info := s.db.Info()
		return releaseMapped(info.Data, uintptr(tx.Size()))
	})
}
