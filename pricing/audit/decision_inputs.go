package audit

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// QuoteInputs are everything a quote decision is computed from, besides the
// catalogue, policy and fixings the decision names. Plan is the plan exactly
// as it was assessed; Terms carry no tier, which replay takes from the
// assessment as pricing did.
//
// Stored layout: {"as_of", "plan": <plan record>, "terms": <terms record
// without "tier">}.
type QuoteInputs struct {
	Plan  catalog.Plan
	Terms pricing.Terms
	AsOf  tfpricing.Date
}

// NewQuoteInputs returns the inputs of a quote, clearing the terms' tier.
func NewQuoteInputs(plan catalog.Plan, terms pricing.Terms, asOf tfpricing.Date) QuoteInputs {
	terms.Tier = ""
	return QuoteInputs{Plan: plan, Terms: terms, AsOf: asOf}
}

type quoteInputsRecord struct {
	AsOf  string      `json:"as_of,omitempty"`
	Plan  planRecord  `json:"plan"`
	Terms termsRecord `json:"terms"`
}

// Encode returns the canonical JSON of the inputs.
func (in QuoteInputs) Encode() (json.RawMessage, error) {
	rec := quoteInputsRecord{AsOf: in.AsOf.String(), Plan: newPlanRecord(in.Plan), Terms: newTermsRecord(in.Terms)}
	return rec.appendJSON(make([]byte, 0, 2048)), nil // canon.Marshal's bytes (record_inputs_append.go)

}

// DecodeQuoteInputs decodes quote inputs strictly. A tier in the terms is
// refused: it would be ignored, so it must not be there to mislead.
func DecodeQuoteInputs(raw []byte) (QuoteInputs, error) { return decodeQuoteInputs(raw, false) }

// decodeQuoteInputs is DecodeQuoteInputs, told whether raw is canonical.
func decodeQuoteInputs(raw []byte, canonical bool) (QuoteInputs, error) {
	return decodeRecordFrom("quote inputs", raw, canonical, func(rec quoteInputsRecord, r *recReader) QuoteInputs {
		if rec.Terms.Tier != "" {
			r.fail("terms.tier", "forbidden", "quote inputs carry no tier; it comes from the assessment")
		}
		return QuoteInputs{AsOf: r.date("as_of", rec.AsOf), Plan: rec.Plan.plan(r, "plan"),
			Terms: rec.Terms.terms(r, "terms")}
	}, func(in QuoteInputs) ([]byte, error) { return in.Encode() })
}

// PeriodRate is the rate of one payment period of a schedule.
type PeriodRate struct {
	Period int
	Start  tfpricing.Date
	Rate   decimal.Decimal
}

// PeriodRates returns the rate of every period of s.
func PeriodRates(s pricing.Schedule) []PeriodRate {
	out := make([]PeriodRate, len(s.Lines))
	for i, l := range s.Lines {
		out[i] = PeriodRate{Period: l.Period, Start: l.Start, Rate: l.Rate}
	}
	return out
}

// LoanInputs are everything a loan decision (booking, attestation,
// correction, repricing, sweep) is computed from, besides the policy and
// fixings the decision names: the loan's frozen terms with their tier, every
// attestation known to the loan (with its arrival seq), the as-of date, the
// event that caused the decision (for the reader; replay does not use it),
// and the period rates of the schedule before the event, from which the
// decision's rate changes are derived.
//
// Stored layout 1 (decisions up to issue 18): {"as_of", "attestations":
// [<attestation record>], "event": {…} (left out when none), "loan_id",
// "previous_rates": [{"period", "rate", "start"}], "terms": <terms record>}.
//
// Layout 2 (Earlier set) copies only the attestations the event introduced
// and references the loan's earlier ones: the same keys, "attestations"
// holding only the new ones, plus "earlier_attestations": {"chain",
// "count", "through_seq"} (AttestationChain) and "layout": 2. A decision's
// size then no longer grows with the loan's history; replay reads the
// referenced attestations from the store and checks them against the
// chain. The outputs do not depend on the layout.
type LoanInputs struct {
	LoanID string
	Terms  pricing.Terms
	// Attestations are every attestation known to the loan (layout 1), or,
	// with Earlier, those the event introduced (layout 2).
	Attestations []pricing.Attestation
	// Earlier references the loan's attestations before Attestations
	// (layout 2); nil in layout 1.
	Earlier       *AttestationChain
	AsOf          tfpricing.Date
	Event         json.RawMessage
	PreviousRates []PeriodRate
	// Lifecycle is the loan's approved amendments and declassification
	// (DESIGN.md §5.1), recorded under "lifecycle" only when not empty.
	Lifecycle pricing.Lifecycle
}

// NewLoanInputs returns the inputs of a loan decision. event, a JSON object
// or a value that marshals to one (nil for none), describes what happened;
// previous is the loan's schedule before it (the zero Schedule at booking).
func NewLoanInputs(loanID string, terms pricing.Terms, atts []pricing.Attestation, asOf tfpricing.Date, event any,
	previous pricing.Schedule) (LoanInputs, error) {
	return NewLoanInputsFromRates(loanID, terms, atts, asOf, event, PeriodRates(previous))
}

// NewLoanInputsFromRates is NewLoanInputs given the previous schedule's
// period rates only, as a loan's stored schedule state keeps them.
func NewLoanInputsFromRates(loanID string, terms pricing.Terms, atts []pricing.Attestation, asOf tfpricing.Date, event any,
	previous []PeriodRate) (LoanInputs, error) {
	in := LoanInputs{LoanID: loanID, Terms: terms, Attestations: append([]pricing.Attestation(nil), atts...), AsOf: asOf,
		PreviousRates: append([]PeriodRate(nil), previous...)}
	if raw, ok := event.(json.RawMessage); ok && len(raw) > 0 && raw[0] == '{' && canon.IsCanonical(raw) {
		// Canonical already (as the loan book writes an attestation's):
		// what Canonical would return, without marshalling and parsing.
		in.Event = bytes.Clone(raw)
	} else if event != nil {
		raw, err := canon.Canonical(event)
		if err == nil && raw[0] != '{' {
			err = fmt.Errorf("not a JSON object")
		}
		if err != nil {
			return LoanInputs{}, tfpricing.Errorf(tfpricing.EINTERNAL, "loan decision event: %v", err)
		}
		in.Event = raw
	}
	return in, nil
}

// loanInputsLayout2 is the "layout" of loan inputs that reference the
// earlier attestations instead of copying them.
const loanInputsLayout2 = 2

// AllAttestations returns the attestations a computation from in uses: the
// earlier ones (read from the store, layout 2) followed by in's own.
func (in LoanInputs) AllAttestations(earlier []pricing.Attestation) []pricing.Attestation {
	if in.Earlier == nil {
		return in.Attestations
	}
	return append(earlier[:len(earlier):len(earlier)], in.Attestations...)
}

type periodRateRecord struct {
	Period int    `json:"period"`
	Rate   string `json:"rate"`
	Start  string `json:"start,omitempty"`
}

type loanInputsRecord struct {
	AsOf          string                  `json:"as_of,omitempty"`
	Attestations  []attestationRecord     `json:"attestations"`
	Earlier       *attestationChainRecord `json:"earlier_attestations,omitempty"`
	Event         json.RawMessage         `json:"event,omitempty"`
	Layout        int                     `json:"layout,omitempty"`
	Lifecycle     *lifecycleRecord        `json:"lifecycle,omitempty"`
	LoanID        string                  `json:"loan_id"`
	PreviousRates []periodRateRecord      `json:"previous_rates"`
	Terms         termsRecord             `json:"terms"`
}

// Encode returns the canonical JSON of the inputs.
func (in LoanInputs) Encode() (json.RawMessage, error) {
	// The previous rates are written from in's, not from records of
	// strings (appendJSONRates): a string per rate and date each decision.
	rec := loanInputsRecord{AsOf: in.AsOf.String(), Attestations: make([]attestationRecord, len(in.Attestations)),
		Event: in.Event, LoanID: in.LoanID,
		Terms: newTermsRecord(in.Terms), Lifecycle: newLifecycleRecord(in.Lifecycle),
		Earlier: newAttestationChainRecord(in.Earlier)}
	if in.Earlier != nil {
		rec.Layout = loanInputsLayout2
	}
	for i, a := range in.Attestations {
		rec.Attestations[i] = newAttestationRecord(a)
	}
	rates := in.PreviousRates
	if rates == nil {
		rates = []PeriodRate{} // written [], as the records' empty slice was
	}
	if len(in.Event) > 0 && !canon.IsCanonical(in.Event) {
		// marshalSorted copies raw JSON as it is: the event must be
		// canonical already (NewLoanInputs makes it so; a caller setting
		// Event itself may not have).
		ev, err := canon.Canonical(in.Event)
		if err != nil {
			return nil, fmt.Errorf("event: %w", err)
		}
		rec.Event = ev
	}
	size := 1024 + 320*len(rec.Attestations) + 64*len(rates) + len(rec.Event)
	return rec.appendJSONRates(make([]byte, 0, size), rates), nil
}

// DecodeLoanInputs decodes loan decision inputs strictly.
func DecodeLoanInputs(raw []byte) (LoanInputs, error) { return decodeLoanInputs(raw, false) }

// decodeLoanInputs is DecodeLoanInputs, told whether raw is canonical.
func decodeLoanInputs(raw []byte, canonical bool) (LoanInputs, error) {
	return decodeRecordFrom("loan inputs", raw, canonical, func(rec loanInputsRecord, r *recReader) LoanInputs {
		in := LoanInputs{LoanID: rec.LoanID, Terms: rec.Terms.terms(r, "terms"), AsOf: r.date("as_of", rec.AsOf),
			Attestations: make([]pricing.Attestation, len(rec.Attestations)), Event: rec.Event,
			PreviousRates: make([]PeriodRate, len(rec.PreviousRates)), Lifecycle: rec.Lifecycle.lifecycle(r, "lifecycle."),
			Earlier: rec.Earlier.chain(r, "earlier_attestations.")}
		switch {
		case rec.Layout == 0 && rec.Earlier != nil:
			r.fail("layout", "missing", "earlier_attestations come with layout 2")
		case rec.Layout == loanInputsLayout2 && rec.Earlier == nil:
			r.fail("earlier_attestations", "missing", "layout 2 references the earlier attestations")
		case rec.Layout != 0 && rec.Layout != loanInputsLayout2:
			r.fail("layout", "unknown", "must be 2 or left out (1)")
		}
		last := uint64(0)
		if in.Earlier != nil {
			last = in.Earlier.ThroughSeq
		}
		for i, a := range rec.Attestations {
			path := fmt.Sprintf("attestations[%d]", i)
			in.Attestations[i] = a.attestation(r, path)
			if in.Earlier != nil && a.Seq <= last {
				r.fail(path+".seq", "out_of_order", "must follow the earlier attestations and the one before it")
			}
			last = a.Seq
		}
		for i, p := range rec.PreviousRates {
			path := fmt.Sprintf("previous_rates[%d].", i)
			in.PreviousRates[i] = PeriodRate{Period: p.Period, Start: r.date(path+"start", p.Start),
				Rate: r.decimal(path+"rate", p.Rate)}
		}
		if len(in.Event) > 0 && in.Event[0] != '{' {
			r.fail("event", "object", "must be a JSON object")
		}
		return in
	}, func(in LoanInputs) ([]byte, error) { return in.Encode() })
}
