package audit

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"runtime"
	"sort"
	"sync"

	"tfpricing"
)

// ChainHead identifies the last record of a verified chain; before any
// record it is sequence 0 with GenesisHash.
type ChainHead struct {
	Seq  uint64
	Hash string
}

// ChainReport is the outcome of verifying the decision chain. Checked
// counts the records found intact and Head is the last of them. When OK is
// false, FirstBrokenSeq is the first sequence number at which the chain
// cannot be trusted and Reason says why.
type ChainReport struct {
	OK             bool
	Checked        uint64
	Head           ChainHead
	FirstBrokenSeq uint64
	Reason         string
}

// ChainVerifier checks decision records one at a time, in sequence order,
// so a store can feed it in bounded batches (one read transaction per
// batch) and a million records never hold one transaction. Each record must
// pass its own hash check, carry the next sequence number (1, 2, 3, … with
// no gap, repeat or swap) and link by PrevHash to the hash of the record
// before it. Records pinned by signed checkpoints must have the hash the
// checkpoint signed: that is what detects a history rewritten and rehashed
// from end to end. The first failure is kept and later records are ignored.
type ChainVerifier struct {
	head        ChainHead
	checked     uint64
	firstBroken uint64
	reason      string
	pins        []Checkpoint // by Seq
	sha         hash.Hash    // reused by AddRecord
}

// NewChainVerifier verifies a chain from its first record.
func NewChainVerifier() *ChainVerifier {
	return &ChainVerifier{head: ChainHead{Hash: GenesisHash}}
}

// ResumeChainVerifier verifies the records after head, a record already
// verified (say, by an earlier run, or the record of a checked checkpoint).
func ResumeChainVerifier(head ChainHead) *ChainVerifier {
	return &ChainVerifier{head: head}
}

// Pin makes the verifier require the checkpointed hash at cp.Seq, once
// cp's signature verifies with pub.
func (v *ChainVerifier) Pin(cp Checkpoint, pub ed25519.PublicKey) error {
	if err := cp.Verify(pub); err != nil {
		return err
	}
	i := sort.Search(len(v.pins), func(i int) bool { return v.pins[i].Seq > cp.Seq })
	v.pins = append(v.pins[:i], append([]Checkpoint{cp}, v.pins[i:]...)...)
	return nil
}

// Next is the sequence number the verifier expects next: where a store
// resumes reading in its next batch.
func (v *ChainVerifier) Next() uint64 { return v.head.Seq + 1 }

// Broken reports whether a failure has been found.
func (v *ChainVerifier) Broken() bool { return v.firstBroken != 0 }

// Add checks the next record and reports whether the chain is still
// intact; once it is not, the caller may stop reading.
func (v *ChainVerifier) Add(d Decision) bool {
	return v.add(d, d.VerifyHash)
}

// add checks d, using verifyHash for its own hash check.
func (v *ChainVerifier) add(d Decision, verifyHash func() error) bool {
	if v.Broken() {
		return false
	}
	want := v.Next()
	if d.Seq != want {
		v.fail(want, fmt.Sprintf("expected record %d after %d but found record %d: records are missing, repeated or out of order",
			want, v.head.Seq, d.Seq))
		return false
	}
	if err := verifyHash(); err != nil {
		v.fail(want, tfpricing.ErrorMessage(err))
		return false
	}
	if d.PrevHash != v.head.Hash {
		v.fail(want, fmt.Sprintf("the prev_hash of record %d is not the hash of record %d: one of them was rewritten",
			want, v.head.Seq))
		return false
	}
	for _, cp := range v.pins {
		if cp.Seq == d.Seq && cp.HeadHash != d.Hash {
			v.fail(want, fmt.Sprintf("record %d does not have the hash signed in the checkpoint of %s: the history up to it was rewritten",
				d.Seq, cp.SignedAt.UTC().Format(timestampLayout)))
			return false
		}
	}
	v.head = ChainHead{Seq: d.Seq, Hash: d.Hash}
	v.checked++
	return true
}

// AddRecord is Add for a stored record: one that does not decode breaks the
// chain at the expected sequence number. It does not keep stored, so a
// store may pass bytes valid only inside its read transaction.
//
// A record stored as sealed is checked without decoding it: its hash is
// taken over the stored bytes without their "hash" member (see
// scanSealed), which proves the bytes are those sealed. Any other record
// (not laid out canonically, or whose hash fails) is decoded in full, which
// says what is wrong with it. Whether the inputs still decode and compute
// to the recorded outputs and digest is replay's business.
func (v *ChainVerifier) AddRecord(stored []byte) bool {
	if v.Broken() {
		return false
	}
	if v.sha == nil {
		v.sha = sha256.New()
	}
	if r, ok := scanSealed(stored); ok && sealedIntact(v.sha, r) {
		return v.add(Decision{Seq: r.seq, PrevHash: string(r.prevHash), Hash: string(r.hash)},
			func() error { return nil })
	}
	d, err := DecodeDecision(stored)
	if err != nil {
		v.fail(v.Next(), fmt.Sprintf("record %d does not decode: %s", v.Next(), tfpricing.ErrorMessage(err)))
		return false
	}
	return v.add(d, func() error { return d.verifyCanonical(d.Inputs, d.Outputs) })
}

// AddRecords is AddRecord for consecutive stored records, in order: what a
// store reads in one transaction. The records' own hash checks run on up to GOMAXPROCS goroutines, since they
// are independent; the chain checks then run in order, so the outcome is
// exactly that of AddRecord on each record in turn. It keeps none of the
// slices.
func (v *ChainVerifier) AddRecords(stored [][]byte) bool {
	if v.Broken() {
		return false
	}
	checked := make([]sealedCheck, len(stored))
	workers := min(runtime.GOMAXPROCS(0), (len(stored)+255)/256)
	if workers <= 1 {
		checkSealed(checked, stored)
	} else {
		var wg sync.WaitGroup
		chunk := (len(stored) + workers - 1) / workers
		for lo := 0; lo < len(stored); lo += chunk {
			hi := min(lo+chunk, len(stored))
			wg.Go(func() { checkSealed(checked[lo:hi], stored[lo:hi]) })
		}
		wg.Wait()
	}
	for i, c := range checked {
		ok := false
		if c.ok {
			ok = v.add(Decision{Seq: c.seq, PrevHash: c.prevHash, Hash: c.hash}, func() error { return nil })
		} else {
			ok = v.AddRecord(stored[i]) // decoded in full, to say what is wrong
		}
		if !ok {
			return false
		}
	}
	return true
}

// sealedCheck is the outcome of a stored record's own checks.
type sealedCheck struct {
	ok             bool
	seq            uint64
	prevHash, hash string
}

func checkSealed(out []sealedCheck, stored [][]byte) {
	h := sha256.New()
	for i, b := range stored {
		if r, ok := scanSealed(b); ok && sealedIntact(h, r) {
			out[i] = sealedCheck{ok: true, seq: r.seq, prevHash: string(r.prevHash), hash: string(r.hash)}
		}
	}
}

// sealedIntact reports whether r's hash is that of its stored bytes,
// using h.
func sealedIntact(h hash.Hash, r sealedRecord) bool {
	var sum [sha256.Size]byte
	var text [2 * sha256.Size]byte
	h.Reset()
	h.Write(r.prevHash)
	h.Write(r.before)
	h.Write(r.after)
	hex.Encode(text[:], h.Sum(sum[:0]))
	return bytes.Equal(text[:], r.hash)
}

func (v *ChainVerifier) fail(seq uint64, reason string) {
	v.firstBroken, v.reason = seq, reason
}

// Report returns the outcome; call it after the last record. A checkpoint
// pinned beyond the last record means records were removed from the end.
func (v *ChainVerifier) Report() ChainReport {
	r := ChainReport{OK: !v.Broken(), Checked: v.checked, Head: v.head, FirstBrokenSeq: v.firstBroken, Reason: v.reason}
	if r.OK && len(v.pins) > 0 {
		if last := v.pins[len(v.pins)-1]; last.Seq > v.head.Seq {
			r.OK, r.FirstBrokenSeq = false, v.head.Seq+1
			r.Reason = fmt.Sprintf("the chain ends at record %d but a signed checkpoint covers record %d: records were removed",
				v.head.Seq, last.Seq)
		}
	}
	return r
}

// VerifyChain verifies the records next yields, from sequence 1, until it
// reports no more or the chain breaks. An error from next is returned as
// is: failing to read is not evidence of tampering. Stores verifying in
// batches, or from stored bytes, use ChainVerifier directly.
func VerifyChain(next func() (Decision, bool, error)) (ChainReport, error) {
	v := NewChainVerifier()
	for {
		d, ok, err := next()
		if err != nil {
			return v.Report(), err
		}
		if !ok || !v.Add(d) {
			return v.Report(), nil
		}
	}
}
