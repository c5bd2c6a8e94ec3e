package storedfmt

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Version 1 of the loan book's buckets, read only: envelopes around the
// domain structs as encoding/json wrote them without tags, so their keys
// are the Go field names of that time (test/testdata/v1.db is such a
// file). The tags below spell those keys, so that renaming a field of a
// domain type cannot stop an old data file from opening. Decimals were
// written by Decimal.MarshalJSON as quoted strings, dates as YYYY-MM-DD
// ("" for none).

type loanV1 struct {
	ID          string          `json:"ID"`
	ExternalRef string          `json:"ExternalRef"`
	QuoteID     string          `json:"QuoteID"`
	BookedAt    time.Time       `json:"BookedAt"`
	BookedOn    tfpricing.Date  `json:"BookedOn"`
	AsOf        tfpricing.Date  `json:"AsOf"`
	Borrower    borrowerV1      `json:"Borrower"`
	PathwayID   string          `json:"PathwayID"`
	Terms       termsV1         `json:"Terms"`
	Catalogue   refV1           `json:"Catalogue"`
	Policy      refV1           `json:"Policy"`
	Request     json.RawMessage `json:"Request"`
}

type borrowerV1 struct {
	Name                string `json:"Name"`
	USCC                string `json:"USCC"`
	IndustryCode        string `json:"IndustryCode"`
	JustTransitionScore *int   `json:"JustTransitionScore"`
	ObsoleteCapacity    bool   `json:"ObsoleteCapacity"`
	NewCapacity         bool   `json:"NewCapacity"` // absent before rule 9
}

type refV1 struct {
	ID      string `json:"ID"`
	Version string `json:"Version"`
	Digest  string `json:"Digest"`
}

type termsV1 struct {
	Tier         string     `json:"Tier"`
	CreditRating string     `json:"CreditRating"`
	ESGScore     int        `json:"ESGScore"`
	CarbonGrade  int        `json:"CarbonGrade"`
	KPIs         []kpiV1    `json:"KPIs"`
	Facility     facilityV1 `json:"Facility"`
}

// kpiV1 is pricing.KPI, whose embedded catalog.KPI was written flattened.
type kpiV1 struct {
	MetricID   string          `json:"MetricID"`
	Name       string          `json:"Name"`
	Unit       string          `json:"Unit"`
	Direction  string          `json:"Direction"`
	Custom     bool            `json:"Custom"`
	Baseline   observationV1   `json:"Baseline"`
	Targets    []observationV1 `json:"Targets"`
	StepDownBp *string         `json:"StepDownBp"`
	StepUpBp   *string         `json:"StepUpBp"`
}

type observationV1 struct {
	Year  int    `json:"Year"`
	Value string `json:"Value"`
}

type facilityV1 struct {
	Amount           string         `json:"Amount"`
	Currency         string         `json:"Currency"`
	StartDate        tfpricing.Date `json:"StartDate"`
	TenorMonths      int            `json:"TenorMonths"`
	Repayment        string         `json:"Repayment"`
	PaymentFrequency int            `json:"PaymentFrequency"`
	Subsidy          *struct {
		RateBp  string         `json:"RateBp"`
		EndDate tfpricing.Date `json:"EndDate"`
	} `json:"Subsidy"`
}

type attestationV1 struct {
	ID                    string         `json:"ID"`
	Seq                   uint64         `json:"Seq"`
	MetricID              string         `json:"MetricID"`
	Year                  int            `json:"Year"`
	Value                 string         `json:"Value"`
	AcceptedOn            tfpricing.Date `json:"AcceptedOn"`
	VerifierName          string         `json:"VerifierName"`
	VerifierAccreditation string         `json:"VerifierAccreditation"`
	EvidenceSHA256        string         `json:"EvidenceSHA256"`
}

type scheduleV1 struct {
	LoanID       string         `json:"LoanID"`
	CalculatedOn tfpricing.Date `json:"CalculatedOn"`
	LatestFixing tfpricing.Date `json:"LatestFixing"`
	Revision     uint64         `json:"Revision"`
	DecisionSeq  uint64         `json:"DecisionSeq"`
	Rates        []struct {
		Period int            `json:"Period"`
		Start  tfpricing.Date `json:"Start"`
		Rate   string         `json:"Rate"`
	} `json:"Rates"`
	TotalInterest string `json:"TotalInterest"`
	SPTs          []struct {
		MetricID     string         `json:"MetricID"`
		Year         int            `json:"Year"`
		Outcome      string         `json:"Outcome"`
		DeterminedOn tfpricing.Date `json:"DeterminedOn"`
	} `json:"SPTs"`
}

type fixingV1 struct {
	EffectiveDate tfpricing.Date `json:"EffectiveDate"`
	OneYear       string         `json:"OneYear"`
	FiveYear      string         `json:"FiveYear"`
}

// decimals parses the decimals of one version-1 value, remembering the
// first failure.
type decimals struct {
	what string
	err  error
}

func (p *decimals) dec(s string) decimal.Decimal {
	d, err := ParseExact(p.what, s)
	if err != nil && p.err == nil {
		p.err = err
	}
	return d
}

func (p *decimals) optional(s *string) *decimal.Decimal {
	if s == nil {
		return nil
	}
	d := p.dec(*s)
	return &d
}

func (p *decimals) observation(o observationV1) catalog.Observation {
	return catalog.Observation{Year: o.Year, Value: p.dec(o.Value)}
}

func v1Loan(l loanV1) (loanbook.Loan, error) {
	p := decimals{what: "loan " + l.ID}
	t := l.Terms
	terms := pricing.Terms{Tier: catalog.Tier(t.Tier), CreditRating: t.CreditRating, ESGScore: t.ESGScore,
		CarbonGrade: t.CarbonGrade, KPIs: make([]pricing.KPI, len(t.KPIs))}
	for i, k := range t.KPIs {
		ck := catalog.KPI{MetricID: k.MetricID, Name: k.Name, Unit: k.Unit, Direction: catalog.Direction(k.Direction),
			Custom: k.Custom, Baseline: p.observation(k.Baseline)}
		for _, o := range k.Targets {
			ck.Targets = append(ck.Targets, p.observation(o))
		}
		terms.KPIs[i] = pricing.KPI{KPI: ck, StepDownBp: p.optional(k.StepDownBp), StepUpBp: p.optional(k.StepUpBp)}
	}
	f := t.Facility
	terms.Facility = pricing.Facility{Amount: p.dec(f.Amount), Currency: f.Currency, StartDate: f.StartDate,
		TenorMonths: f.TenorMonths, Repayment: pricing.Repayment(f.Repayment), PaymentFrequency: f.PaymentFrequency}
	if f.Subsidy != nil {
		terms.Facility.Subsidy = &pricing.Subsidy{RateBp: p.dec(f.Subsidy.RateBp), EndDate: f.Subsidy.EndDate}
	}
	b := l.Borrower
	return loanbook.Loan{ID: l.ID, ExternalRef: l.ExternalRef, QuoteID: l.QuoteID, BookedAt: l.BookedAt,
		BookedOn: l.BookedOn, AsOf: l.AsOf, PathwayID: l.PathwayID, Terms: terms, Request: l.Request,
		Borrower: catalog.Borrower{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
			JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: b.NewCapacity},
		Catalogue: catalog.Ref{ID: l.Catalogue.ID, Version: l.Catalogue.Version, Digest: l.Catalogue.Digest},
		Policy:    pricing.PolicyRef{Version: l.Policy.Version, Digest: l.Policy.Digest}}, p.err
}

func v1Attestation(a attestationV1) (pricing.Attestation, error) {
	p := decimals{what: "attestation " + a.ID}
	return pricing.Attestation{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year, Value: p.dec(a.Value),
		AcceptedOn: a.AcceptedOn, VerifierName: a.VerifierName, VerifierAccreditation: a.VerifierAccreditation,
		EvidenceSHA256: a.EvidenceSHA256}, p.err
}

func v1Schedule(s scheduleV1) (loanbook.ScheduleState, error) {
	p := decimals{what: "schedule of loan " + s.LoanID}
	st := loanbook.ScheduleState{LoanID: s.LoanID, CalculatedOn: s.CalculatedOn, LatestFixing: s.LatestFixing,
		Revision: s.Revision, DecisionSeq: s.DecisionSeq, TotalInterest: p.dec(s.TotalInterest),
		Rates: make([]audit.PeriodRate, len(s.Rates)), SPTs: make([]loanbook.SPTMark, len(s.SPTs))}
	for i, r := range s.Rates {
		st.Rates[i] = audit.PeriodRate{Period: r.Period, Start: r.Start, Rate: p.dec(r.Rate)}
	}
	for i, m := range s.SPTs {
		st.SPTs[i] = loanbook.SPTMark{MetricID: m.MetricID, Year: m.Year, Outcome: pricing.Outcome(m.Outcome), DeterminedOn: m.DeterminedOn}
	}
	return st, p.err
}

func v1Fixing(f fixingV1) (pricing.Fixing, error) {
	p := decimals{what: "fixing " + f.EffectiveDate.String()}
	return pricing.Fixing{EffectiveDate: f.EffectiveDate, OneYear: p.dec(f.OneYear), FiveYear: p.dec(f.FiveYear)}, p.err
}

// Readers of either version, by the value's "v".

// readVersion decodes a stored value into S and converts it with v1 or v2
// as its version says; is1 tells a well-formed version-1 value.
func readVersion[S, T any](what string, raw []byte, version func(*S) (v int, is1 bool), v1, v2 func(*S) (T, error)) (T, error) {
	var s S
	var zero T
	if err := json.Unmarshal(raw, &s); err != nil {
		return zero, err
	}
	switch v, is1 := version(&s); {
	case v == 1 && is1:
		return v1(&s)
	case v == V2:
		return v2(&s)
	default:
		return zero, fmt.Errorf("unknown %s record version %d", what, v)
	}
}

// storedLoan is a loans/ value of either version: version 1 nests the
// loan under "loan", version 2 is flat.
type storedLoan struct {
	Loan
	V1 *loanV1 `json:"loan"`
}

// ReadLoan decodes a stored loan of any version, compressed or bare.
func ReadLoan(raw []byte) (loanbook.Loan, error) {
	raw, err := unpacked(raw)
	if err != nil {
		return loanbook.Loan{}, err
	}
	return readVersion("loan", raw, func(s *storedLoan) (int, bool) { return s.V, s.V1 != nil },
		func(s *storedLoan) (loanbook.Loan, error) { return v1Loan(*s.V1) },
		func(s *storedLoan) (loanbook.Loan, error) { return DomainLoan(s.Loan) })
}

// ReadAttestation decodes a stored attestation of either version.
func ReadAttestation(raw []byte) (pricing.Attestation, error) {
	return readVersion("attestation", raw, func(s *Attestation) (int, bool) { return s.V, true },
		func(s *Attestation) (pricing.Attestation, error) {
			var a attestationV1
			if err := json.Unmarshal(s.Attestation, &a); err != nil {
				return pricing.Attestation{}, err
			}
			return v1Attestation(a)
		}, func(s *Attestation) (pricing.Attestation, error) { return DomainAttestation(*s) })
}

// storedSchedule is a schedules/ value of either version: version 1 nests
// the state under "state".
type storedSchedule struct {
	Schedule
	State *scheduleV1 `json:"state"`
}

// ReadSchedule decodes a stored schedule state of any version, compressed or bare.
func ReadSchedule(raw []byte) (loanbook.ScheduleState, error) {
	if isStamped(raw) {
		front, rec, err := unstamped(raw)
		if err != nil {
			return loanbook.ScheduleState{}, err
		}
		st, err := readSchedule(rec)
		if err == nil {
			err = checkStamp(front, st.Stamp())
		}
		return st, err
	}
	raw, err := unpacked(raw)
	if err != nil {
		return loanbook.ScheduleState{}, err
	}
	return readSchedule(raw)
}

// readSchedule decodes a schedule state's JSON record of either version.
func readSchedule(raw []byte) (loanbook.ScheduleState, error) {
	return readVersion("schedule", raw, func(s *storedSchedule) (int, bool) { return s.V, s.State != nil },
		func(s *storedSchedule) (loanbook.ScheduleState, error) { return v1Schedule(*s.State) },
		func(s *storedSchedule) (loanbook.ScheduleState, error) { return DomainSchedule(s.Schedule) })
}

// ReadStamp decodes only a schedule state's stamp: of a version-3 value,
// the stamp in front of its frame, without decompressing it; of a
// compressed version-2 record, only as far as its stamp (stamp.go); of
// bare records, the record with encoding/json skipping the rates and SPTs
// without building them, which made the check of a planned repricing
// several times cheaper than reading the whole state.
func ReadStamp(raw []byte) (loanbook.ScheduleStamp, error) {
	if isStamped(raw) {
		st, _, err := splitStamped(raw)
		return st, err
	}
	if len(raw) > 1 && raw[0] == decisionZstd {
		return readStampPacked(raw)
	}
	return readStampRecord(raw)
}

// readStampRecord is ReadStamp of a record out of its envelope.
func readStampRecord(raw []byte) (loanbook.ScheduleStamp, error) {
	type stamp struct {
		Revision     uint64         `json:"revision"`
		DecisionSeq  uint64         `json:"decision_seq"`
		LatestFixing tfpricing.Date `json:"latest_fixing"`
	}
	type stored struct {
		V int `json:"v"`
		stamp
		State *struct {
			Revision     uint64         `json:"Revision"`
			DecisionSeq  uint64         `json:"DecisionSeq"`
			LatestFixing tfpricing.Date `json:"LatestFixing"`
		} `json:"state"`
	}
	return readVersion("schedule", raw, func(s *stored) (int, bool) { return s.V, s.State != nil },
		func(s *stored) (loanbook.ScheduleStamp, error) { return loanbook.ScheduleStamp(*s.State), nil },
		func(s *stored) (loanbook.ScheduleStamp, error) { return loanbook.ScheduleStamp(s.stamp), nil })
}

// ReadFixing decodes a stored fixing of either version.
func ReadFixing(raw []byte) (pricing.Fixing, error) {
	return readVersion("fixing", raw, func(s *Fixing) (int, bool) { return s.V, true },
		func(s *Fixing) (pricing.Fixing, error) {
			var f fixingV1
			if err := json.Unmarshal(s.Fixing, &f); err != nil {
				return pricing.Fixing{}, err
			}
			return v1Fixing(f)
		}, func(s *Fixing) (pricing.Fixing, error) { return DomainFixing(*s) })
}
