package api

import (
	"bytes"
	"strconv"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// The quote response, rendered with its projections written by hand.
// Three whole schedules are most of a quote's bytes, and encoding/json's
// reflection over their lines (after formatting every decimal into a
// lineJSON) was a seventh of a quote's server CPU. The rest of the body
// goes through writeJSON with the projections left null, and the hand-
// written projections are put in that member's place: the bytes are
// those writeJSON(toQuoteJSON(…)) writes, which TestQuoteBodyMatchesJSON
// holds it to on random schedules.

// projectionsNull is the member left to fill: a quote inside a string
// value is always escaped, so this text can only be the member itself.
const projectionsNull = `"projections":null`

// quoteBody is writeJSON(head with q's projections), newline included.
func quoteBody(head quoteJSON, q pricing.Quote) ([]byte, error) {
	head.Projections = nil
	var buf bytes.Buffer
	if err := writeJSON(&buf, head); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte(projectionsNull))
	if i < 0 {
		return nil, tfpricing.Errorf(tfpricing.EINTERNAL, "quote response without its projections member")
	}
	lines := len(q.Current.Lines) + len(q.AllMet.Lines) + len(q.NoneMet.Lines)
	out := make([]byte, 0, len(b)+300+330*lines)
	out = append(out, b[:i+len(`"projections":`)]...)
	// encoding/json writes a map's keys sorted.
	out = append(out, `{"all_met":`...)
	out = appendProjection(out, q.AllMet)
	out = append(out, `,"current":`...)
	out = appendProjection(out, q.Current)
	out = append(out, `,"none_met":`...)
	out = appendProjection(out, q.NoneMet)
	out = append(out, '}')
	return append(out, b[i+len(projectionsNull):]...), nil
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
	b = canon.AppendString(append(b, `,"start":`...), l.Start.String())
	b = canon.AppendString(append(b, `,"end":`...), l.End.String())
	b = strconv.AppendInt(append(b, `,"days":`...), int64(l.Days), 10)
	b = appendDec(append(b, `,"benchmark_rate":`...), l.BenchmarkRate, 4)
	b = canon.AppendString(append(b, `,"adjustment_bp":`...), pricing.FormatBp(l.AdjustmentBp))
	b = appendDec(append(b, `,"rate":`...), l.Rate, 4)
	b = appendDec(append(b, `,"opening_principal":`...), l.OpeningPrincipal, 2)
	b = appendDec(append(b, `,"principal":`...), l.Principal, 2)
	b = appendDec(append(b, `,"interest":`...), l.Interest, 2)
	b = appendDec(append(b, `,"subsidy":`...), l.Subsidy, 2)
	b = appendDec(append(b, `,"net_interest":`...), l.NetInterest, 2)
	b = appendDec(append(b, `,"closing_principal":`...), l.ClosingPrincipal, 2)
	return append(b, '}')
}

// appendDec writes d with places decimals as a JSON string (FormatRate,
// FormatAmount): digits, '-' and '.' need no escaping.
func appendDec(b []byte, d decimal.Decimal, places int32) []byte {
	return append(pricing.AppendFixed(append(b, '"'), d, places), '"')
}
