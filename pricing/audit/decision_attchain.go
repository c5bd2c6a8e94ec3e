package audit

import (
	"fmt"
	"strconv"
	"sync"

	"tfpricing"
	"tfpricing/pricing"
)

// AttestationChain references a loan's attestations without copying them
// (loan inputs layout 2, issue 18): the first Count of them in arrival
// order, the last with sequence ThroughSeq, and Chain, a running hash over
// their stored records. A loan's attestations are append-only and arrive in
// sequence order (a later one is computed against the schedule state the
// earlier one left), so the first Count stored ones are exactly the ones a
// decision saw. With
//
//	D_0 = GenesisHash (64 zeros)
//	D_k = hex SHA-256( D_{k-1} as 64 hex digits || EncodeAttestation(att_k) )
//
// Chain is D_Count. The decision that records the reference is itself in
// the hash chain, so altering, removing or inserting a stored attestation
// is found by replay, which recomputes D from the store.
type AttestationChain struct {
	Count      int
	ThroughSeq uint64
	Chain      string
}

// NoAttestations is the reference to no attestation at all.
var NoAttestations = AttestationChain{Chain: GenesisHash}

// ChainAttestations returns the reference to atts, in the order given.
func ChainAttestations(atts []pricing.Attestation) (AttestationChain, error) {
	return NoAttestations.Extend(atts...)
}

// Extend returns the reference to the attestations c references followed
// by atts. Each of atts must have a sequence after c's last one.
func (c AttestationChain) Extend(atts ...pricing.Attestation) (AttestationChain, error) {
	for _, a := range atts {
		if a.Seq <= c.ThroughSeq {
			return AttestationChain{}, tfpricing.Errorf(tfpricing.EINTERNAL,
				"attestation %d does not follow attestation %d", a.Seq, c.ThroughSeq)
		}
		rec, err := EncodeAttestation(a)
		if err != nil {
			return AttestationChain{}, tfpricing.Errorf(tfpricing.EINTERNAL, "attestation %d: %v", a.Seq, err)
		}
		c = AttestationChain{Count: c.Count + 1, ThroughSeq: a.Seq, Chain: chainHash(c.Chain, rec)}
	}
	return c, nil
}

// attestationChainRecord is the stored form of an AttestationChain, under
// "earlier_attestations" of layout-2 loan inputs.
type attestationChainRecord struct {
	Chain      string `json:"chain"`
	Count      int    `json:"count"`
	ThroughSeq uint64 `json:"through_seq"`
}

func newAttestationChainRecord(c *AttestationChain) *attestationChainRecord {
	if c == nil {
		return nil
	}
	return &attestationChainRecord{Chain: c.Chain, Count: c.Count, ThroughSeq: c.ThroughSeq}
}

func (rec *attestationChainRecord) chain(r *recReader, path string) *AttestationChain {
	if rec == nil {
		return nil
	}
	if !isHexHash(rec.Chain) {
		r.fail(path+"chain", "hash", "must be 64 lower-case hex digits")
	}
	if rec.Count < 0 {
		r.fail(path+"count", "negative", "may not be negative")
	}
	if (rec.Count == 0) != (rec.ThroughSeq == 0) || (rec.Count == 0 && rec.Chain != GenesisHash) {
		r.fail(path+"count", "inconsistent", "no attestation is through_seq 0 and the genesis chain, and only that")
	}
	return &AttestationChain{Count: rec.Count, ThroughSeq: rec.ThroughSeq, Chain: rec.Chain}
}

// LoanAttestations gives replay a loan's stored attestations, in arrival
// order (none for an unknown loan): a loan decision of layout 2 references
// them instead of copying them. The store's transaction satisfies it, on
// the live store and on a backup file alike.
type LoanAttestations interface {
	Attestations(loanID string) ([]pricing.Attestation, error)
}

// earlierAttestations reads the attestations in.Earlier references from
// docs and checks them against it: a count or chain that the store no
// longer gives is a difference (under "inputs.earlier_attestations."), and
// the stored attestations are returned all the same, so that the outputs
// they give are compared too.
func earlierAttestations(d Decision, docs Documents, ref AttestationChain) ([]pricing.Attestation, []Difference, error) {
	var prior []pricing.Attestation
	var got AttestationChain
	var err error
	if cd, ok := docs.(cachedDocuments); ok {
		prior, got, err = cd.memo.through(cd.Documents, d.LoanID, ref.ThroughSeq)
	} else {
		prior, got, err = readThrough(docs, d.LoanID, ref.ThroughSeq)
	}
	if err != nil {
		return nil, nil, replayFailed(d, "the loan's attestations cannot be read", err)
	}
	var diffs []Difference
	const path = "inputs.earlier_attestations."
	if got.Count != ref.Count {
		diffs = append(diffs, Difference{Path: path + "count", Recorded: strconv.Itoa(ref.Count), Replayed: strconv.Itoa(got.Count)})
	}
	if got.Chain != ref.Chain {
		diffs = append(diffs, Difference{Path: path + "chain", Recorded: leafText(ref.Chain), Replayed: leafText(got.Chain)})
	}
	return prior, diffs, nil
}

// readThrough reads loan's attestations with a sequence up to through and
// chains them.
func readThrough(docs Documents, loanID string, through uint64) ([]pricing.Attestation, AttestationChain, error) {
	src, ok := docs.(LoanAttestations)
	if !ok {
		return nil, AttestationChain{}, fmt.Errorf("these documents give no attestations")
	}
	all, err := src.Attestations(loanID)
	if err != nil {
		return nil, AttestationChain{}, err
	}
	n := 0
	for n < len(all) && all[n].Seq <= through {
		n++
	}
	c, err := ChainAttestations(all[:n])
	return all[:n:n], c, err
}

// attestationMemo keeps, for one wrapped Documents (one transaction), each
// loan's attestations and the chain after each of them, so that replaying
// a loan's thousand decisions reads and hashes its attestations once, not
// once per decision. It never outlives the transaction it reads.
type attestationMemo struct {
	mu    sync.Mutex
	loans map[string]*loanMemo
}

type loanMemo struct {
	atts   []pricing.Attestation
	chains []string // chains[k] is D_k; grown as far as asked
}

func (m *attestationMemo) through(docs Documents, loanID string, through uint64) ([]pricing.Attestation, AttestationChain, error) {
	if m == nil {
		return readThrough(docs, loanID, through)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	lm, ok := m.loans[loanID]
	if !ok {
		src, ok := docs.(LoanAttestations)
		if !ok {
			return nil, AttestationChain{}, fmt.Errorf("these documents give no attestations")
		}
		all, err := src.Attestations(loanID)
		if err != nil {
			return nil, AttestationChain{}, err
		}
		lm = &loanMemo{atts: all, chains: []string{GenesisHash}}
		m.loans[loanID] = lm
	}
	n := 0
	for n < len(lm.atts) && lm.atts[n].Seq <= through {
		n++
	}
	for k := len(lm.chains); k <= n; k++ {
		prev := AttestationChain{Count: k - 1, Chain: lm.chains[k-1]}
		if k > 1 {
			prev.ThroughSeq = lm.atts[k-2].Seq
		}
		c, err := prev.Extend(lm.atts[k-1])
		if err != nil {
			return nil, AttestationChain{}, err
		}
		lm.chains = append(lm.chains, c.Chain)
	}
	c := AttestationChain{Count: n, Chain: lm.chains[n]}
	if n > 0 {
		c.ThroughSeq = lm.atts[n-1].Seq
	}
	return lm.atts[:n:n], c, nil
}
