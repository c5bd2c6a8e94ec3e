package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
)

// The fast path reads exactly what the full decode reads.
func TestScanSealedAgreesWithDecode(t *testing.T) {
	chain := chainOf(t, 6)
	odd := policyLoad(t, shippedPolicy(t), 7, chain[5].Hash)
	// Strings with escapes and quotes, which the scanner must skip whole.
	odd.Actor.RequestID = `a"b\\"c\` + "\u2028\n{[,}]"
	odd.LoanID = `L-"hash":"` + strings.Repeat("0", 64) + `"`
	odd.QuoteID = `Q-,"prev_hash":"` + strings.Repeat("1", 64) + `","seq":1,"v":1}`
	odd.Outputs = json.RawMessage(`{"prev_hash":"` + strings.Repeat("2", 64) + `","seq":99,"v":1}`)
	chain = append(chain, reseal(t, odd, chain[5].Hash))
	for _, d := range chain {
		stored := d.CanonicalBytes()
		r, ok := scanSealed(stored)
		if !ok {
			t.Fatalf("record %d: not scanned:\n%s", d.Seq, stored)
		}
		if r.seq != d.Seq || string(r.prevHash) != d.PrevHash || string(r.hash) != d.Hash {
			t.Errorf("record %d: scanned %d %s %s", d.Seq, r.seq, r.prevHash, r.hash)
		}
		body, err := d.canonical(false)
		if err != nil {
			t.Fatal(err)
		}
		if got := append(append([]byte(nil), r.before...), r.after...); !bytes.Equal(got, body) {
			t.Errorf("record %d: hashed text\n%s\nwant\n%s", d.Seq, got, body)
		}
	}
}

// Every single-byte change to a stored record breaks the chain at it, as
// the full decode did: the fast path accepts only the bytes sealed.
func TestAddRecordEveryByteTampered(t *testing.T) {
	chain := chainOf(t, 3)
	stored := chain[2].CanonicalBytes()
	head := ChainHead{Seq: 2, Hash: chain[1].Hash}
	for i := range stored {
		b := bytes.Clone(stored)
		b[i] = otherByte(b[i])
		v := ResumeChainVerifier(head)
		if v.AddRecord(b) {
			t.Fatalf("byte %d (%q → %q) changed and the record still verifies", i, stored[i], b[i])
		}
		if r := v.Report(); r.FirstBrokenSeq != 3 {
			t.Fatalf("byte %d: broken at %d, want 3", i, r.FirstBrokenSeq)
		}
	}
}

// Records that are not laid out as sealed take the full decode, which
// accepts what canonicalises to the sealed record and refuses the rest
// with its reasons.
func TestAddRecordFallsBackToDecode(t *testing.T) {
	chain := chainOf(t, 4)
	spaced := bytes.Replace(chain[3].CanonicalBytes(), []byte(`,"kind":`), []byte(`, "kind" : `), 1)
	if r, ok := scanSealed(spaced); ok && sealedIntact(sha256.New(), r) {
		t.Fatal("a record with whitespace passed the fast path")
	}
	v := ResumeChainVerifier(ChainHead{Seq: 3, Hash: chain[2].Hash})
	if !v.AddRecord(spaced) {
		t.Errorf("a record that canonicalises to the sealed one: %+v", v.Report())
	}
	cases := map[string]struct {
		edit   func([]byte) []byte
		reason string
	}{
		"output digest": {func(b []byte) []byte {
			return bytes.Replace(b, []byte(chain[3].OutputDigest), []byte("sha256:"+strings.Repeat("1", 64)), 1)
		}, "output_digest is not the digest"},
		"unknown key": {func(b []byte) []byte { return bytes.Replace(b, []byte(`"v":1}`), []byte(`"v":1,"w":2}`), 1) },
			"does not decode"},
		"hash missing": {func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"hash":"`+chain[3].Hash+`",`), nil, 1)
		}, "does not decode"},
	}
	for name, c := range cases {
		v := ResumeChainVerifier(ChainHead{Seq: 3, Hash: chain[2].Hash})
		if v.AddRecord(c.edit(chain[3].CanonicalBytes())) {
			t.Errorf("%s: verified", name)
		}
		if r := v.Report(); r.FirstBrokenSeq != 4 || !strings.Contains(r.Reason, c.reason) {
			t.Errorf("%s: %+v, want %q", name, r, c.reason)
		}
	}
}

// AddRecords gives AddRecord's outcome, record by record, however the
// batch is split among goroutines.
func TestAddRecordsMatchesAddRecord(t *testing.T) {
	const n = 1200
	stored, head := storedChain(t, n)
	v := NewChainVerifier()
	if !v.AddRecords(stored[:700]) || !v.AddRecords(stored[700:]) {
		t.Fatalf("intact batches: %+v", v.Report())
	}
	if r := v.Report(); !r.OK || r.Checked != n || r.Head.Hash != head {
		t.Errorf("intact batches: %+v", r)
	}
	tampered := append([][]byte(nil), stored...)
	tampered[900] = bytes.Replace(bytes.Clone(stored[900]), []byte(`"rate":"`), []byte(`"rate":"1`), 1)
	one, batch := NewChainVerifier(), NewChainVerifier()
	for _, b := range tampered {
		if !one.AddRecord(b) {
			break
		}
	}
	batch.AddRecords(tampered)
	if a, b := one.Report(), batch.Report(); a != b || b.FirstBrokenSeq != 901 {
		t.Errorf("tampered batch: %+v, one by one: %+v", b, a)
	}
}

func BenchmarkVerifyChainStoredBatch(b *testing.B) {
	const n = 1024
	stored, _ := storedChain(b, n)
	b.SetBytes(int64(len(stored[0]) * n))
	b.ReportAllocs()
	for b.Loop() {
		if v := NewChainVerifier(); !v.AddRecords(stored) {
			b.Fatal(v.Report())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}
