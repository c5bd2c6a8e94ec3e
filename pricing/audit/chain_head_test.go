package audit_test

import (
	"errors"
	"strings"
	"testing"

	"tfpricing/pricing/audit"
)

// keeper is a store's kept chain head and its last record's prev hash.
type keeper struct {
	head     audit.ChainHead
	err      error
	lastPrev string
}

func (k keeper) ChainHead() (audit.ChainHead, error) { return k.head, k.err }
func (k keeper) Decision(seq uint64) (audit.Decision, error) {
	return audit.Decision{Seq: seq, PrevHash: k.lastPrev}, nil
}

// TestCheckHead: a chain verified to record 10 (hash "h10") against the head
// a store keeps. Equal → no break; kept head one beyond (11) → records were
// removed, broken at 11 after an intact 10; kept head one short (9) →
// records added behind the store's back, broken at 10 after the kept 9; same
// seq, other hash → record 10 replaced, broken at 10 with 9 (hash = record
// 10's prev) intact. The one-off cases are the comparisons' exact
// boundaries: swapping > and < makes the first two fail.
func TestCheckHead(t *testing.T) {
	verified := audit.ChainReport{OK: true, Checked: 10, Head: audit.ChainHead{Seq: 10, Hash: "h10"}}
	cases := []struct {
		name        string
		k           keeper
		brokenAt    uint64
		intactTo    audit.ChainHead
		reasonParts []string
	}{
		{"agrees", keeper{head: audit.ChainHead{Seq: 10, Hash: "h10"}}, 0, audit.ChainHead{}, nil},
		{"removed", keeper{head: audit.ChainHead{Seq: 11, Hash: "h11"}}, 11, audit.ChainHead{Seq: 10, Hash: "h10"},
			[]string{"the chain ends at record 10 but the database's chain head is record 11: records were removed from the end"}},
		{"added", keeper{head: audit.ChainHead{Seq: 9, Hash: "h9"}}, 10, audit.ChainHead{Seq: 9, Hash: "h9"},
			[]string{"record 10 follows the database's chain head (record 9): records were added at the end"}},
		{"replaced", keeper{head: audit.ChainHead{Seq: 10, Hash: "other"}, lastPrev: "h9"}, 10, audit.ChainHead{Seq: 9, Hash: "h9"},
			[]string{"record 10 does not have the hash the database's chain head records: it was replaced"}},
		{"unreadable", keeper{err: errors.New("bad page")}, 11, audit.ChainHead{Seq: 10, Hash: "h10"},
			[]string{"the chain head kept in the database is unreadable: bad page"}},
	}
	for _, c := range cases {
		got := audit.CheckHead(c.k, verified, "the database")
		if c.brokenAt == 0 {
			if got != nil {
				t.Errorf("%s: got a break %+v, want none", c.name, *got)
			}
			continue
		}
		if got == nil {
			t.Fatalf("%s: no break reported", c.name)
		}
		if got.OK || got.FirstBrokenSeq != c.brokenAt || got.Head != c.intactTo || got.Checked != c.intactTo.Seq {
			t.Errorf("%s: got %+v, want broken at %d after %+v", c.name, *got, c.brokenAt, c.intactTo)
		}
		for _, p := range c.reasonParts {
			if got.Reason != p {
				t.Errorf("%s: reason %q, want %q", c.name, got.Reason, p)
			}
		}
	}
	// A chain already broken is not compared with the kept head.
	if got := audit.CheckHead(keeper{head: audit.ChainHead{Seq: 99}}, audit.ChainReport{FirstBrokenSeq: 3}, "x"); got != nil {
		t.Errorf("broken chain: got %+v, want nil", *got)
	}
	// A break at record 1 has the genesis hash before it.
	if got := audit.BrokenAt(audit.ChainHead{}, 1, "r"); got.Head.Hash != audit.GenesisHash || !strings.HasPrefix(got.Reason, "r") {
		t.Errorf("BrokenAt at 1: %+v", *got)
	}
}
