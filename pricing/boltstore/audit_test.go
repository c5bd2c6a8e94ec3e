package boltstore

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// openTemp opens a store over a new file in a temporary directory.
func openTemp(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(tb.TempDir(), "a.db"), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("data file check: %v", err)
		}
		s.Close()
	})
	return s
}

// appendSynthetic appends n small decisions, perTx to a transaction: a
// chain is a chain whatever the records say.
func appendSynthetic(tb testing.TB, s *Store, n, perTx int) {
	tb.Helper()
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for done := 0; done < n; done += perTx {
		err := s.db.Update(func(btx *bolt.Tx) error {
			tx := &txn{tx: btx}
			for i := done; i < min(done+perTx, n); i++ {
				raw := json.RawMessage(fmt.Sprintf(`{"n":%d,"note":"synthetic"}`, i))
				d := audit.Decision{Kind: audit.DecisionCatalogueLoad, Actor: tfpricing.Actor{KeyID: "system", Role: "system"},
					RecordedAt: at.Add(time.Duration(i) * time.Millisecond), BusinessDate: tfpricing.NewDate(2026, 11, 27),
					Inputs: raw, Outputs: raw, EngineVersion: audit.EngineVersion}
				if err := tx.AppendDecision(&d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// edit changes the decisions bucket and the chain head directly, as
// someone with the file would.
func edit(t *testing.T, s *Store, fn func(b, meta *bolt.Bucket)) {
	t.Helper()
	if err := s.db.Update(func(tx *bolt.Tx) error {
		fn(tx.Bucket(bucketDecisions), tx.Bucket(bucketMeta))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func record(t *testing.T, b *bolt.Bucket, seq uint64) audit.Decision {
	t.Helper()
	canonical, err := storedfmt.DecodeDecision(b.Get(itob(seq)))
	if err != nil {
		t.Fatal(err)
	}
	d, err := audit.DecodeDecision(canonical)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// seal rehashes d onto prev, as someone rewriting history would, and
// returns its stored form (compressed, as the store writes).
func seal(t *testing.T, d *audit.Decision, prev string) []byte {
	t.Helper()
	if err := d.Seal(prev); err != nil {
		t.Fatal(err)
	}
	return storedfmt.EncodeDecision(d.CanonicalBytes())
}

func verifyStore(t *testing.T, s *Store, pins ...audit.Checkpoint) audit.ChainReport {
	t.Helper()
	pub, _ := testKey()
	r, err := s.VerifyChain(context.Background(), pins, pub)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func testKey() (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed([]byte(strings.Repeat("boltstore-audit!", 2)))
	return priv.Public().(ed25519.PublicKey), priv
}

func TestVerifyChainAcrossBatches(t *testing.T) {
	defer func(n int) { verifyBatch = n }(verifyBatch)
	verifyBatch = 7
	s := openTemp(t)
	if r := verifyStore(t, s); !r.OK || r.Checked != 0 || r.Head.Hash != audit.GenesisHash {
		t.Errorf("empty store: %+v", r)
	}
	appendSynthetic(t, s, 50, 20)
	var head audit.ChainHead
	_ = s.View(context.Background(), func(tx loanbook.Tx) (err error) { head, err = tx.ChainHead(); return })
	if r := verifyStore(t, s); !r.OK || r.Checked != 50 || r.Head != head {
		t.Errorf("50 records in batches of 7: %+v, head %+v", r, head)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.VerifyChain(ctx, nil, nil); err == nil {
		t.Error("a cancelled verification reported no error")
	}
}

// The store's own bookkeeping catches what a chain alone cannot: records
// renumbered under other keys, and changes at the end of the chain.
func TestVerifyChainChecksStoreBookkeeping(t *testing.T) {
	defer func(n int) { verifyBatch = n }(verifyBatch)
	verifyBatch = 4
	cases := []struct {
		name   string
		change func(t *testing.T, b, meta *bolt.Bucket)
		broken uint64
		reason string
	}{
		{"keys renumbered", func(t *testing.T, b, _ *bolt.Bucket) {
			for seq := uint64(10); seq >= 6; seq-- {
				v := bytes.Clone(b.Get(itob(seq)))
				_ = b.Delete(itob(seq))
				_ = b.Put(itob(seq+100), v)
			}
		}, 6, "stored under the key of record 106"},
		{"a stored frame damaged", func(t *testing.T, b, _ *bolt.Bucket) {
			v := bytes.Clone(b.Get(itob(7)))
			v[len(v)/2] ^= 0x55
			_ = b.Put(itob(7), v)
		}, 7, ""},
		{"a record stored uncompressed (as before compression) and altered", func(t *testing.T, b, _ *bolt.Bucket) {
			d := record(t, b, 5)
			d.Actor.KeyID = "someone-else"
			_ = b.Put(itob(5), d.CanonicalBytes())
		}, 5, ""},
		{"last record removed", func(t *testing.T, b, _ *bolt.Bucket) { _ = b.Delete(itob(10)) },
			10, "records were removed from the end"},
		{"last record replaced and rehashed", func(t *testing.T, b, _ *bolt.Bucket) {
			d := record(t, b, 10)
			d.Actor.KeyID = "someone-else"
			_ = b.Put(itob(10), seal(t, &d, d.PrevHash))
		}, 10, "it was replaced"},
		{"record appended behind the store's back", func(t *testing.T, b, _ *bolt.Bucket) {
			d := record(t, b, 10)
			prev := d.Hash
			d.Seq = 11
			_ = b.Put(itob(11), seal(t, &d, prev))
		}, 11, "records were added at the end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openTemp(t)
			appendSynthetic(t, s, 10, 10)
			edit(t, s, func(b, meta *bolt.Bucket) { c.change(t, b, meta) })
			r := verifyStore(t, s)
			if r.OK || r.FirstBrokenSeq != c.broken || !strings.Contains(r.Reason, c.reason) {
				t.Errorf("report %+v, want broken at %d (%q)", r, c.broken, c.reason)
			}
			if r.Checked != c.broken-1 || r.Head.Seq != c.broken-1 {
				t.Errorf("report %+v: want %d intact records", r, c.broken-1)
			}
		})
	}
}

// A chain rewritten from record 3 on, chain head and all, verifies; the
// checkpoint signed before the rewrite catches it.
func TestVerifyChainWithCheckpoint(t *testing.T) {
	s := openTemp(t)
	appendSynthetic(t, s, 10, 10)
	pub, priv := testKey()
	var cp audit.Checkpoint
	edit(t, s, func(b, meta *bolt.Bucket) {
		cp = audit.SignCheckpoint(priv, 8, record(t, b, 8).Hash, time.Now())
		prev := record(t, b, 2).Hash
		for seq := uint64(3); seq <= 10; seq++ {
			d := record(t, b, seq)
			if seq == 3 {
				d.Actor.KeyID = "someone-else"
			}
			_ = b.Put(itob(seq), seal(t, &d, prev))
			prev = d.Hash
		}
		_ = meta.Put(keyChainHead, []byte(fmt.Sprintf("10 %s", prev)))
	})
	if r := verifyStore(t, s); !r.OK || r.Checked != 10 {
		t.Fatalf("a consistently rewritten chain: %+v", r)
	}
	r := verifyStore(t, s, cp)
	if r.OK || r.FirstBrokenSeq != 8 || !strings.Contains(r.Reason, "checkpoint") {
		t.Errorf("with the checkpoint: %+v", r)
	}
	_, other, _ := ed25519.GenerateKey(nil)
	forged := audit.SignCheckpoint(other, 8, cp.HeadHash, time.Now())
	if _, err := s.VerifyChain(context.Background(), []audit.Checkpoint{forged}, pub); err == nil {
		t.Error("a checkpoint signed by another key was accepted")
	}
}

// A backup is a valid data file with the same content, taken while the
// store stays open.
func TestBackup(t *testing.T) {
	s := openTemp(t)
	appendSynthetic(t, s, 25, 25)
	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Backup(f)
	if err != nil || f.Close() != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Size() != n {
		t.Errorf("wrote %d bytes, file has %d", n, fi.Size())
	}
	b, err := Open(path, Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	want, _ := s.ContentDigest()
	if got, _ := b.ContentDigest(); got != want {
		t.Error("the backup's content differs from the store's")
	}
	if r := verifyStore(t, b); !r.OK || r.Checked != 25 {
		t.Errorf("backup chain: %+v", r)
	}
}

// Records are stored compressed and read back as the canonical bytes their
// hash covers; records of a file written before compression (the canonical
// bytes themselves) keep reading and verifying beside them, in one chain.
func TestDecisionsStoredCompressed(t *testing.T) {
	s := openTemp(t)
	appendSynthetic(t, s, 6, 3)
	canonical := map[uint64][]byte{}
	edit(t, s, func(b, _ *bolt.Bucket) {
		for seq := uint64(1); seq <= 6; seq++ {
			v := b.Get(itob(seq))
			if v[0] != 0x02 {
				t.Fatalf("record %d stored as % x…, want the version-2 envelope", seq, v[:4])
			}
			d := record(t, b, seq)
			canonical[seq] = d.CanonicalBytes()
			if seq <= 3 { // as an old file holds them
				_ = b.Put(itob(seq), canonical[seq])
			}
		}
	})
	if r := verifyStore(t, s); !r.OK || r.Checked != 6 {
		t.Fatalf("a chain of old and new records: %+v", r)
	}
	for seq := uint64(1); seq <= 6; seq++ {
		raw, err := s.DecisionRecord(seq)
		if err != nil || !bytes.Equal(raw, canonical[seq]) {
			t.Errorf("DecisionRecord(%d) = %q, %v; want the canonical bytes", seq, raw, err)
		}
		if d, err := decisionAt(s, seq); err != nil || d.Seq != seq || !bytes.Equal(d.CanonicalBytes(), canonical[seq]) {
			t.Errorf("Decision(%d): %+v, %v", seq, d, err)
		}
	}
	var recs [][]byte
	_ = s.View(context.Background(), func(tx loanbook.Tx) (err error) { recs, err = tx.DecisionRecords(2, 4); return })
	if len(recs) != 4 || !bytes.Equal(recs[0], canonical[2]) || !bytes.Equal(recs[3], canonical[5]) {
		t.Errorf("DecisionRecords(2, 4): %d records", len(recs))
	}
	var kinds []audit.Decision
	_ = s.View(context.Background(), func(tx loanbook.Tx) (err error) {
		kinds, _, err = tx.Decisions(loanbook.DecisionFilter{Kind: audit.DecisionCatalogueLoad}, 0, 10)
		return
	})
	if len(kinds) != 6 {
		t.Errorf("kind filter over old and new records: %d, want 6", len(kinds))
	}
}

func decisionAt(s *Store, seq uint64) (d audit.Decision, err error) {
	err = s.View(context.Background(), func(tx loanbook.Tx) error { d, err = tx.Decision(seq); return err })
	return d, err
}

// A batch longer than storedfmt.VerifyChunk is decompressed and verified a
// chunk at a time, in parallel within a chunk; a damaged record in a later
// chunk is still the one named.
func TestVerifyChainInChunks(t *testing.T) {
	s := openTemp(t)
	n := uint64(2*storedfmt.VerifyChunk + 50)
	appendSynthetic(t, s, int(n), 500)
	if r := verifyStore(t, s); !r.OK || r.Checked != n {
		t.Fatalf("%d records: %+v", n, r)
	}
	bad := uint64(storedfmt.VerifyChunk + 7)
	edit(t, s, func(b, _ *bolt.Bucket) {
		v := bytes.Clone(b.Get(itob(bad)))
		v[len(v)-6] ^= 0x01 // inside the frame's checksum
		_ = b.Put(itob(bad), v)
	})
	if r := verifyStore(t, s); r.OK || r.FirstBrokenSeq != bad || r.Checked != bad-1 {
		t.Errorf("record %d damaged: %+v", bad, r)
	}
}
