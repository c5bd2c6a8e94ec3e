package audit

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// QuoteOutputs are what a quote decision decided: the assessment and, for
// an eligible borrower, the quote.
//
// Stored layout: {"assessment": <assessment record>, "quote": <quote
// record> or null when the borrower is not eligible}.
type QuoteOutputs struct {
	Assessment catalog.Assessment
	Quote      *pricing.Quote
}

type quoteOutputsRecord struct {
	Assessment assessmentRecord `json:"assessment"`
	Quote      *quoteRecord     `json:"quote"`
}

// Encode returns the canonical JSON of the outputs.
func (o QuoteOutputs) Encode() (json.RawMessage, error) {
	// ≈520 bytes a line in a standard quote's outputs: room enough that
	// the buffer never grows (a regrowth copied 20 KB a quote).
	size := 2048
	if o.Quote != nil {
		size += 600 * (len(o.Quote.Current.Lines) + len(o.Quote.AllMet.Lines) + len(o.Quote.NoneMet.Lines))
	}
	// canon.Marshal's bytes of the quoteOutputsRecord (record_append.go),
	// written without building the record (record_quote_append.go).
	return appendQuoteOutputs(make([]byte, 0, size), o.Assessment, o.Quote), nil
}

// RateChange is a period whose rate a loan decision moved.
type RateChange struct {
	Period  int
	Start   tfpricing.Date
	OldRate decimal.Decimal
	NewRate decimal.Decimal
}

// DiffRates lists the periods whose rate differs between a loan's schedule
// before (old) and after (cur) an event, in period order. An old schedule
// without lines (a booking) gives no changes: the whole schedule is new, and
// the decision records it in full. Periods are matched by number; a loan's
// terms are frozen, so both schedules have the same periods.
func DiffRates(old, cur pricing.Schedule) []RateChange {
	return diffPeriodRates(PeriodRates(old), cur)
}

// DiffPeriodRates is DiffRates given the old schedule's period rates.
func DiffPeriodRates(old []PeriodRate, cur pricing.Schedule) []RateChange {
	return diffPeriodRates(old, cur)
}

func diffPeriodRates(old []PeriodRate, cur pricing.Schedule) []RateChange {
	var out []RateChange
	j := 0
	for _, l := range cur.Lines {
		for j < len(old) && old[j].Period < l.Period {
			j++
		}
		if j < len(old) && old[j].Period == l.Period && !old[j].Rate.Equal(l.Rate) {
			out = append(out, RateChange{Period: l.Period, Start: l.Start, OldRate: old[j].Rate, NewRate: l.Rate})
		}
	}
	return out
}

// LoanOutputs are what a loan decision decided: the recomputed schedule
// (Compute with the Current projection) and the periods whose rate moved.
//
// Stored layout 1: {"changes": [{"new_rate", "old_rate", "period",
// "start"}], "schedule": <schedule record>}. Layout 2 (Statuses set, every
// decision whose inputs are layout 2 since issue 18) adds "layout": 2 and
// "attestations": {"count", "digest", "introduced": [status records]}
// (StatusDigest) and leaves the schedule's "attestations" empty, so that
// its size does not grow with the loan's history.
type LoanOutputs struct {
	Schedule pricing.Schedule
	Changes  []RateChange
	// Statuses stand for Schedule.Attestations (layout 2); nil in layout
	// 1. Decoded layout-2 outputs have no Schedule.Attestations: see
	// LoanStatuses.
	Statuses *StatusDigest
}

type rateChangeRecord struct {
	NewRate string `json:"new_rate"`
	OldRate string `json:"old_rate"`
	Period  int    `json:"period"`
	Start   string `json:"start,omitempty"`
}

type loanOutputsRecord struct {
	Attestations *statusDigestRecord `json:"attestations,omitempty"`
	Changes      []rateChangeRecord  `json:"changes"`
	Layout       int                 `json:"layout,omitempty"`
	Schedule     scheduleRecord      `json:"schedule"`
}

// Encode returns the canonical JSON of the outputs.
func (o LoanOutputs) Encode() (json.RawMessage, error) {
	s := o.Schedule
	if o.Statuses != nil {
		s.Attestations = nil
	}
	// loanOutputsRecord.appendJSON's bytes, the schedule written straight
	// from s as a quote's are (appendScheduleOf), not through a record of
	// strings: TestLoanOutputsEncodeMatchesRecord.
	out := openObject(make([]byte, 0, 2048+600*len(o.Schedule.Lines)+100*len(o.Changes)))
	if d := newStatusDigestRecord(o.Statuses); d != nil {
		out.key("attestations")
		out.b = d.appendJSON(out.b)
	}
	out.key("changes")
	out.b = appendArray(out.b, o.Changes, func(c *RateChange, b []byte) []byte {
		r := rateChangeRecord{Period: c.Period, Start: c.Start.String(), OldRate: rateString(c.OldRate), NewRate: rateString(c.NewRate)}
		return r.appendJSON(b)
	})
	if o.Statuses != nil {
		out.integer("layout", loanOutputsLayout2)
	}
	out.key("schedule")
	out.b = appendScheduleOf(out.b, &s)
	return out.close(), nil
}

// Decision returns the quote decision for these inputs, assessment and
// quote (nil when the borrower is not eligible), unsealed: the caller sets
// Seq, QuoteID, Actor, RecordedAt and BusinessDate, then Seals it. The
// fixings recorded are those of the current projection, which all three
// projections share.
func (in QuoteInputs) Decision(a catalog.Assessment, q *pricing.Quote) (Decision, error) {
	inputs, err := in.Encode()
	if err != nil {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "quote decision inputs: %v", err)
	}
	outputs, err := QuoteOutputs{Assessment: a, Quote: q}.Encode()
	if err != nil {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "quote decision outputs: %v", err)
	}
	cat := a.Catalogue
	d := Decision{Kind: DecisionQuote, AsOf: in.AsOf, Inputs: inputs, Catalogue: &cat,
		EngineVersion: EngineVersion, Outputs: outputs}
	d.knowCanonical()
	if q != nil {
		p := q.Policy
		d.Policy, d.Fixings = &p, q.Current.Fixings
	}
	return d, nil
}

// Decision returns the loan decision of kind for these inputs and the
// recomputed schedule s, unsealed (the caller sets Seq, Actor, RecordedAt,
// BusinessDate and, for a booking, QuoteID, then Seals it). cat is the
// loan's frozen catalogue version (the zero Ref for none).
func (in LoanInputs) Decision(kind DecisionKind, s pricing.Schedule, policy pricing.PolicyRef, cat catalog.Ref) (Decision, error) {
	return in.DecisionHashed(kind, s, policy, cat, nil)
}

// DecisionHashed is Decision taking the digest of s's attestation statuses
// (layout 2) from h when h is their hash (HashStatuses over
// s.Attestations); nil, or another list's hash, and they are hashed here.
func (in LoanInputs) DecisionHashed(kind DecisionKind, s pricing.Schedule, policy pricing.PolicyRef, cat catalog.Ref, h *StatusHash) (Decision, error) {
	if !kind.IsLoan() {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "%q is not a loan decision kind", kind)
	}
	inputs, err := in.Encode()
	if err != nil {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "loan decision inputs: %v", err)
	}
	outputs, err := in.outputs(s, in.Earlier != nil, h).Encode()
	if err != nil {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "loan decision outputs: %v", err)
	}
	d := Decision{Kind: kind, LoanID: in.LoanID, AsOf: in.AsOf, Inputs: inputs, Policy: &policy,
		Fixings: s.Fixings, EngineVersion: EngineVersion, Outputs: outputs}
	d.knowCanonical()
	if cat != (catalog.Ref{}) {
		d.Catalogue = &cat
	}
	return d, nil
}

// outputs returns the loan outputs of schedule s computed from in: layout
// 2 (statuses by digest, those of in's own attestations in full) when
// byDigest, else layout 1; h is the statuses' hash when the caller has it.
func (in LoanInputs) outputs(s pricing.Schedule, byDigest bool, h *StatusHash) LoanOutputs {
	out := LoanOutputs{Schedule: s, Changes: diffPeriodRates(in.PreviousRates, s)}
	if byDigest {
		d := newStatusDigest(s.Attestations, in.Attestations, h)
		out.Statuses = &d
	}
	return out
}

// CatalogueLoadDecision returns the unsealed decision recording that a
// catalogue version was loaded. Inputs and outputs are both {"digest",
// "id", "version"}: replay re-parses the document stored under the input
// digest and records what it finds.
func CatalogueLoadDecision(c *catalog.Catalogue) (Decision, error) {
	ref := c.Ref()
	raw, err := canon.Marshal(newCatalogueRefRecord(ref))
	if err != nil {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "catalogue load decision: %v", err)
	}
	return Decision{Kind: DecisionCatalogueLoad, Inputs: raw, Catalogue: &ref, EngineVersion: EngineVersion,
		Outputs: raw}, nil
}

// PolicyLoadDecision returns the unsealed decision recording that a policy
// version was loaded. Inputs and outputs are both {"digest", "version"}.
func PolicyLoadDecision(p *pricing.Policy) (Decision, error) {
	ref := p.Ref()
	raw, err := canon.Marshal(newPolicyRefRecord(ref))
	if err != nil {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "policy load decision: %v", err)
	}
	return Decision{Kind: DecisionPolicyLoad, Inputs: raw, Policy: &ref, EngineVersion: EngineVersion,
		Outputs: raw}, nil
}

// DecodeLoanOutputs decodes the outputs of a loan decision strictly: the
// schedule it recorded and the periods whose rate moved.
func DecodeLoanOutputs(raw []byte) (LoanOutputs, error) {
	return decodeRecord("loan outputs", raw, func(rec loanOutputsRecord, r *recReader) LoanOutputs {
		out := LoanOutputs{Schedule: rec.Schedule.schedule(r, "schedule"), Changes: make([]RateChange, len(rec.Changes)),
			Statuses: rec.Attestations.statusDigest(r)}
		switch {
		case rec.Layout == 0 && rec.Attestations != nil:
			r.fail("layout", "missing", "attestations by digest come with layout 2")
		case rec.Layout == loanOutputsLayout2 && rec.Attestations == nil:
			r.fail("attestations", "missing", "layout 2 keeps the attestation statuses by digest")
		case rec.Layout != 0 && rec.Layout != loanOutputsLayout2:
			r.fail("layout", "unknown", "must be 2 or left out (1)")
		case rec.Layout == loanOutputsLayout2 && len(rec.Schedule.Attestations) != 0:
			r.fail("schedule.attestations", "layout", "layout 2 keeps them under attestations")
		}
		for i, c := range rec.Changes {
			p := fmt.Sprintf("changes[%d]", i)
			out.Changes[i] = RateChange{Period: c.Period, Start: r.date(p+".start", c.Start),
				OldRate: r.decimal(p+".old_rate", c.OldRate), NewRate: r.decimal(p+".new_rate", c.NewRate)}
		}
		return out
	}, func(o LoanOutputs) ([]byte, error) { return o.Encode() })
}
