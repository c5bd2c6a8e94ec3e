package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// DocKind names a family of content-addressed reference documents.
type DocKind string

// The stored document kinds.
const (
	DocCatalogue DocKind = "catalogue"
	DocPolicy    DocKind = "policy"
)

// Documents gives replay the content-addressed catalogue and policy
// documents; Tx satisfies it, and so does an offline reader of a backup.
type Documents interface {
	Document(kind DocKind, digest string) ([]byte, error)
}

// ReplayResult is the outcome of replaying one decision. Match is true when
// the outputs recompute to exactly the recorded ones and the record passes
// its own hash check. Otherwise Differences says where: "output_digest"
// when the replayed outputs' digest is not the recorded one, "hash" when
// the record's content no longer hashes to its hash (a stored byte was
// changed, even one the outputs do not depend on), then every output path
// that differs, such as "schedule.lines[3].rate".
type ReplayResult struct {
	DecisionSeq    uint64
	Match          bool
	RecordedDigest string
	ReplayedDigest string
	Differences    []Difference
}

// Replay recomputes a decision's outputs from its recorded inputs, the
// catalogue and policy documents stored under its recorded digests and the
// LPR fixings it recorded, and compares them with its recorded outputs.
//
// A quote is reassessed (Catalogue.Assess) and, when eligible, repriced
// with the assessment's tier; a loan decision recomputes its schedule
// (Compute, Current projection) and its rate changes against the recorded
// previous rates; a catalogue or policy load re-parses the stored document
// and records its digest. A simulation is not replayable (EUNPROCESSABLE).
// A decision whose inputs no longer decode or compute is an EUNPROCESSABLE
// error saying why; Replay never panics on a tampered record.
func Replay(d Decision, docs Documents) (ReplayResult, error) {
	replayed, inputDiffs, err := replayOutputs(d, docs)
	if err != nil {
		return ReplayResult{}, err
	}
	res := ReplayResult{DecisionSeq: d.Seq, RecordedDigest: d.OutputDigest, ReplayedDigest: canon.Digest(replayed)}
	if res.ReplayedDigest != res.RecordedDigest {
		res.Differences = append(res.Differences, Difference{Path: "output_digest",
			Recorded: leafText(d.OutputDigest), Replayed: leafText(res.ReplayedDigest)})
	}
	// The parts are parsed only if they are not known canonical (a decoded
	// record's are).
	if body, herr := d.canonical(false); herr != nil || chainHash(d.PrevHash, body) != d.Hash {
		again := ""
		if herr == nil {
			again = leafText(chainHash(d.PrevHash, body))
		}
		res.Differences = append(res.Differences, Difference{Path: "hash", Recorded: leafText(d.Hash), Replayed: again})
	}
	recorded, err := d.Outputs, error(nil)
	if !d.outputsCanonical() {
		recorded, err = canon.Canonical(d.Outputs)
	}
	if err != nil {
		res.Differences = append(res.Differences, Difference{Path: "$", Recorded: string(d.Outputs),
			Replayed: string(replayed)})
	} else if !bytes.Equal(recorded, replayed) {
		diffs, err := jsonDifferences(recorded, replayed)
		if err != nil || len(diffs) == 0 {
			// Cannot happen for two canonical texts, but a mismatch must
			// never be reported without a difference.
			diffs = []Difference{{Path: "$", Recorded: string(recorded), Replayed: string(replayed)}}
		}
		res.Differences = append(res.Differences, diffs...)
	}
	res.Differences = append(res.Differences, inputDiffs...)
	res.Match = len(res.Differences) == 0
	return res, nil
}

// replayOutputs recomputes the canonical outputs of d, and says where the
// store no longer gives what d's inputs reference (a loan decision's
// earlier attestations).
func replayOutputs(d Decision, docs Documents) (json.RawMessage, []Difference, error) {
	if d.Kind.IsLoan() {
		return replayLoan(d, docs)
	}
	out, err := replayOther(d, docs)
	return out, nil, err
}

// replayOther recomputes the canonical outputs of a decision not about a
// loan's schedule.
func replayOther(d Decision, docs Documents) (json.RawMessage, error) {
	switch {
	case d.Kind == DecisionQuote:
		return replayQuote(d, docs)
	case d.Kind == DecisionCatalogueLoad:
		ref, err := decodeRecord("catalogue load inputs", d.Inputs,
			func(rec catalogueRefRecord, _ *recReader) catalog.Ref { return rec.ref() },
			func(c catalog.Ref) ([]byte, error) { return canon.Marshal(newCatalogueRefRecord(c)) })
		if err != nil {
			return nil, replayFailed(d, "its inputs do not decode", err)
		}
		c, err := storedCatalogue(d, docs, ref.Digest)
		if err != nil {
			return nil, err
		}
		return canon.Marshal(newCatalogueRefRecord(c.Ref()))
	case d.Kind == DecisionPolicyLoad:
		ref, err := decodeRecord("policy load inputs", d.Inputs,
			func(rec policyRefRecord, _ *recReader) pricing.PolicyRef { return rec.ref() },
			func(p pricing.PolicyRef) ([]byte, error) { return canon.Marshal(newPolicyRefRecord(p)) })
		if err != nil {
			return nil, replayFailed(d, "its inputs do not decode", err)
		}
		p, err := storedPolicy(d, docs, ref.Digest)
		if err != nil {
			return nil, err
		}
		return canon.Marshal(newPolicyRefRecord(p.Ref()))
	case isProposalKind(d.Kind):
		return replayProposal(d)
	case d.Kind == DecisionSecondPartyOpinion:
		return replaySecondPartyOpinion(d)
	case d.Kind == DecisionEmissions:
		return replayEmissions(d)
	case d.Kind == DecisionSimulation:
		return nil, tfpricing.Errorf(tfpricing.EUNPROCESSABLE,
			"decision %d is a simulation: simulations are recorded for the audit trail but are not replayable", d.Seq)
	}
	return nil, replayFailed(d, fmt.Sprintf("its kind %q is unknown", d.Kind), nil)
}

func replayQuote(d Decision, docs Documents) (json.RawMessage, error) {
	in, err := decodeQuoteInputs(d.Inputs, d.inputsCanonical())
	if err != nil {
		return nil, replayFailed(d, "its inputs do not decode", err)
	}
	if d.Catalogue == nil {
		return nil, replayFailed(d, "it names no catalogue", nil)
	}
	cat, err := storedCatalogue(d, docs, d.Catalogue.Digest)
	if err != nil {
		return nil, err
	}
	out := QuoteOutputs{Assessment: cat.AssessWith(in.Plan, RuleSetOf(d.EngineVersion))}
	if out.Assessment.Eligible {
		pol, curve, err := pricingReferences(d, docs)
		if err != nil {
			return nil, err
		}
		t := in.Terms
		t.Tier = out.Assessment.Tier
		q, err := pricing.PriceQuote(t, pol, curve, in.AsOf)
		if err != nil {
			return nil, replayFailed(d, "its inputs no longer price", err)
		}
		out.Quote = &q
	}
	return out.Encode()
}

// pricingReferences loads the recorded policy and rebuilds the curve from
// the recorded fixings. Only the fixings a computation used are recorded,
// and that is enough: the fixing in force on any date the computation looks
// at is one of them, since each is the latest published on or before it.
func pricingReferences(d Decision, docs Documents) (*pricing.Policy, pricing.Curve, error) {
	if d.Policy == nil {
		return nil, pricing.Curve{}, replayFailed(d, "it names no policy", nil)
	}
	pol, err := storedPolicy(d, docs, d.Policy.Digest)
	if err != nil {
		return nil, pricing.Curve{}, err
	}
	curve, err := pricing.NewCurve(d.Fixings)
	if err != nil {
		return nil, pricing.Curve{}, replayFailed(d, "its fixings are invalid", err)
	}
	return pol, curve, nil
}

// storedCatalogue re-parses the catalogue stored under digest and checks it
// is the version the record names.
func storedCatalogue(d Decision, docs Documents, digest string) (*catalog.Catalogue, error) {
	b, err := storedDocument(d, docs, DocCatalogue, digest)
	if err != nil {
		return nil, err
	}
	c, err := cachedParse(docs, catalogues, digest, func() (*catalog.Catalogue, error) {
		return catalog.Parse("catalogue "+digest, b)
	})
	if err != nil {
		return nil, replayFailed(d, "the stored catalogue "+digest+" does not parse", err)
	}
	if c.Digest != digest {
		return nil, replayFailed(d, fmt.Sprintf("the catalogue stored under %s re-parses to %s", digest, c.Digest), nil)
	}
	if d.Catalogue != nil && c.Ref() != *d.Catalogue {
		return nil, replayFailed(d, fmt.Sprintf("it names catalogue %s %s but %s is %s %s",
			d.Catalogue.ID, d.Catalogue.Version, digest, c.ID, c.Version), nil)
	}
	return c, nil
}

// storedPolicy re-parses the policy stored under digest and checks it is
// the version the record names.
func storedPolicy(d Decision, docs Documents, digest string) (*pricing.Policy, error) {
	b, err := storedDocument(d, docs, DocPolicy, digest)
	if err != nil {
		return nil, err
	}
	p, err := cachedParse(docs, policies, digest, func() (*pricing.Policy, error) { return pricing.ParsePolicy("policy "+digest, b) })
	if err != nil {
		return nil, replayFailed(d, "the stored policy "+digest+" does not parse", err)
	}
	if p.Digest != digest {
		return nil, replayFailed(d, fmt.Sprintf("the policy stored under %s re-parses to %s", digest, p.Digest), nil)
	}
	if d.Policy != nil && p.Ref() != *d.Policy {
		return nil, replayFailed(d, fmt.Sprintf("it names policy %s but %s is %s", d.Policy.Version, digest, p.Version), nil)
	}
	return p, nil
}

// storedDocument reads the document stored under digest and checks that its
// bytes still hash to it: documents are stored in the canonical form their
// digest is taken over.
func storedDocument(d Decision, docs Documents, kind DocKind, digest string) ([]byte, error) {
	b, err := docs.Document(kind, digest)
	if err != nil {
		return nil, replayFailed(d, fmt.Sprintf("%s %s cannot be read", kind, digest), err)
	}
	if got := canon.Digest(b); got != digest {
		return nil, replayFailed(d, fmt.Sprintf("the %s stored under %s has been altered: its bytes hash to %s", kind, digest, got), nil)
	}
	return b, nil
}

// replayFailed is the error of a decision that cannot be replayed. The
// cause's field errors are kept, so a tampered input is named by its path.
func replayFailed(d Decision, why string, cause error) error {
	e := &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE, Err: cause,
		Message: fmt.Sprintf("decision %d (%s) cannot be replayed: %s", d.Seq, d.Kind, why)}
	var ce *tfpricing.Error
	var ve *catalog.ValidationError
	switch {
	case errors.As(cause, &ce):
		e.Message += ": " + ce.Message
		e.Fields = ce.Fields
	case errors.As(cause, &ve):
		e.Message += ": " + ve.Error()
	}
	// Any other cause (a storage failure) stays in Err, for the log only.
	return e
}
