package audit

import (
	"encoding/json"
	"fmt"
	"time"

	"tfpricing"
	"tfpricing/pricing/canon"
)

type actorRecord struct {
	KeyID     string `json:"key_id"`
	RequestID string `json:"request_id"`
	Role      string `json:"role"`
}

// decisionRecord is the stored form of a Decision. The layout, keys sorted
// as stored:
//
//	{"actor":{"key_id","request_id","role"}, "as_of", "business_date",
//	 "catalogue":{"digest","id","version"}, "engine_version",
//	 "fixings":[{"effective_date","five_year","one_year"}], "hash",
//	 "inputs":{…}, "kind", "loan_id", "output_digest", "outputs":{…},
//	 "policy":{"digest","version"}, "prev_hash", "quote_id", "recorded_at",
//	 "seq", "v":1}
//
// loan_id, quote_id, the dates, catalogue, policy and fixings are left out
// when unset; hash is left out of the text that is hashed.
type decisionRecord struct {
	Actor         actorRecord         `json:"actor"`
	AsOf          string              `json:"as_of,omitempty"`
	BusinessDate  string              `json:"business_date,omitempty"`
	Catalogue     *catalogueRefRecord `json:"catalogue,omitempty"`
	EngineVersion string              `json:"engine_version"`
	Fixings       []fixingRecord      `json:"fixings,omitempty"`
	Hash          string              `json:"hash,omitempty"`
	Inputs        json.RawMessage     `json:"inputs"`
	Kind          string              `json:"kind"`
	LoanID        string              `json:"loan_id,omitempty"`
	OutputDigest  string              `json:"output_digest"`
	Outputs       json.RawMessage     `json:"outputs"`
	Policy        *policyRefRecord    `json:"policy,omitempty"`
	PrevHash      string              `json:"prev_hash"`
	QuoteID       string              `json:"quote_id,omitempty"`
	RecordedAt    string              `json:"recorded_at"`
	Seq           uint64              `json:"seq"`
	docVersion
}

// timestampLayout is RFC 3339 in UTC with as many fractional digits as the
// instant needs: one instant, one text.
const timestampLayout = time.RFC3339Nano

func newDecisionRecord(d Decision) decisionRecord {
	rec := decisionRecord{docVersion: docVersion{V: recordVersion}, Seq: d.Seq, Kind: string(d.Kind),
		LoanID: d.LoanID, QuoteID: d.QuoteID,
		Actor:      actorRecord{KeyID: d.Actor.KeyID, Role: string(d.Actor.Role), RequestID: d.Actor.RequestID},
		RecordedAt: d.RecordedAt.UTC().Format(timestampLayout), BusinessDate: d.BusinessDate.String(),
		AsOf: d.AsOf.String(), Inputs: d.Inputs, Fixings: newFixingRecords(d.Fixings),
		EngineVersion: d.EngineVersion, Outputs: d.Outputs, OutputDigest: d.OutputDigest,
		PrevHash: d.PrevHash, Hash: d.Hash}
	if d.Catalogue != nil {
		c := newCatalogueRefRecord(*d.Catalogue)
		rec.Catalogue = &c
	}
	if d.Policy != nil {
		p := newPolicyRefRecord(*d.Policy)
		rec.Policy = &p
	}
	return rec
}

// canonical is the record's canonical JSON, with or without its hash.
func (d Decision) canonical(withHash bool) ([]byte, error) {
	inputs, outputs, err := d.canonicalParts()
	if err != nil {
		return nil, err
	}
	return d.assemble(inputs, outputs, withHash)
}

// canonicalParts returns the canonical inputs and outputs, without parsing
// them again when they are still those a constructor or DecodeDecision
// produced (known canonical).
func (d Decision) canonicalParts() (inputs, outputs []byte, err error) {
	inputs, outputs = d.Inputs, d.Outputs
	if !d.inputsCanonical() {
		if inputs, err = canon.Canonical(d.Inputs); err != nil {
			return nil, nil, fmt.Errorf("inputs: %w", err)
		}
	}
	if !d.outputsCanonical() {
		if outputs, err = canon.Canonical(d.Outputs); err != nil {
			return nil, nil, fmt.Errorf("outputs: %w", err)
		}
	}
	return inputs, outputs, nil
}

// knowCanonical records Inputs and Outputs, which the caller made
// canonical, as such (by checksum, so that a change made in place is
// noticed), with the outputs' digest.
func (d *Decision) knowCanonical() {
	d.known = newKnown(d.Inputs, d.Outputs, canon.Digest(d.Outputs))
}

// assemble writes the record around inputs and outputs that are already
// canonical, so that verifying a record parses each of them once: the
// envelope is written by hand (decision_append.go) with them as they are.
func (d Decision) assemble(inputs, outputs []byte, withHash bool) ([]byte, error) {
	out, _, err := d.assembleAt(inputs, outputs, withHash, false)
	return out, err
}

// hashRoom is the hash member as SealRecord first writes it, 64 bytes of
// room for the hex digits: it goes just before "inputs".
const hashRoom = `"hash":"` + GenesisHash + `",`

// assembleAt is assemble, also returning where the top-level "inputs" key
// starts in the result: the hash member goes just before it. With room,
// hashRoom is written there instead of any hash.
func (d Decision) assembleAt(inputs, outputs []byte, withHash, room bool) ([]byte, int, error) {
	rec := newDecisionRecord(d)
	rec.Inputs, rec.Outputs = inputs, outputs
	if !withHash || room {
		rec.Hash = ""
	}
	// The envelope is ≈ 700 bytes besides its strings of any length.
	env := 1024 + len(rec.Actor.KeyID) + len(rec.Actor.RequestID) + len(rec.LoanID) + len(rec.QuoteID) + 128*len(rec.Fixings)
	out, inputsAt := rec.appendJSON(make([]byte, 0, env+len(inputs)+len(outputs)+len(hashRoom)), room)
	return out, inputsAt, nil
}

func (rec decisionRecord) decision(r *recReader) Decision {
	d := Decision{Seq: rec.Seq, Kind: DecisionKind(rec.Kind), LoanID: rec.LoanID, QuoteID: rec.QuoteID,
		Actor: tfpricing.Actor{KeyID: rec.Actor.KeyID, Role: tfpricing.Role(rec.Actor.Role),
			RequestID: rec.Actor.RequestID},
		BusinessDate: r.date("business_date", rec.BusinessDate), AsOf: r.date("as_of", rec.AsOf),
		Fixings: fixingsOf(r, "fixings", rec.Fixings), EngineVersion: rec.EngineVersion,
		OutputDigest: rec.OutputDigest, PrevHash: rec.PrevHash, Hash: rec.Hash}
	t, err := time.Parse(timestampLayout, rec.RecordedAt)
	if err != nil || t.IsZero() {
		r.fail("recorded_at", "timestamp", "%q is not an RFC 3339 UTC timestamp", rec.RecordedAt)
	}
	d.RecordedAt = t.UTC()
	if rec.Catalogue != nil {
		c := rec.Catalogue.ref()
		d.Catalogue = &c
	}
	if rec.Policy != nil {
		p := rec.Policy.ref()
		d.Policy = &p
	}
	if d.Seq == 0 {
		r.fail("seq", "range", "starts at 1")
	}
	if !d.Kind.Valid() {
		r.fail("kind", "oneof", "%q is not a decision kind", rec.Kind)
	}
	if d.EngineVersion == "" {
		r.fail("engine_version", "required", "is required")
	}
	for _, io := range []struct {
		name string
		raw  *json.RawMessage
	}{{"inputs", &rec.Inputs}, {"outputs", &rec.Outputs}} {
		if len(*io.raw) == 0 || (*io.raw)[0] != '{' {
			r.fail(io.name, "object", "must be a JSON object")
		}
	}
	d.Inputs, d.Outputs = rec.Inputs, rec.Outputs
	if !isDigest(d.OutputDigest) {
		r.fail("output_digest", "digest", "must be sha256: and 64 lower-case hex digits")
	}
	if !isHexHash(d.PrevHash) {
		r.fail("prev_hash", "hash", "must be 64 lower-case hex digits")
	}
	if !isHexHash(d.Hash) {
		r.fail("hash", "hash", "must be 64 lower-case hex digits")
	}
	return d
}
