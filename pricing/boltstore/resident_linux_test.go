package boltstore

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

var testFixing = pricing.Fixing{EffectiveDate: tfpricing.NewDate(2026, 11, 20), OneYear: decimal.RequireFromString("3.00"),
	FiveYear: decimal.RequireFromString("3.50")}

// rssFileKiB reads RssFile (file-backed resident pages) of this process.
func rssFileKiB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "RssFile:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no RssFile line")
	return 0
}

// After a walk of every page (the start-up check does one), the mapped
// pages are resident; ReleaseMapped takes them out of the resident set and
// leaves every byte readable as before.
func TestReleaseMappedDropsResidentPages(t *testing.T) {
	s := openTemp(t)
	value := bytes.Repeat([]byte("x"), 64<<10)
	const n = 640 // 40 MiB of values
	if err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQuotes)
		for i := range n {
			if err := b.Put(itob(uint64(i+1)), value); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before, err := s.ContentDigest()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	touched := rssFileKiB(t)
	if err := s.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	released := rssFileKiB(t)
	// 40 MiB were read through the mapping; at least 30 MiB of them must
	// have left the resident set (the rest of RssFile is the test binary).
	if touched-released < 30<<10 {
		t.Fatalf("RssFile %d KiB after reading the file, %d KiB after ReleaseMapped: want ≥ 30 MiB less", touched, released)
	}
	after, err := s.ContentDigest()
	if err != nil || after != before {
		t.Fatalf("content digest %s (%v) after release, %s before", after, err, before)
	}
	// Writes go on after a release as before.
	if err := s.Update(context.Background(), func(tx loanbook.Tx) error { return tx.PutFixing(testFixing) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}
