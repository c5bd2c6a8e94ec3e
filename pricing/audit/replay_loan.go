package audit

import (
	"encoding/json"
	"fmt"

	"tfpricing/pricing"
)

// replayLoan recomputes a loan decision's schedule. Layout-2 inputs
// reference the loan's earlier attestations: they are read from the store
// (docs) and checked against the recorded chain, and a mismatch is a
// difference, not an error, so that it is reported with the outputs it
// changes. The outputs are encoded in the layout the recorded ones have
// (layout 2 keeps the statuses by digest), so that a changed status shows
// as a different "attestations.digest".
func replayLoan(d Decision, docs Documents) (json.RawMessage, []Difference, error) {
	in, err := decodeLoanInputs(d.Inputs, d.inputsCanonical())
	if err != nil {
		return nil, nil, replayFailed(d, "its inputs do not decode", err)
	}
	if in.Earlier != nil && in.LoanID != d.LoanID {
		return nil, nil, replayFailed(d, fmt.Sprintf("its inputs are about loan %q, the record about %q", in.LoanID, d.LoanID), nil)
	}
	if d.Catalogue != nil {
		// Not used by the schedule, but the record names it, so it must be
		// stored intact. Its digest is over the stored canonical bytes, so
		// hashing them proves that without parsing the document.
		if _, err := storedDocument(d, docs, DocCatalogue, d.Catalogue.Digest); err != nil {
			return nil, nil, err
		}
	}
	pol, curve, err := pricingReferences(d, docs)
	if err != nil {
		return nil, nil, err
	}
	var earlier []pricing.Attestation
	var diffs []Difference
	if in.Earlier != nil {
		if earlier, diffs, err = earlierAttestations(d, docs, *in.Earlier); err != nil {
			return nil, nil, err
		}
	}
	s, err := pricing.Compute(pricing.Input{Terms: in.Terms, Policy: pol, Curve: curve, Attestations: in.AllAttestations(earlier),
		AsOf: in.AsOf, Assumptions: pricing.Assumptions{Projection: pricing.Current}, Lifecycle: in.Lifecycle})
	if err != nil {
		return nil, nil, replayFailed(d, "its inputs no longer compute", err)
	}
	out, err := in.outputs(s, outputsLayout(d.Outputs) == loanOutputsLayout2, nil).Encode()
	return out, diffs, err
}
