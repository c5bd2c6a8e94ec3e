package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// DecisionKind names what a decision record is about (DESIGN.md §6).
type DecisionKind string

// The decision kinds. Booking, attestation, correction, repricing and sweep
// are loan decisions: each records the loan's recomputed schedule.
const (
	DecisionQuote         DecisionKind = "quote"
	DecisionBooking       DecisionKind = "booking"
	DecisionAttestation   DecisionKind = "attestation"
	DecisionCorrection    DecisionKind = "correction"
	DecisionRepricing     DecisionKind = "repricing"
	DecisionSweep         DecisionKind = "sweep"
	DecisionCatalogueLoad DecisionKind = "catalogue_load"
	DecisionPolicyLoad    DecisionKind = "policy_load"
	DecisionSimulation    DecisionKind = "simulation"
)

// Valid reports whether k is a known kind.
func (k DecisionKind) Valid() bool {
	return k.IsLoan() || k == DecisionQuote || k == DecisionCatalogueLoad || k == DecisionPolicyLoad ||
		k == DecisionSimulation || isProposalKind(k) || k == DecisionSecondPartyOpinion ||
		k == DecisionEmissions
}

// IsLoan reports whether k records a loan's recomputed schedule, with
// LoanInputs and LoanOutputs.
func (k DecisionKind) IsLoan() bool {
	switch k {
	case DecisionBooking, DecisionAttestation, DecisionCorrection, DecisionRepricing, DecisionSweep,
		DecisionAmendment, DecisionDeclassification:
		return true
	}
	return false
}

// EngineVersion names the pricing engine's results. Bump it whenever any
// recorded output could come out differently for the same inputs, so that
// a replay mismatch can be told from tampering. Version 2 added eligibility
// rule 9 (new_capacity_at_benchmark); replay reassesses a version-1 quote
// with the eight rules it was decided under (RuleSetOf).
const EngineVersion = "tfpricing-engine/2"

// engineVersion1 is the engine of the eight eligibility rules.
const engineVersion1 = "tfpricing-engine/1"

// RuleSetOf returns the eligibility rules an engine version applied.
func RuleSetOf(engineVersion string) catalog.RuleSet {
	if engineVersion == engineVersion1 {
		return catalog.EightRules
	}
	return catalog.CurrentRules
}

// GenesisHash is the PrevHash of the first decision (sequence 1).
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Decision is one decision record: what was decided, from what, by which
// engine and reference documents, chained to the record before it.
type Decision struct {
	Seq           uint64
	Kind          DecisionKind
	LoanID        string          // "" when not about a loan
	QuoteID       string          // for quote and booking
	Actor         tfpricing.Actor // key id, role, request id ("system" for sweeps)
	RecordedAt    time.Time       // wall clock, UTC, given by the caller
	BusinessDate  tfpricing.Date
	AsOf          tfpricing.Date
	Inputs        json.RawMessage // canonical JSON of the kind's inputs
	Catalogue     *catalog.Ref
	Policy        *pricing.PolicyRef
	Fixings       []pricing.Fixing // the LPR fixings the computation used
	EngineVersion string
	Outputs       json.RawMessage // canonical JSON of the outputs
	OutputDigest  string          // "sha256:" + hex over Outputs
	PrevHash      string          // hex; GenesisHash for the first record
	Hash          string          // hex SHA-256 over PrevHash || canonical record without Hash

	// known is an implementation detail of sealing and replay, invisible
	// to users of the value: what this package already knows canonical.
	known *knownCanonical
}

// Seal completes a decision for appending after the record whose hash is
// prevHash: it canonicalises Inputs and Outputs and sets OutputDigest,
// PrevHash and Hash. The hash is SHA-256 over the 64 ASCII hex digits of
// prevHash followed by CanonicalBytes of the record without its "hash" key.
// A record that could not be replayed or verified is refused (EINTERNAL:
// the caller built it wrong).
func (d *Decision) Seal(prevHash string) error {
	_, err := d.SealRecord(prevHash)
	return err
}

// SealRecord is Seal returning the stored form as well (CanonicalBytes of
// the sealed record), built from the already canonical inputs and outputs
// so that storing a record does not canonicalise it a second time.
func (d *Decision) SealRecord(prevHash string) ([]byte, error) {
	var bad []string
	switch {
	case !isHexHash(prevHash):
		bad = append(bad, "prev_hash is not 64 lower-case hex digits")
	case (d.Seq == 1) != (prevHash == GenesisHash):
		bad = append(bad, "only sequence 1 follows the genesis hash")
	}
	if d.Seq == 0 {
		bad = append(bad, "seq starts at 1")
	}
	if !d.Kind.Valid() {
		bad = append(bad, fmt.Sprintf("kind %q is unknown", d.Kind))
	}
	if d.RecordedAt.IsZero() {
		bad = append(bad, "recorded_at is not set")
	}
	if d.EngineVersion == "" {
		bad = append(bad, "engine_version is not set")
	}
	inputs, outputs := d.Inputs, d.Outputs
	known := d.inputsCanonical() && d.outputsCanonical()
	if !known {
		var err error
		if inputs, err = canonicalObject(d.Inputs); err != nil {
			bad = append(bad, "inputs: "+err.Error())
		}
		if outputs, err = canonicalObject(d.Outputs); err != nil {
			bad = append(bad, "outputs: "+err.Error())
		}
	}
	if len(bad) > 0 {
		return nil, tfpricing.Errorf(tfpricing.EINTERNAL, "cannot seal decision %d: %s", d.Seq, strings.Join(bad, "; "))
	}
	d.Inputs, d.Outputs = inputs, outputs
	d.RecordedAt = d.RecordedAt.UTC().Round(0) // Round(0) drops the monotonic reading
	d.OutputDigest, d.PrevHash, d.Hash = "", prevHash, ""
	if d.known != nil {
		d.OutputDigest = d.known.digest
	}
	if !known || d.OutputDigest == "" {
		d.OutputDigest = canon.Digest(outputs)
	}
	// inputs and outputs are canonical now: assemble them without parsing
	// them again (they are most of the record's bytes). The stored form is
	// the hashed one with the hash member added; "hash" sorts just before
	// "inputs", which every record has. The record is written once, with
	// room for the hash member, and hashed around that room.
	stored, inputsAt, err := d.assembleAt(inputs, outputs, false, true)
	if err != nil {
		return nil, tfpricing.Errorf(tfpricing.EINTERNAL, "cannot seal decision %d: %v", d.Seq, err)
	}
	d.Hash = chainHash(prevHash, stored[:inputsAt], stored[inputsAt+len(hashRoom):])
	copy(stored[inputsAt+len(`"hash":"`):], d.Hash)
	return stored, nil
}

// CanonicalBytes is the stored form of the record: its canonical JSON with
// "v": 1, the timestamp in RFC 3339 UTC and Inputs and Outputs embedded as
// JSON. It is nil only for a record whose Inputs or Outputs are not JSON,
// which Seal and DecodeDecision never produce.
func (d Decision) CanonicalBytes() []byte {
	b, err := d.canonical(true)
	if err != nil {
		return nil
	}
	return b
}

// VerifyHash checks the record on its own: that OutputDigest is the digest
// of Outputs and Hash the hash of the record. Whether it links to the
// record before it is the chain's business (ChainVerifier).
func (d Decision) VerifyHash() error {
	outputs, err := canon.Canonical(d.Outputs)
	if err != nil {
		return integrity(d.Seq, "its outputs are not JSON")
	}
	inputs, err := canon.Canonical(d.Inputs)
	if err != nil {
		return integrity(d.Seq, "its inputs are not JSON")
	}
	return d.verifyCanonical(inputs, outputs)
}

// verifyCanonical is VerifyHash for inputs and outputs known to be
// canonical, as those of a decoded record are (every subtree of a canonical
// text is canonical): verifying a stored chain then parses them only once.
func (d Decision) verifyCanonical(inputs, outputs []byte) error {
	if canon.Digest(outputs) != d.OutputDigest {
		return integrity(d.Seq, "its output_digest is not the digest of its outputs")
	}
	body, err := d.assemble(inputs, outputs, false)
	if err != nil {
		return integrity(d.Seq, "it cannot be canonicalised")
	}
	if chainHash(d.PrevHash, body) != d.Hash {
		return integrity(d.Seq, "its hash is not the hash of its content")
	}
	return nil
}

// DecodeDecision decodes a stored record strictly (see the record
// conventions): a record that does not decode exactly is refused, with
// every bad field named. It does not check the hash; VerifyHash does.
func DecodeDecision(data []byte) (Decision, error) {
	d, ok := decodeSealed(data)
	if ok {
		d.known = newKnown(d.Inputs, d.Outputs, "")
		return d, nil
	}
	d, err := decodeDoc("decision", data, func(rec decisionRecord, r *recReader) Decision { return rec.decision(r) },
		// Inputs and outputs were cut from the canonical text, so they are
		// canonical already; only the rest is re-encoded for the round trip.
		func(d Decision) ([]byte, error) { return d.assemble(d.Inputs, d.Outputs, true) })
	if err != nil {
		return Decision{}, err
	}
	// Remember that: replay and verification then need not parse them
	// again. Checksums, so that a caller changing Inputs in place is noticed.
	d.known = newKnown(d.Inputs, d.Outputs, "")
	return d, nil
}

// integrity is the error of a record that fails its own hash check.
func integrity(seq uint64, why string) error {
	return tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "decision %d fails verification: %s", seq, why)
}

// chainHash is hex SHA-256 over prevHash's hex text followed by body,
// given as consecutive parts.
func chainHash(prevHash string, body ...[]byte) string {
	h := sha256.New()
	h.Write([]byte(prevHash))
	for _, b := range body {
		h.Write(b)
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// canonicalObject canonicalises a JSON object; inputs and outputs are
// always objects, so that each kind's layout can grow by adding keys.
func canonicalObject(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("missing")
	}
	b, err := canon.Canonical(raw)
	if err != nil {
		return nil, err
	}
	if b[0] != '{' {
		return nil, fmt.Errorf("not a JSON object")
	}
	return b, nil
}

func isHexHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func isDigest(s string) bool {
	hexPart, ok := strings.CutPrefix(s, "sha256:")
	return ok && isHexHash(hexPart)
}
