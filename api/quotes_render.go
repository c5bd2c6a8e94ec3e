package api

import (
	"strconv"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// The quote response written by hand: writeJSON(toQuoteJSON(…))'s bytes
// (members in declared order, the projections map's keys sorted, strings
// escaped as encoding/json does with HTML escaping off), newline
// included. Three whole schedules are most of a quote's bytes, and
// encoding/json's reflection over them (after formatting every decimal
// into a lineJSON) was a seventh of a quote's server CPU.
// TestQuoteBodyMatchesJSON holds it to writeJSON on random values.

// quoteBody is writeJSON(head with q's projections), newline included.
func quoteBody(head quoteJSON, q pricing.Quote) []byte {
	lines := len(q.Current.Lines) + len(q.AllMet.Lines) + len(q.NoneMet.Lines)
	b := make([]byte, 0, 4096+330*lines)
	b = canon.AppendString(append(b, `{"quote_id":`...), head.QuoteID)
	b = canon.AppendString(append(b, `,"decision_id":`...), head.DecisionID)
	b = canon.AppendString(append(b, `,"as_of":`...), head.AsOf.String())
	b = canon.AppendString(append(b, `,"valid_until":`...), head.ValidUntil.String())
	b = head.Eligibility.appendJSON(append(b, `,"eligibility":`...))
	b = head.Rate.appendJSON(append(b, `,"rate":`...))
	// encoding/json writes a map's keys sorted.
	b = append(b, `,"projections":{"all_met":`...)
	b = appendProjection(b, q.AllMet)
	b = append(b, `,"current":`...)
	b = appendProjection(b, q.Current)
	b = append(b, `,"none_met":`...)
	b = appendProjection(b, q.NoneMet)
	b = canon.AppendString(append(b, `},"savings_all_met_vs_none_met":`...), head.Savings)
	b = canon.AppendString(append(b, `,"policy":{"version":`...), head.Policy.Version)
	b = canon.AppendString(append(b, `,"digest":`...), head.Policy.Digest)
	b = head.Catalogue.appendJSON(append(b, `},"catalogue":`...))
	return append(b, "}\n"...)
}

func (r *breakdownJSON) appendJSON(b []byte) []byte {
	b = canon.AppendString(append(b, `{"benchmark":{"name":`...), r.Benchmark.Name)
	b = canon.AppendString(append(b, `,"effective_date":`...), r.Benchmark.EffectiveDate.String())
	b = canon.AppendString(append(b, `,"rate":`...), r.Benchmark.Rate)
	b = canon.AppendString(append(b, `},"credit_spread_bp":`...), r.CreditSpreadBp)
	b = canon.AppendString(append(b, `,"tier_adjustment_bp":`...), r.TierAdjustmentBp)
	b = canon.AppendString(append(b, `,"esg_adjustment_bp":`...), r.ESGAdjustmentBp)
	b = canon.AppendString(append(b, `,"carbon_adjustment_bp":`...), r.CarbonAdjustmentBp)
	b = canon.AppendString(append(b, `,"ratchet_adjustment_bp":`...), r.RatchetAdjustmentBp)
	b = canon.AppendString(append(b, `,"total_adjustment_bp":`...), r.TotalAdjustmentBp)
	b = strconv.AppendBool(append(b, `,"floor_applied":`...), r.FloorApplied)
	b = strconv.AppendBool(append(b, `,"cap_applied":`...), r.CapApplied)
	b = canon.AppendString(append(b, `,"all_in_rate":`...), r.AllInRate)
	return append(b, '}')
}

// appendProjection writes projectionJSON's members in their declared order.
func appendProjection(b []byte, s pricing.Schedule) []byte {
	b = appendDec(append(b, `{"total_interest":`...), s.TotalInterest, 2)
	b = appendDec(append(b, `,"total_subsidy":`...), s.TotalSubsidy, 2)
	b = appendDec(append(b, `,"net_interest":`...), s.NetInterest, 2)
	b = append(b, `,"schedule":[`...)
	for i := range s.Lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendLine(b, &s.Lines[i])
	}
	return append(b, "]}"...)
}

// appendLine writes lineJSON's members in their declared order.
func appendLine(b []byte, l *pricing.Line) []byte {
	b = strconv.AppendInt(append(b, `{"period":`...), int64(l.Period), 10)
	b = appendDate(append(b, `,"start":`...), l.Start)
	b = appendDate(append(b, `,"end":`...), l.End)
	b = strconv.AppendInt(append(b, `,"days":`...), int64(l.Days), 10)
	b = appendDec(append(b, `,"benchmark_rate":`...), l.BenchmarkRate, 4)
	b = append(pricing.AppendNormal(append(b, `,"adjustment_bp":"`...), l.AdjustmentBp), '"') // FormatBp
	b = appendDec(append(b, `,"rate":`...), l.Rate, 4)
	b = appendDec(append(b, `,"opening_principal":`...), l.OpeningPrincipal, 2)
	b = appendDec(append(b, `,"principal":`...), l.Principal, 2)
	b = appendDec(append(b, `,"interest":`...), l.Interest, 2)
	b = appendDec(append(b, `,"subsidy":`...), l.Subsidy, 2)
	b = appendDec(append(b, `,"net_interest":`...), l.NetInterest, 2)
	b = appendDec(append(b, `,"closing_principal":`...), l.ClosingPrincipal, 2)
	return append(b, '}')
}

// appendDate writes d.String() as a JSON string: digits and '-' need no
// escaping.
func appendDate(b []byte, d tfpricing.Date) []byte {
	return append(d.AppendTo(append(b, '"')), '"')
}

// appendDec writes d with places decimals as a JSON string (FormatRate,
// FormatAmount): digits, '-' and '.' need no escaping.
func appendDec(b []byte, d decimal.Decimal, places int32) []byte {
	return append(pricing.AppendFixed(append(b, '"'), d, places), '"')
}
