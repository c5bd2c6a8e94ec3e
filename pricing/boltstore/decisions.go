package boltstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// Decision records are stored in storedfmt's decision envelope: their
// canonical bytes, exactly what the hash covers, compressed (or, in files
// written before that, as they are). Every reader here gets the canonical
// bytes back, so verification never depends on how this package encodes
// anything. The chain head lives in meta/ as "seq hash".

// appendFill is how full bbolt fills the pages of a bucket whose keys are
// only ever appended (decisions by sequence, loans by number) when it
// splits them: a page split at bbolt's default of one half would stay
// half empty, since nothing is ever inserted before the last key. Now
// that a decision is a few kilobytes rather than spilling onto overflow
// pages of its own, that half was most of the file's growth.
const appendFill = 1.0

// rewriteFill is the fill of the schedules bucket's pages: loans are booked
// in order, so its keys too are appended, but each value is rewritten in
// place at every repricing or attestation, a few bytes longer or shorter;
// a tenth of each page is left for that, so a rewrite seldom splits one.
const rewriteFill = 0.9

// AppendDecision implements loanbook.DecisionTx.
func (t *txn) AppendDecision(d *audit.Decision) error {
	head, err := t.ChainHead()
	if err != nil {
		return err
	}
	b := t.tx.Bucket(bucketDecisions)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	if seq != head.Seq+1 {
		return fmt.Errorf("boltstore: decision sequence %d does not follow the chain head %d", seq, head.Seq)
	}
	d.Seq = seq
	stored, err := d.SealRecord(head.Hash)
	if err != nil {
		return err
	}
	b.FillPercent = appendFill
	if err := b.Put(itob(seq), storedfmt.EncodeDecision(stored)); err != nil {
		return err
	}
	if d.LoanID != "" {
		if lk, ok := idKey(loanPrefix, d.LoanID); ok {
			if err := t.tx.Bucket(bucketDecisionsByLoan).Put(append(lk, itob(seq)...), nil); err != nil {
				return err
			}
		}
	}
	return t.tx.Bucket(bucketMeta).Put(keyChainHead, []byte(strconv.FormatUint(seq, 10)+" "+d.Hash))
}

// ChainHead implements loanbook.DecisionTx.
func (t *txn) ChainHead() (audit.ChainHead, error) {
	v := t.tx.Bucket(bucketMeta).Get(keyChainHead)
	if v == nil {
		return audit.ChainHead{Hash: audit.GenesisHash}, nil
	}
	seqText, hash, ok := strings.Cut(string(v), " ")
	seq, err := strconv.ParseUint(seqText, 10, 64)
	if !ok || err != nil {
		return audit.ChainHead{}, fmt.Errorf("%w: malformed chain head %q", ErrCorrupt, v)
	}
	return audit.ChainHead{Seq: seq, Hash: hash}, nil
}

// Decision implements loanbook.DecisionTx.
func (t *txn) Decision(seq uint64) (audit.Decision, error) {
	v := t.tx.Bucket(bucketDecisions).Get(itob(seq))
	if v == nil {
		return audit.Decision{}, notFound(fmt.Sprintf("decision %d", seq))
	}
	canonical, err := storedfmt.DecodeDecision(v)
	if err != nil {
		return audit.Decision{}, fmt.Errorf("boltstore: decision %d: %w", seq, err)
	}
	return audit.DecodeDecision(canonical)
}

// Decisions implements loanbook.DecisionTx.
func (t *txn) Decisions(f loanbook.DecisionFilter, after uint64, limit int) ([]audit.Decision, bool, error) {
	var out []audit.Decision
	take := func(seq uint64) (bool, error) {
		if len(out) == limit {
			return false, nil
		}
		d, err := t.Decision(seq)
		if err != nil {
			return false, err
		}
		if f.Match(d) {
			out = append(out, d)
		}
		return true, nil
	}
	if f.LoanID != "" {
		lk, ok := idKey(loanPrefix, f.LoanID)
		if !ok {
			return nil, false, nil
		}
		c := t.tx.Bucket(bucketDecisionsByLoan).Cursor()
		for k, _ := c.Seek(append(lk, itob(after+1)...)); k != nil && bytes.HasPrefix(k, lk); k, _ = c.Next() {
			if more, err := take(binary.BigEndian.Uint64(k[len(lk):])); err != nil || !more {
				return out, err == nil, err
			}
		}
		return out, false, nil
	}
	// A record is canonical, so one of the kind asked for holds the text
	// "kind":"<kind>"; records without it are skipped unparsed, which keeps
	// a kind filter over a long log cheap (those with it are decoded and
	// matched as usual). A compressed record is decompressed to look.
	var kindText []byte
	if f.Kind != "" {
		kindText = []byte(`"kind":"` + string(f.Kind) + `"`)
	}
	c := t.tx.Bucket(bucketDecisions).Cursor()
	for k, v := c.Seek(itob(after + 1)); k != nil; k, v = c.Next() {
		if kindText != nil && len(out) < limit {
			if canonical, err := storedfmt.DecodeDecision(v); err == nil && !bytes.Contains(canonical, kindText) {
				continue
			}
		}
		if more, err := take(binary.BigEndian.Uint64(k)); err != nil || !more {
			return out, err == nil, err
		}
	}
	return out, false, nil
}

// DecisionRecords implements loanbook.DecisionTx.
func (t *txn) DecisionRecords(from uint64, limit int) ([][]byte, error) {
	var out [][]byte
	c := t.tx.Bucket(bucketDecisions).Cursor()
	for k, v := c.Seek(itob(from)); k != nil && len(out) < limit; k, v = c.Next() {
		out = append(out, storedfmt.DecisionOrStored(v))
	}
	return out, nil
}
