package storedfmt

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
	"tfpricing/pricing/loanbook"
)

// A schedule state's record written by hand: json.Marshal's bytes of
// NewSchedule(s), without the record in between. Every attestation and
// repricing writes one, and encoding/json's reflection over it (with the
// record's own allocations) was ≈ 2 % of an attestation's service CPU over
// PostgreSQL (BENCHMARKS.md, "Attestation write path").
// TestScheduleJSONMatchesMarshal fills states at random and compares, so a
// field added to Schedule without its writer fails there.

// appendScheduleJSON appends json.Marshal(NewSchedule(s)) to b.
func appendScheduleJSON(b []byte, s loanbook.ScheduleState) []byte {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, V2, 10)
	b = appendHTMLString(append(b, `,"loan_id":`...), s.LoanID)
	b = appendDate(append(b, `,"calculated_on":`...), s.CalculatedOn)
	b = appendDate(append(b, `,"latest_fixing":`...), s.LatestFixing)
	b = strconv.AppendUint(append(b, `,"revision":`...), s.Revision, 10)
	b = strconv.AppendUint(append(b, `,"decision_seq":`...), s.DecisionSeq, 10)
	b = append(b, `,"rates":[`...)
	for i, p := range s.Rates {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(append(b, `{"period":`...), int64(p.Period), 10)
		b = appendDate(append(b, `,"start":`...), p.Start)
		b = append(appendExact(append(b, `,"rate":`...), p.Rate), '}')
	}
	b = append(b, `],"total_interest":`...)
	b = appendExact(b, s.TotalInterest)
	b = append(b, `,"spts":[`...)
	for i, m := range s.SPTs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendHTMLString(append(b, `{"metric_id":`...), m.MetricID)
		b = strconv.AppendInt(append(b, `,"year":`...), int64(m.Year), 10)
		b = appendHTMLString(append(b, `,"outcome":`...), string(m.Outcome))
		b = append(appendDate(append(b, `,"determined_on":`...), m.DeterminedOn), '}')
	}
	b = append(b, ']')
	if c := s.AttChain; c.Count != 0 || c.ThroughSeq != 0 || c.Chain != "" {
		b = strconv.AppendInt(append(b, `,"att_chain":{"count":`...), int64(c.Count), 10)
		b = strconv.AppendUint(append(b, `,"through_seq":`...), c.ThroughSeq, 10)
		b = append(appendHTMLString(append(b, `,"chain":`...), c.Chain), '}')
	}
	return append(b, '}')
}

// appendExact appends Exact(d), quoted, without the string in between.
func appendExact(b []byte, d decimal.Decimal) []byte {
	return append(pricing.AppendFixed(append(b, '"'), d, max(0, -d.Exponent())), '"')
}

// appendDate appends d as encoding/json writes a tfpricing.Date (its
// MarshalText, quoted; "" when unset). A date's text never needs escaping.
func appendDate(b []byte, d tfpricing.Date) []byte {
	return append(d.AppendTo(append(b, '"')), '"')
}

// appendHTMLString appends s as json.Marshal writes it — HTML escaping on:
// canon.AppendString's bytes, unless s holds '<', '>' or '&', which
// json.Marshal escapes as \u003c, \u003e and \u0026 (rare in a stored
// record; written by encoding/json then).
func appendHTMLString(b []byte, s string) []byte {
	if strings.ContainsAny(s, "<>&") {
		q, _ := json.Marshal(s) // a string always marshals
		return append(b, q...)
	}
	return canon.AppendString(b, s)
}
