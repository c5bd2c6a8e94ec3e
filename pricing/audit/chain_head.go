package audit

import "fmt"

// HeadKeeper is what CheckHead reads of a store in the transaction that
// verified its chain: the chain head the store keeps beside the records,
// and a record.
type HeadKeeper interface {
	ChainHead() (ChainHead, error)
	Decision(seq uint64) (Decision, error)
}

// CheckHead compares a verified chain r with the chain head t keeps: nil
// when they agree (or r is already broken), else the report of the break —
// records removed from the end, added behind the store's back, or the last
// one replaced and rehashed. where names the store in the reasons ("the
// data file", "the database"). Both stores' VerifyChain end with it, so a
// bbolt file and a PostgreSQL book report the same break in the same words.
func CheckHead(t HeadKeeper, r ChainReport, where string) *ChainReport {
	if !r.OK {
		return nil
	}
	head, err := t.ChainHead()
	switch {
	case err != nil:
		return BrokenAt(r.Head, r.Head.Seq+1, "the chain head kept in "+where+" is unreadable: "+err.Error())
	case head.Seq > r.Head.Seq:
		return BrokenAt(r.Head, r.Head.Seq+1, fmt.Sprintf(
			"the chain ends at record %d but %s's chain head is record %d: records were removed from the end",
			r.Head.Seq, where, head.Seq))
	case head.Seq < r.Head.Seq:
		return BrokenAt(head, head.Seq+1, fmt.Sprintf(
			"record %d follows %s's chain head (record %d): records were added at the end", head.Seq+1, where, head.Seq))
	case head.Hash != r.Head.Hash:
		before := ChainHead{Seq: r.Head.Seq - 1}
		if last, err := t.Decision(r.Head.Seq); err == nil {
			before.Hash = last.PrevHash
		}
		return BrokenAt(before, r.Head.Seq, fmt.Sprintf(
			"record %d does not have the hash %s's chain head records: it was replaced", r.Head.Seq, where))
	}
	return nil
}

// BrokenAt is the report of a chain intact up to head and broken at seq.
func BrokenAt(head ChainHead, seq uint64, reason string) *ChainReport {
	if head.Hash == "" {
		head.Hash = GenesisHash
	}
	return &ChainReport{Checked: head.Seq, Head: head, FirstBrokenSeq: seq, Reason: reason}
}
