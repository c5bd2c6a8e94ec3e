package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"tfpricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
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
// before) keeps them. Its compacted copy has 8 KB pages and its bare
// records compressed, with the same canonical bytes, so the same chain.
func TestPageSizeAndCompaction(t *testing.T) {
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
	if s, err = Open(old, Options{}); err != nil {
		t.Fatal(err)
	}
	appendSynthetic(t, s, 30, 7)
	var canonical [][]byte
	edit(t, s, func(b, _ *bolt.Bucket) { // as a file before compression holds them
		for seq := uint64(1); seq <= 30; seq++ {
			c := record(t, b, seq).CanonicalBytes()
			canonical = append(canonical, c)
			if seq%2 == 1 {
				_ = b.Put(itob(seq), c)
			}
		}
	})
	before := verifyStore(t, s)
	s.Close()
	if got := filePageSize(t, old); got != 4096 {
		t.Errorf("an existing 4 KB-page file now has %d-byte pages", got)
	}
	dst := filepath.Join(dir, "compact.db")
	if _, _, err := Compact(old, dst, time.Second); err != nil {
		t.Fatal(err)
	}
	if got := filePageSize(t, dst); got != 8192 {
		t.Errorf("the compacted copy has %d-byte pages, want 8192", got)
	}
	c, err := Open(dst, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if r := verifyStore(t, c); !r.OK || r.Head != before.Head || r.Checked != 30 {
		t.Errorf("the compacted chain: %+v, the source's %+v", r, before)
	}
	_ = c.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDecisions)
		for seq := uint64(1); seq <= 30; seq++ {
			if v := b.Get(itob(seq)); v[0] != 0x02 {
				t.Errorf("record %d stored as % x… after compaction", seq, v[:2])
			}
		}
		return nil
	})
	var recs [][]byte
	_ = c.View(context.Background(), func(tx loanbook.Tx) (err error) { recs, err = tx.DecisionRecords(1, 30); return })
	for i := range canonical {
		if i >= len(recs) || !bytes.Equal(recs[i], canonical[i]) {
			t.Fatalf("record %d reads back differently after compaction", i+1)
		}
	}
}

// Compaction stores a bare schedule state (as files before compression
// hold them) stamped, version 3, and it reads back whole, its stamp too.
func TestCompactionStampsSchedules(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	s, err := Open(old, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := loanbook.ScheduleState{LoanID: "L-00000005", CalculatedOn: tfpricing.MustParseDate("2025-06-15"),
		LatestFixing: tfpricing.MustParseDate("2025-05-20"), Revision: 2, DecisionSeq: 9, TotalInterest: decimal.RequireFromString("12.50")}
	bare, _ := json.Marshal(storedfmt.NewSchedule(st))
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSchedules).Put(itob(5), bare) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	dst := filepath.Join(dir, "compact.db")
	if _, _, err := Compact(old, dst, time.Second); err != nil {
		t.Fatal(err)
	}
	c, err := Open(dst, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketSchedules).Get(itob(5)); len(v) == 0 || v[0] != 0x03 {
			t.Errorf("schedule stored as % x… after compaction", v[:min(len(v), 2)])
		}
		return nil
	})
	_ = c.View(context.Background(), func(tx loanbook.Tx) error {
		got, err := tx.Schedule("L-00000005")
		if err != nil || got.Stamp() != st.Stamp() || !got.TotalInterest.Equal(st.TotalInterest) {
			t.Errorf("schedule after compaction %+v, %v", got, err)
		}
		if stamp, err := tx.ScheduleStamp("L-00000005"); err != nil || stamp != st.Stamp() {
			t.Errorf("stamp after compaction %+v, %v", stamp, err)
		}
		return nil
	})
}
