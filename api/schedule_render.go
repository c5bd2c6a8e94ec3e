package api

import (
	"strconv"

	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// The schedule read (GET /v1/loans/{id}/schedule) written by hand:
// writeJSON(toScheduleJSON(…))'s bytes, newline included, members in
// declared order, strings escaped as encoding/json does with HTML escaping
// off. A schedule is a loan's whole life of lines, and encoding/json's
// reflection over them (after formatting every decimal into a lineJSON)
// was most of a schedule read. TestScheduleBodyMatchesJSON holds it to
// writeJSON on random values.

// scheduleBody is writeJSON(toScheduleJSON(loanID, s)), newline included.
func scheduleBody(loanID string, s pricing.Schedule) []byte {
	b := make([]byte, 0, scheduleSize(&s))
	return append(appendSchedule(b, loanID, &s), '\n')
}

// scheduleSize is room enough for appendSchedule's bytes of s in all but
// rare schedules (long strings, huge decimals), which only grow once more.
func scheduleSize(s *pricing.Schedule) int { return 512 + 330*len(s.Lines) + 200*len(s.SPTs) }

// appendSchedule writes scheduleJSON's members in their declared order:
// writeJSON(toScheduleJSON(loanID, *s)) without the newline, the schedule
// read's body and the attestation response's "schedule".
func appendSchedule(b []byte, loanID string, s *pricing.Schedule) []byte {
	b = canon.AppendString(append(b, `{"loan_id":`...), loanID)
	b = appendDate(append(b, `,"as_of":`...), s.AsOf)
	b = canon.AppendString(append(b, `,"benchmark":`...), s.Benchmark)
	b = appendDec(append(b, `,"total_interest":`...), s.TotalInterest, 2)
	b = appendDec(append(b, `,"total_subsidy":`...), s.TotalSubsidy, 2)
	b = appendDec(append(b, `,"net_interest":`...), s.NetInterest, 2)
	b = append(b, `,"schedule":[`...)
	for i := range s.Lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendLine(b, &s.Lines[i])
	}
	b = append(b, `],"spts":[`...)
	for i := range s.SPTs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendSPT(b, &s.SPTs[i])
	}
	return append(b, "]}"...)
}

// appendSPT writes sptJSON's members in their declared order.
func appendSPT(b []byte, p *pricing.SPTStatus) []byte {
	b = canon.AppendString(append(b, `{"metric_id":`...), p.MetricID)
	b = strconv.AppendInt(append(b, `,"year":`...), int64(p.Year), 10)
	b = canon.AppendString(append(b, `,"target":`...), p.Target.String())
	b = appendDate(append(b, `,"due_date":`...), p.DueDate)
	b = canon.AppendString(append(b, `,"outcome":`...), string(p.Outcome))
	b = append(b, `,"determined_on":`...)
	if p.DeterminedOn.IsZero() {
		b = append(b, "null"...)
	} else {
		b = appendDate(b, p.DeterminedOn)
	}
	b = append(b, `,"attestation_id":`...)
	if p.AttestationID == "" {
		b = append(b, "null"...)
	} else {
		b = canon.AppendString(b, p.AttestationID)
	}
	return append(b, '}')
}
