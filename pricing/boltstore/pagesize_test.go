package boltstore

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func filePageSize(t *testing.T, path string) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return db.Info().PageSize
}

// A new data file has 8 KB pages; a file made with 4 KB pages (every file
// before) keeps them, and so does its compacted copy.
func TestPageSize(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "new.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	appendSynthetic(t, s, 3, 3)
	s.Close()
	if got := filePageSize(t, filepath.Join(dir, "new.db")); got != 8192 {
		t.Errorf("a new file has %d-byte pages, want 8192", got)
	}
	old := filepath.Join(dir, "old.db")
	db, err := bolt.Open(old, 0o600, &bolt.Options{PageSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = Open(old, Options{})
	if err != nil {
		t.Fatal(err)
	}
	appendSynthetic(t, s, 3, 3)
	s.Close()
	if got := filePageSize(t, old); got != 4096 {
		t.Errorf("an existing 4 KB-page file now has %d-byte pages", got)
	}
	dst := filepath.Join(dir, "compact.db")
	if _, _, err := Compact(old, dst, time.Second); err != nil {
		t.Fatal(err)
	}
	if got := filePageSize(t, dst); got != 4096 {
		t.Errorf("the compacted copy of a 4 KB-page file has %d-byte pages", got)
	}
	_ = os.Remove(dst)
}
