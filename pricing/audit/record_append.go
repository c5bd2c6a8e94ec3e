package audit

import (
	"strconv"

	"tfpricing/pricing/canon"
)

// The quote decision's outputs written by hand. encoding/json walks
// these records by reflection, and a quote's outputs — three projections
// of a whole schedule each — were a sixth of its server CPU. The writers
// below produce the very bytes canon.Marshal produces for the same
// record (members in the declared, sorted order; omitempty as tagged; a
// nil slice as null; strings as encoding/json writes them):
// TestAppendMatchesMarshal fills every field of every record type here at
// random and compares, so a field added to a record without its writer
// fails there.

// object writes one JSON object's members; the caller names them in
// sorted order.
type object struct {
	b    []byte
	more bool
}

func openObject(b []byte) object { return object{b: append(b, '{')} }

func (o *object) key(k string) {
	if o.more {
		o.b = append(o.b, ',')
	}
	o.more = true
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *object) str(k, v string) {
	o.key(k)
	o.b = canon.AppendString(o.b, v)
}

// optStr is a string member tagged omitempty.
func (o *object) optStr(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

func (o *object) boolean(k string, v bool) {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

func (o *object) integer(k string, v int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}

// version is the embedded docVersion's "v" (omitempty).
func (o *object) version(d docVersion) {
	if d.V != 0 {
		o.integer("v", int64(d.V))
	}
}

func (o *object) close() []byte { return append(o.b, '}') }

// appendList writes a slice as encoding/json does: nil as null.
func appendList[T any](b []byte, list []T, each func(*T, []byte) []byte) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	return appendArray(b, list, each)
}

// appendArray writes a slice as a JSON array, nil as [] (what encoding/json
// writes of a list a record's constructor makes non-nil).
func appendArray[T any](b []byte, list []T, each func(*T, []byte) []byte) []byte {
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(&list[i], b)
	}
	return append(b, ']')
}

func (rec *quoteOutputsRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.key("assessment")
	o.b = rec.Assessment.appendJSON(o.b)
	o.key("quote")
	if rec.Quote == nil {
		o.b = append(o.b, "null"...)
	} else {
		o.b = rec.Quote.appendJSON(o.b)
	}
	return o.close()
}

func (rec *assessmentRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.key("catalogue")
	o.b = rec.Catalogue.appendJSON(o.b)
	o.key("checks")
	o.b = appendList(o.b, rec.Checks, (*checkRecord).appendJSON)
	o.optStr("core_kpi", rec.CoreKPI)
	o.boolean("eligible", rec.Eligible)
	o.optStr("industry_code", rec.IndustryCode)
	o.optStr("pathway_id", rec.PathwayID)
	o.str("tier", rec.Tier)
	o.version(rec.docVersion)
	return o.close()
}

func (rec *catalogueRefRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("digest", rec.Digest)
	o.str("id", rec.ID)
	o.version(rec.docVersion)
	o.str("version", rec.Version)
	return o.close()
}

func (rec *checkRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("message_en", rec.MessageEn)
	o.str("message_zh", rec.MessageZh)
	o.str("rule", rec.Rule)
	o.str("status", rec.Status)
	return o.close()
}

func (rec *quoteRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.key("all_met")
	o.b = rec.AllMet.appendJSON(o.b)
	o.optStr("as_of", rec.AsOf)
	o.key("breakdown")
	o.b = rec.Breakdown.appendJSON(o.b)
	o.key("current")
	o.b = rec.Current.appendJSON(o.b)
	o.key("none_met")
	o.b = rec.NoneMet.appendJSON(o.b)
	o.key("policy")
	o.b = rec.Policy.appendJSON(o.b)
	o.str("savings", rec.Savings)
	o.version(rec.docVersion)
	o.optStr("valid_until", rec.ValidUntil)
	return o.close()
}

func (rec *breakdownRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("all_in_rate", rec.AllInRate)
	o.optStr("benchmark_date", rec.BenchmarkDate)
	o.str("benchmark_name", rec.BenchmarkName)
	o.str("benchmark_rate", rec.BenchmarkRate)
	o.boolean("cap_applied", rec.CapApplied)
	o.str("carbon_adjustment_bp", rec.CarbonAdjustmentBp)
	o.str("credit_spread_bp", rec.CreditSpreadBp)
	o.str("esg_adjustment_bp", rec.ESGAdjustmentBp)
	o.boolean("floor_applied", rec.FloorApplied)
	o.str("ratchet_adjustment_bp", rec.RatchetAdjustmentBp)
	o.str("tier_adjustment_bp", rec.TierAdjustmentBp)
	o.str("total_adjustment_bp", rec.TotalAdjustmentBp)
	return o.close()
}

func (rec *policyRefRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("digest", rec.Digest)
	o.version(rec.docVersion)
	o.str("version", rec.Version)
	return o.close()
}

func (rec *scheduleRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.optStr("as_of", rec.AsOf)
	o.key("attestations")
	o.b = appendList(o.b, rec.Attestations, (*attestationStatusRecord).appendJSON)
	o.str("benchmark", rec.Benchmark)
	o.key("fixings")
	o.b = appendList(o.b, rec.Fixings, (*fixingRecord).appendJSON)
	o.key("lines")
	o.b = appendList(o.b, rec.Lines, (*lineRecord).appendJSON)
	o.str("net_interest", rec.NetInterest)
	o.key("spts")
	o.b = appendList(o.b, rec.SPTs, (*sptRecord).appendJSON)
	o.str("total_interest", rec.TotalInterest)
	o.str("total_subsidy", rec.TotalSubsidy)
	o.version(rec.docVersion)
	return o.close()
}

func (rec *attestationStatusRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.optStr("accepted_on", rec.AcceptedOn)
	o.str("id", rec.ID)
	o.str("metric_id", rec.MetricID)
	o.optStr("outcome", rec.Outcome)
	o.key("seq")
	o.b = strconv.AppendUint(o.b, rec.Seq, 10)
	o.str("status", rec.Status)
	o.integer("year", int64(rec.Year))
	return o.close()
}

func (rec *fixingRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.optStr("effective_date", rec.EffectiveDate)
	o.str("five_year", rec.FiveYear)
	o.str("one_year", rec.OneYear)
	o.version(rec.docVersion)
	return o.close()
}

func (rec *lineRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("adjustment_bp", rec.AdjustmentBp)
	o.optStr("benchmark_date", rec.BenchmarkDate)
	o.str("benchmark_rate", rec.BenchmarkRate)
	o.boolean("cap_applied", rec.CapApplied)
	o.str("closing_principal", rec.ClosingPrincipal)
	o.integer("days", int64(rec.Days))
	o.optStr("end", rec.End)
	o.boolean("floor_applied", rec.FloorApplied)
	o.str("interest", rec.Interest)
	o.str("net_interest", rec.NetInterest)
	o.str("opening_principal", rec.OpeningPrincipal)
	o.integer("period", int64(rec.Period))
	o.str("principal", rec.Principal)
	o.str("ratchet_bp", rec.RatchetBp)
	o.str("rate", rec.Rate)
	o.optStr("start", rec.Start)
	o.str("subsidy", rec.Subsidy)
	return o.close()
}

func (rec *sptRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.boolean("assumed", rec.Assumed)
	o.optStr("attestation_id", rec.AttestationID)
	o.optStr("determined_on", rec.DeterminedOn)
	o.optStr("due_date", rec.DueDate)
	o.str("metric_id", rec.MetricID)
	o.str("outcome", rec.Outcome)
	o.str("target", rec.Target)
	o.integer("year", int64(rec.Year))
	return o.close()
}

func (rec *loanOutputsRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	if rec.Attestations != nil {
		o.key("attestations")
		o.b = rec.Attestations.appendJSON(o.b)
	}
	o.key("changes")
	o.b = appendList(o.b, rec.Changes, (*rateChangeRecord).appendJSON)
	if rec.Layout != 0 {
		o.integer("layout", int64(rec.Layout))
	}
	o.key("schedule")
	o.b = rec.Schedule.appendJSON(o.b)
	return o.close()
}

func (rec *rateChangeRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("new_rate", rec.NewRate)
	o.str("old_rate", rec.OldRate)
	o.integer("period", int64(rec.Period))
	o.optStr("start", rec.Start)
	return o.close()
}

func (rec *statusDigestRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.integer("count", int64(rec.Count))
	o.str("digest", rec.Digest)
	o.key("introduced")
	o.b = appendList(o.b, rec.Introduced, (*attestationStatusRecord).appendJSON)
	return o.close()
}
