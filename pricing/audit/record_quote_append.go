package audit

import (
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
)

// A quote decision's outputs written straight from the quote: the bytes
// newQuoteRecord(q).appendJSON writes (record_append.go), without first
// formatting every figure of three whole schedules into a string of a
// record (≈ 1,000 strings a standard quote) and scanning each again for
// characters to escape. Figures and dates are digits, '-' and '.', which
// JSON never escapes, so they are quoted as they are; every other string
// still goes through canon.AppendString. TestQuoteAppendMatchesRecords
// holds these writers to the records' on random quotes.

func appendQuoteOutputs(b []byte, a catalog.Assessment, q *pricing.Quote) []byte {
	o := openObject(b)
	o.key("assessment")
	ar := newAssessmentRecord(a)
	o.b = ar.appendJSON(o.b)
	o.key("quote")
	if q == nil {
		o.b = append(o.b, "null"...)
	} else {
		o.b = appendQuoteOf(o.b, q)
	}
	return o.close()
}

// appendQuoteOf writes newQuoteRecord(*q).
func appendQuoteOf(b []byte, q *pricing.Quote) []byte {
	o := openObject(b)
	o.key("all_met")
	o.b = appendScheduleOf(o.b, &q.AllMet)
	o.date("as_of", q.AsOf)
	o.key("breakdown")
	br := newBreakdownRecord(q.Breakdown)
	o.b = br.appendJSON(o.b)
	o.key("current")
	o.b = appendScheduleOf(o.b, &q.Current)
	o.key("none_met")
	o.b = appendScheduleOf(o.b, &q.NoneMet)
	o.key("policy")
	pr := newPolicyRefRecord(q.Policy)
	o.b = pr.appendJSON(o.b)
	o.fixed("savings", q.Savings, 2)
	o.date("valid_until", q.ValidUntil)
	return o.close()
}

// appendScheduleOf writes newScheduleRecord(*s): its lists are never nil.
func appendScheduleOf(b []byte, s *pricing.Schedule) []byte {
	o := openObject(b)
	o.date("as_of", s.AsOf)
	o.key("attestations")
	o.b = appendArray(o.b, s.Attestations, func(a *pricing.AttestationStatus, b []byte) []byte {
		r := attestationStatusRecord{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year,
			AcceptedOn: a.AcceptedOn.String(), Status: string(a.Status), Outcome: string(a.Outcome)}
		return r.appendJSON(b)
	})
	o.str("benchmark", s.Benchmark)
	o.key("fixings")
	o.b = appendArray(o.b, s.Fixings, func(f *pricing.Fixing, b []byte) []byte {
		fo := openObject(b)
		fo.date("effective_date", f.EffectiveDate)
		fo.fixed("five_year", f.FiveYear, 4)
		fo.fixed("one_year", f.OneYear, 4)
		return fo.close()
	})
	o.key("lines")
	o.b = appendArray(o.b, s.Lines, appendLineOf)
	o.fixed("net_interest", s.NetInterest, 2)
	o.key("spts")
	o.b = appendArray(o.b, s.SPTs, appendSPTOf)
	o.fixed("total_interest", s.TotalInterest, 2)
	o.fixed("total_subsidy", s.TotalSubsidy, 2)
	return o.close()
}

// appendLineOf writes the lineRecord of l.
func appendLineOf(l *pricing.Line, b []byte) []byte {
	o := openObject(b)
	o.normal("adjustment_bp", l.AdjustmentBp)
	o.date("benchmark_date", l.BenchmarkDate)
	o.fixed("benchmark_rate", l.BenchmarkRate, 4)
	o.boolean("cap_applied", l.CapApplied)
	o.fixed("closing_principal", l.ClosingPrincipal, 2)
	o.integer("days", int64(l.Days))
	o.date("end", l.End)
	o.boolean("floor_applied", l.FloorApplied)
	o.fixed("interest", l.Interest, 2)
	o.fixed("net_interest", l.NetInterest, 2)
	o.fixed("opening_principal", l.OpeningPrincipal, 2)
	o.integer("period", int64(l.Period))
	o.fixed("principal", l.Principal, 2)
	o.normal("ratchet_bp", l.RatchetBp)
	o.fixed("rate", l.Rate, 4)
	o.date("start", l.Start)
	o.fixed("subsidy", l.Subsidy, 2)
	return o.close()
}

// appendSPTOf writes the sptRecord of p.
func appendSPTOf(p *pricing.SPTStatus, b []byte) []byte {
	o := openObject(b)
	o.boolean("assumed", p.Assumed)
	o.optStr("attestation_id", p.AttestationID)
	o.date("determined_on", p.DeterminedOn)
	o.date("due_date", p.DueDate)
	o.str("metric_id", p.MetricID)
	o.str("outcome", string(p.Outcome))
	o.normal("target", p.Target)
	o.integer("year", int64(p.Year))
	return o.close()
}

// date is an omitempty member holding d.String(), left out when d is unset.
func (o *object) date(k string, d tfpricing.Date) {
	if d.IsZero() {
		return
	}
	o.key(k)
	o.b = append(d.AppendTo(append(o.b, '"')), '"')
}

// fixed is a member holding fixedString(d, places) (rateString,
// amountString).
func (o *object) fixed(k string, d decimal.Decimal, places int32) {
	o.key(k)
	o.b = append(o.b, '"')
	if d.Exponent() >= -places || d.Round(places).Equal(d) {
		o.b = pricing.AppendFixed(o.b, d, places)
	} else {
		o.b = pricing.AppendNormal(o.b, d)
	}
	o.b = append(o.b, '"')
}

// normal is a member holding pricing.NormalString(d).
func (o *object) normal(k string, d decimal.Decimal) {
	o.key(k)
	o.b = append(pricing.AppendNormal(append(o.b, '"'), d), '"')
}
