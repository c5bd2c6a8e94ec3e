package audit

import (
	"fmt"

	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// lineRecord is one payment period, every field of Line.
type lineRecord struct {
	AdjustmentBp     string `json:"adjustment_bp"`
	BenchmarkDate    string `json:"benchmark_date,omitempty"`
	BenchmarkRate    string `json:"benchmark_rate"`
	CapApplied       bool   `json:"cap_applied"`
	ClosingPrincipal string `json:"closing_principal"`
	Days             int    `json:"days"`
	End              string `json:"end,omitempty"`
	FloorApplied     bool   `json:"floor_applied"`
	Interest         string `json:"interest"`
	NetInterest      string `json:"net_interest"`
	OpeningPrincipal string `json:"opening_principal"`
	Period           int    `json:"period"`
	Principal        string `json:"principal"`
	RatchetBp        string `json:"ratchet_bp"`
	Rate             string `json:"rate"`
	Start            string `json:"start,omitempty"`
	Subsidy          string `json:"subsidy"`
}

// sptRecord is an SPTStatus; determined_on and attestation_id are left out
// while they are unset.
type sptRecord struct {
	Assumed       bool   `json:"assumed"`
	AttestationID string `json:"attestation_id,omitempty"`
	DeterminedOn  string `json:"determined_on,omitempty"`
	DueDate       string `json:"due_date,omitempty"`
	MetricID      string `json:"metric_id"`
	Outcome       string `json:"outcome"`
	Target        string `json:"target"`
	Year          int    `json:"year"`
}

// attestationStatusRecord is an AttestationStatus; a late attestation has
// no outcome.
type attestationStatusRecord struct {
	AcceptedOn string `json:"accepted_on,omitempty"`
	ID         string `json:"id"`
	MetricID   string `json:"metric_id"`
	Outcome    string `json:"outcome,omitempty"`
	Seq        uint64 `json:"seq"`
	Status     string `json:"status"`
	Year       int    `json:"year"`
}

// scheduleRecord is a Schedule: lines, totals, SPT and attestation
// statuses, and the fixings the lines used.
type scheduleRecord struct {
	AsOf          string                    `json:"as_of,omitempty"`
	Attestations  []attestationStatusRecord `json:"attestations"`
	Benchmark     string                    `json:"benchmark"`
	Fixings       []fixingRecord            `json:"fixings"`
	Lines         []lineRecord              `json:"lines"`
	NetInterest   string                    `json:"net_interest"`
	SPTs          []sptRecord               `json:"spts"`
	TotalInterest string                    `json:"total_interest"`
	TotalSubsidy  string                    `json:"total_subsidy"`
	docVersion
}

func newScheduleRecord(s pricing.Schedule) scheduleRecord {
	rec := scheduleRecord{AsOf: s.AsOf.String(), Benchmark: s.Benchmark, Lines: make([]lineRecord, len(s.Lines)),
		TotalInterest: amountString(s.TotalInterest), TotalSubsidy: amountString(s.TotalSubsidy),
		NetInterest: amountString(s.NetInterest), SPTs: make([]sptRecord, len(s.SPTs)),
		Attestations: make([]attestationStatusRecord, len(s.Attestations)), Fixings: newFixingRecords(s.Fixings)}
	for i, l := range s.Lines {
		rec.Lines[i] = lineRecord{Period: l.Period, Start: l.Start.String(), End: l.End.String(), Days: l.Days,
			BenchmarkRate: rateString(l.BenchmarkRate), BenchmarkDate: l.BenchmarkDate.String(),
			AdjustmentBp: pricing.NormalString(l.AdjustmentBp), RatchetBp: pricing.NormalString(l.RatchetBp), Rate: rateString(l.Rate),
			OpeningPrincipal: amountString(l.OpeningPrincipal), Principal: amountString(l.Principal),
			Interest: amountString(l.Interest), Subsidy: amountString(l.Subsidy),
			NetInterest: amountString(l.NetInterest), ClosingPrincipal: amountString(l.ClosingPrincipal),
			FloorApplied: l.FloorApplied, CapApplied: l.CapApplied}
	}
	for i, p := range s.SPTs {
		rec.SPTs[i] = sptRecord{MetricID: p.MetricID, Year: p.Year, Target: pricing.NormalString(p.Target),
			DueDate: p.DueDate.String(), Outcome: string(p.Outcome), DeterminedOn: p.DeterminedOn.String(),
			AttestationID: p.AttestationID, Assumed: p.Assumed}
	}
	for i, a := range s.Attestations {
		rec.Attestations[i] = attestationStatusRecord{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year,
			AcceptedOn: a.AcceptedOn.String(), Status: string(a.Status), Outcome: string(a.Outcome)}
	}
	return rec
}

func (rec scheduleRecord) schedule(r *recReader, prefix string) pricing.Schedule {
	at := func(list string, i int, field string) string {
		return prefixed(prefix, fmt.Sprintf("%s[%d].%s", list, i, field))
	}
	s := pricing.Schedule{AsOf: r.date(prefixed(prefix, "as_of"), rec.AsOf), Benchmark: rec.Benchmark,
		Lines:         make([]pricing.Line, len(rec.Lines)),
		TotalInterest: r.decimal(prefixed(prefix, "total_interest"), rec.TotalInterest),
		TotalSubsidy:  r.decimal(prefixed(prefix, "total_subsidy"), rec.TotalSubsidy),
		NetInterest:   r.decimal(prefixed(prefix, "net_interest"), rec.NetInterest),
		SPTs:          make([]pricing.SPTStatus, len(rec.SPTs)), Attestations: make([]pricing.AttestationStatus, len(rec.Attestations)),
		Fixings: fixingsOf(r, prefixed(prefix, "fixings"), rec.Fixings)}
	for i, l := range rec.Lines {
		f := func(field string) string { return at("lines", i, field) }
		s.Lines[i] = pricing.Line{Period: l.Period, Start: r.date(f("start"), l.Start), End: r.date(f("end"), l.End),
			Days: l.Days, BenchmarkRate: r.decimal(f("benchmark_rate"), l.BenchmarkRate),
			BenchmarkDate:    r.date(f("benchmark_date"), l.BenchmarkDate),
			AdjustmentBp:     r.decimal(f("adjustment_bp"), l.AdjustmentBp),
			RatchetBp:        r.decimal(f("ratchet_bp"), l.RatchetBp),
			Rate:             r.decimal(f("rate"), l.Rate),
			OpeningPrincipal: r.decimal(f("opening_principal"), l.OpeningPrincipal),
			Principal:        r.decimal(f("principal"), l.Principal),
			Interest:         r.decimal(f("interest"), l.Interest),
			Subsidy:          r.decimal(f("subsidy"), l.Subsidy),
			NetInterest:      r.decimal(f("net_interest"), l.NetInterest),
			ClosingPrincipal: r.decimal(f("closing_principal"), l.ClosingPrincipal),
			FloorApplied:     l.FloorApplied, CapApplied: l.CapApplied}
	}
	for i, p := range rec.SPTs {
		s.SPTs[i] = pricing.SPTStatus{MetricID: p.MetricID, Year: p.Year, Target: r.decimal(at("spts", i, "target"), p.Target),
			DueDate: r.date(at("spts", i, "due_date"), p.DueDate), Outcome: pricing.Outcome(p.Outcome),
			DeterminedOn:  r.date(at("spts", i, "determined_on"), p.DeterminedOn),
			AttestationID: p.AttestationID, Assumed: p.Assumed}
	}
	for i, a := range rec.Attestations {
		s.Attestations[i] = pricing.AttestationStatus{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year,
			AcceptedOn: r.date(at("attestations", i, "accepted_on"), a.AcceptedOn),
			Status:     pricing.Timeliness(a.Status), Outcome: pricing.Outcome(a.Outcome)}
	}
	return s
}

// EncodeSchedule returns the stored record of a schedule, as a loan's
// materialised schedule is kept.
func EncodeSchedule(s pricing.Schedule) ([]byte, error) {
	rec := newScheduleRecord(s)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodeSchedule decodes a record written by EncodeSchedule, strictly.
func DecodeSchedule(data []byte) (pricing.Schedule, error) {
	return decodeDoc("schedule", data, func(rec scheduleRecord, r *recReader) pricing.Schedule {
		return rec.schedule(r, "")
	}, EncodeSchedule)
}
