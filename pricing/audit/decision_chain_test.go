package audit

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// feed returns a next function over records, for VerifyChain.
func feed(records []Decision) func() (Decision, bool, error) {
	i := 0
	return func() (Decision, bool, error) {
		if i >= len(records) {
			return Decision{}, false, nil
		}
		i++
		return records[i-1], true, nil
	}
}

func verify(t *testing.T, records []Decision) ChainReport {
	t.Helper()
	r, err := VerifyChain(feed(records))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func wantBroken(t *testing.T, name string, r ChainReport, seq uint64, reason string) {
	t.Helper()
	if r.OK || r.FirstBrokenSeq != seq || !strings.Contains(r.Reason, reason) {
		t.Errorf("%s: report %+v, want broken at %d (%q)", name, r, seq, reason)
	}
	if r.Checked != seq-1 || r.Head.Seq != seq-1 {
		t.Errorf("%s: checked %d, head %d, want %d intact records", name, r.Checked, r.Head.Seq, seq-1)
	}
}

func TestVerifyChainIntact(t *testing.T) {
	chain := chainOf(t, 10)
	r := verify(t, chain)
	if !r.OK || r.Checked != 10 || r.Head != (ChainHead{Seq: 10, Hash: chain[9].Hash}) || r.FirstBrokenSeq != 0 || r.Reason != "" {
		t.Errorf("intact chain: %+v", r)
	}
	if r := verify(t, nil); !r.OK || r.Checked != 0 || r.Head != (ChainHead{Hash: GenesisHash}) {
		t.Errorf("empty chain: %+v", r)
	}
}

func TestVerifyChainCatchesTampering(t *testing.T) {
	chain := chainOf(t, 10)
	edit := func(f func([]Decision) []Decision) []Decision {
		return f(append([]Decision(nil), chain...))
	}

	altered := edit(func(c []Decision) []Decision { c[4].Actor.KeyID = "tfp-dev-admin"; return c })
	wantBroken(t, "altered record", verify(t, altered), 5, "hash is not the hash of its content")

	// Altered and rehashed: record 5 is self-consistent, so the break shows
	// at the link from 6.
	rehashed := edit(func(c []Decision) []Decision {
		c[4].Actor.KeyID = "tfp-dev-admin"
		c[4] = reseal(t, c[4], c[3].Hash)
		return c
	})
	wantBroken(t, "altered and rehashed record", verify(t, rehashed), 6, "prev_hash of record 6 is not the hash of record 5")

	deleted := edit(func(c []Decision) []Decision { return append(c[:4], c[5:]...) })
	wantBroken(t, "deleted record", verify(t, deleted), 5, "expected record 5 after 4 but found record 6")

	// An inserted record that takes number 5 and links to 4 passes; the old
	// record 5 after it does not.
	inserted := edit(func(c []Decision) []Decision {
		extra := policyLoad(t, shippedPolicy(t), 5, c[3].Hash)
		extra.RecordedAt = extra.RecordedAt.Add(time.Hour)
		extra = reseal(t, extra, c[3].Hash)
		return append(c[:4], append([]Decision{extra}, c[4:]...)...)
	})
	wantBroken(t, "inserted record", verify(t, inserted), 6, "expected record 6 after 5 but found record 5")

	// Inserted and renumbered without rehashing: the renumbered record
	// fails its own hash.
	renumbered := edit(func(c []Decision) []Decision {
		extra := reseal(t, policyLoad(t, shippedPolicy(t), 5, c[3].Hash), c[3].Hash)
		rest := append([]Decision(nil), c[4:]...)
		for i := range rest {
			rest[i].Seq++
		}
		return append(c[:4], append([]Decision{extra}, rest...)...)
	})
	wantBroken(t, "inserted and renumbered", verify(t, renumbered), 6, "hash is not the hash of its content")

	swapped := edit(func(c []Decision) []Decision { c[4], c[5] = c[5], c[4]; return c })
	wantBroken(t, "swapped records", verify(t, swapped), 5, "expected record 5 after 4 but found record 6")

	// Swapped with their numbers and hashes made consistent again, except
	// for the links, which the swap cannot keep.
	swappedRenumbered := edit(func(c []Decision) []Decision {
		c[4], c[5] = c[5], c[4]
		c[4].Seq, c[5].Seq = 5, 6
		c[4] = reseal(t, c[4], c[4].PrevHash)
		return c
	})
	wantBroken(t, "swapped and renumbered", verify(t, swappedRenumbered), 5, "prev_hash of record 5")

	first := edit(func(c []Decision) []Decision { return c[1:] })
	wantBroken(t, "first record removed", verify(t, first), 1, "expected record 1 after 0 but found record 2")
}

// A store verifies in bounded batches, resuming where it stopped, from
// stored bytes.
func TestChainVerifierInBatches(t *testing.T) {
	chain := chainOf(t, 10)
	v := NewChainVerifier()
	for start := 0; start < len(chain); start += 3 {
		if next := v.Next(); next != uint64(start+1) {
			t.Fatalf("Next %d, want %d", next, start+1)
		}
		for _, d := range chain[start:min(start+3, len(chain))] {
			v.AddRecord(d.CanonicalBytes())
		}
	}
	if r := v.Report(); !r.OK || r.Checked != 10 {
		t.Errorf("batched: %+v", r)
	}
	// A record whose stored bytes no longer decode breaks the chain there.
	v = ResumeChainVerifier(ChainHead{Seq: 3, Hash: chain[2].Hash})
	v.AddRecord(chain[3].CanonicalBytes())
	v.AddRecord([]byte(strings.Replace(string(chain[4].CanonicalBytes()), `"seq":5`, `"seq":"5"`, 1)))
	if v.Add(chain[5]) {
		t.Error("Add after a break reported an intact chain")
	}
	r := v.Report()
	if r.OK || r.FirstBrokenSeq != 5 || r.Checked != 1 || !strings.Contains(r.Reason, "does not decode") {
		t.Errorf("undecodable record: %+v", r)
	}
}

func TestVerifyChainReadError(t *testing.T) {
	chain := chainOf(t, 3)
	i := 0
	boom := errors.New("disk on fire")
	r, err := VerifyChain(func() (Decision, bool, error) {
		if i == 2 {
			return Decision{}, false, boom
		}
		i++
		return chain[i-1], true, nil
	})
	if !errors.Is(err, boom) || r.Checked != 2 {
		t.Errorf("read error: %v, %+v", err, r)
	}
}

func BenchmarkVerifyChain(b *testing.B) {
	// A chain of loan decisions, each with a 12-period schedule: the common
	// record. The figure is per record.
	const n = 256
	chain := attestationChain(b, n)
	b.ReportAllocs()
	var v *ChainVerifier
	i := 0
	for b.Loop() {
		if i%n == 0 {
			v = NewChainVerifier()
		}
		if !v.Add(chain[i%n]) {
			b.Fatal(v.Report())
		}
		i++
	}
}

func BenchmarkVerifyChainStored(b *testing.B) {
	const n = 256
	stored, _ := storedChain(b, n)
	b.SetBytes(int64(len(stored[0])))
	b.ReportAllocs()
	var v *ChainVerifier
	i := 0
	for b.Loop() {
		if i%n == 0 {
			v = NewChainVerifier()
		}
		if !v.AddRecord(stored[i%n]) {
			b.Fatal(v.Report())
		}
		i++
	}
}
