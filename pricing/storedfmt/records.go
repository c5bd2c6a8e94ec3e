// Package storedfmt holds the stored record formats that boltstore and
// pgstore share, byte for byte: the loan book's loans, attestations,
// schedule states and fixings (version 2; version 1, which only old bbolt
// files hold, is read by records_v1.go and written by nothing), quotes,
// proposals and lifecycles, and the envelope of stored decision records
// (decisions.go). They are private, tagged records, converted to and from
// the domain types by the New… and Domain… functions here and nowhere
// else, so renaming a domain field cannot change a stored byte. Nested
// values that pricing/audit already gives a canonical, versioned record —
// terms, attestations, fixings — are stored in that form, which decision
// hashes freeze anyway. Decimals are written exactly (every digit of their
// scale), without decimal's package-level settings.
//
// A backup file written from PostgreSQL, and a book migrated either way,
// holds the same bytes as the store it came from because both stores encode
// with this package.
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

// V2 is the version of the loan book's records that is written.
const V2 = 2

type Loan struct {
	V           int             `json:"v"`
	ID          string          `json:"id"`
	ExternalRef string          `json:"external_ref"`
	QuoteID     string          `json:"quote_id,omitempty"`
	BookedAt    time.Time       `json:"booked_at"`
	BookedOn    tfpricing.Date  `json:"booked_on"`
	AsOf        tfpricing.Date  `json:"as_of"`
	Borrower    Borrower        `json:"borrower"`
	PathwayID   string          `json:"pathway_id"`
	Terms       json.RawMessage `json:"terms"` // audit.EncodeTerms
	Catalogue   Ref             `json:"catalogue"`
	Policy      Ref             `json:"policy"`
	Request     json.RawMessage `json:"request,omitempty"`
}

type Borrower struct {
	Name                string `json:"name"`
	USCC                string `json:"uscc"`
	IndustryCode        string `json:"industry_code"`
	JustTransitionScore *int   `json:"just_transition_score,omitempty"`
	ObsoleteCapacity    bool   `json:"obsolete_capacity"`
	NewCapacity         bool   `json:"new_capacity,omitempty"`
}

type Attestation struct {
	V           int             `json:"v"`
	LoanID      string          `json:"loan_id"`
	Attestation json.RawMessage `json:"attestation"` // audit.EncodeAttestation
}

type Schedule struct {
	V             int            `json:"v"`
	LoanID        string         `json:"loan_id"`
	CalculatedOn  tfpricing.Date `json:"calculated_on"`
	LatestFixing  tfpricing.Date `json:"latest_fixing"`
	Revision      uint64         `json:"revision"`
	DecisionSeq   uint64         `json:"decision_seq"`
	Rates         []PeriodRate   `json:"rates"`
	TotalInterest string         `json:"total_interest"`
	SPTs          []SPTMark      `json:"spts"`
	// AttChain is loanbook.ScheduleState.AttChain (issue 18), left out
	// by states written before it, which read as the zero value.
	AttChain *AttChain `json:"att_chain,omitempty"`
}

// AttChain is an audit.AttestationChain: the running hash over a loan's
// attestations that its decisions reference (inputs layout 2).
type AttChain struct {
	Count      int    `json:"count"`
	ThroughSeq uint64 `json:"through_seq"`
	Chain      string `json:"chain"`
}

type PeriodRate struct {
	Period int            `json:"period"`
	Start  tfpricing.Date `json:"start"`
	Rate   string         `json:"rate"`
}

type SPTMark struct {
	MetricID     string         `json:"metric_id"`
	Year         int            `json:"year"`
	Outcome      string         `json:"outcome"`
	DeterminedOn tfpricing.Date `json:"determined_on"`
}

type Fixing struct {
	V      int             `json:"v"`
	Fixing json.RawMessage `json:"fixing"` // audit.EncodeFixing
}

// exact writes d with every digit of its scale ("20000000.00" stays so).
func Exact(d decimal.Decimal) string { return d.StringFixed(max(0, -d.Exponent())) }

// ParseExact parses a decimal written by Exact, naming what in its error.
func ParseExact(what, s string) (decimal.Decimal, error) {
	d, err := pricing.ParseDecimal(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("storedfmt: %s: %w", what, err)
	}
	return d, nil
}

// NewLoan is the record of a loan (EncodeLoan stores it).
func NewLoan(l loanbook.Loan) (Loan, error) {
	terms, err := audit.EncodeTerms(l.Terms)
	if err != nil {
		return Loan{}, err
	}
	b := l.Borrower
	return Loan{V: V2, ID: l.ID, ExternalRef: l.ExternalRef, QuoteID: l.QuoteID, BookedAt: l.BookedAt,
		BookedOn: l.BookedOn, AsOf: l.AsOf, PathwayID: l.PathwayID, Terms: terms, Request: l.Request,
		Borrower: Borrower{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
			JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: b.NewCapacity},
		Catalogue: Ref{ID: l.Catalogue.ID, Version: l.Catalogue.Version, Digest: l.Catalogue.Digest},
		Policy:    Ref{Version: l.Policy.Version, Digest: l.Policy.Digest}}, nil
}

// EncodeLoan is the stored form of a loan: its record, in the envelope of
// decision records (decisions.go) — a loan record is mostly its terms and
// request, which compress as well as a decision's inputs. ReadLoan reads
// it, and the bare JSON records of files written before.
func EncodeLoan(l loanbook.Loan) ([]byte, error) {
	rec, err := NewLoan(l)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	return pack(b), nil
}

// DomainLoan is the loan a record holds.
func DomainLoan(r Loan) (loanbook.Loan, error) {
	terms, err := audit.DecodeTerms(r.Terms)
	if err != nil {
		return loanbook.Loan{}, fmt.Errorf("storedfmt: loan %s: %w", r.ID, err)
	}
	b := r.Borrower
	return loanbook.Loan{ID: r.ID, ExternalRef: r.ExternalRef, QuoteID: r.QuoteID, BookedAt: r.BookedAt,
		BookedOn: r.BookedOn, AsOf: r.AsOf, PathwayID: r.PathwayID, Terms: terms, Request: r.Request,
		Borrower: catalog.Borrower{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
			JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: b.NewCapacity},
		Catalogue: catalog.Ref{ID: r.Catalogue.ID, Version: r.Catalogue.Version, Digest: r.Catalogue.Digest},
		Policy:    pricing.PolicyRef{Version: r.Policy.Version, Digest: r.Policy.Digest}}, nil
}

// NewAttestation is the stored form of a loan's attestation.
func NewAttestation(loanID string, a pricing.Attestation) (Attestation, error) {
	b, err := audit.EncodeAttestation(a)
	return Attestation{V: V2, LoanID: loanID, Attestation: b}, err
}

// DomainAttestation is the attestation a record holds.
func DomainAttestation(r Attestation) (pricing.Attestation, error) {
	return audit.DecodeAttestation(r.Attestation)
}

// NewSchedule is the record of a schedule state (EncodeSchedule stores it).
func NewSchedule(s loanbook.ScheduleState) Schedule {
	r := Schedule{V: V2, LoanID: s.LoanID, CalculatedOn: s.CalculatedOn, LatestFixing: s.LatestFixing,
		Revision: s.Revision, DecisionSeq: s.DecisionSeq, TotalInterest: Exact(s.TotalInterest),
		Rates: make([]PeriodRate, len(s.Rates)), SPTs: make([]SPTMark, len(s.SPTs))}
	for i, p := range s.Rates {
		r.Rates[i] = PeriodRate{Period: p.Period, Start: p.Start, Rate: Exact(p.Rate)}
	}
	for i, m := range s.SPTs {
		r.SPTs[i] = SPTMark{MetricID: m.MetricID, Year: m.Year, Outcome: string(m.Outcome), DeterminedOn: m.DeterminedOn}
	}
	if c := s.AttChain; c != (audit.AttestationChain{}) {
		r.AttChain = &AttChain{Count: c.Count, ThroughSeq: c.ThroughSeq, Chain: c.Chain}
	}
	return r
}

// EncodeSchedule is the stored form of a schedule state: its record
// compressed as a loan's (EncodeLoan), with its stamp in front
// (version 3, schedule_stamp.go). ReadSchedule and ReadStamp read it, and
// the versions written before (bare JSON; the decisions' envelope).
func EncodeSchedule(s loanbook.ScheduleState) ([]byte, error) {
	b := appendScheduleJSON(make([]byte, 0, 384+96*len(s.Rates)+112*len(s.SPTs)), s)
	return packSchedule(s.Stamp(), b), nil
}

// unpacked is a stored record without its envelope, if it has one.
func unpacked(raw []byte) ([]byte, error) {
	if len(raw) > 0 && raw[0] == decisionZstd {
		return unpack(raw)
	}
	return raw, nil
}

// DomainSchedule is the schedule state a record holds.
func DomainSchedule(r Schedule) (loanbook.ScheduleState, error) {
	s := loanbook.ScheduleState{LoanID: r.LoanID, CalculatedOn: r.CalculatedOn, LatestFixing: r.LatestFixing,
		Revision: r.Revision, DecisionSeq: r.DecisionSeq,
		Rates: make([]audit.PeriodRate, len(r.Rates)), SPTs: make([]loanbook.SPTMark, len(r.SPTs))}
	var err error
	if s.TotalInterest, err = ParseExact("schedule total_interest", r.TotalInterest); err != nil {
		return loanbook.ScheduleState{}, err
	}
	for i, p := range r.Rates {
		s.Rates[i] = audit.PeriodRate{Period: p.Period, Start: p.Start}
		if s.Rates[i].Rate, err = ParseExact("schedule rate", p.Rate); err != nil {
			return loanbook.ScheduleState{}, err
		}
	}
	for i, m := range r.SPTs {
		s.SPTs[i] = loanbook.SPTMark{MetricID: m.MetricID, Year: m.Year, Outcome: pricing.Outcome(m.Outcome), DeterminedOn: m.DeterminedOn}
	}
	if c := r.AttChain; c != nil {
		s.AttChain = audit.AttestationChain{Count: c.Count, ThroughSeq: c.ThroughSeq, Chain: c.Chain}
	}
	return s, nil
}

// NewFixing is the stored form of an LPR fixing.
func NewFixing(f pricing.Fixing) (Fixing, error) {
	b, err := audit.EncodeFixing(f)
	return Fixing{V: V2, Fixing: b}, err
}

// DomainFixing is the fixing a record holds.
func DomainFixing(r Fixing) (pricing.Fixing, error) {
	return audit.DecodeFixing(r.Fixing)
}

// Ref stores a catalogue or policy reference.
type Ref struct {
	ID      string `json:"id,omitempty"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// Quote is the stored form of a quote, version 1.
type Quote struct {
	V           int             `json:"v"`
	ID          string          `json:"id"`
	CreatedAt   time.Time       `json:"created_at"`
	AsOf        tfpricing.Date  `json:"as_of"`
	ValidUntil  tfpricing.Date  `json:"valid_until"`
	Request     json.RawMessage `json:"request"`
	Catalogue   Ref             `json:"catalogue"`
	Policy      Ref             `json:"policy"`
	DecisionSeq uint64          `json:"decision_seq"`
	LoanID      string          `json:"loan_id,omitempty"`
}

// NewQuote is the stored form of a quote.
func NewQuote(q loanbook.StoredQuote) Quote {
	return Quote{V: 1, ID: q.ID, CreatedAt: q.CreatedAt.UTC(), AsOf: q.AsOf, ValidUntil: q.ValidUntil, Request: q.Request,
		Catalogue:   Ref{ID: q.Catalogue.ID, Version: q.Catalogue.Version, Digest: q.Catalogue.Digest},
		Policy:      Ref{Version: q.Policy.Version, Digest: q.Policy.Digest},
		DecisionSeq: q.DecisionSeq, LoanID: q.LoanID}
}

// DomainQuote is the quote a record holds.
func DomainQuote(r Quote) loanbook.StoredQuote {
	return loanbook.StoredQuote{ID: r.ID, CreatedAt: r.CreatedAt, AsOf: r.AsOf, ValidUntil: r.ValidUntil, Request: r.Request,
		Catalogue:   catalog.Ref{ID: r.Catalogue.ID, Version: r.Catalogue.Version, Digest: r.Catalogue.Digest},
		Policy:      pricing.PolicyRef{Version: r.Policy.Version, Digest: r.Policy.Digest},
		DecisionSeq: r.DecisionSeq, LoanID: r.LoanID}
}

// AttestationRef is loanbook.AttestationRef as stored (in idempotency
// records, whose envelopes differ between the stores).
type AttestationRef struct {
	LoanID         string `json:"loan_id"`
	AttestationSeq uint64 `json:"attestation_seq"`
	DecisionSeq    uint64 `json:"decision_seq"`
	Status         string `json:"status"`
	Outcome        string `json:"outcome"`
	SPTOutcome     string `json:"spt_outcome"`
}

// NewAttestationRef is the stored form of an attestation reference.
func NewAttestationRef(r loanbook.AttestationRef) AttestationRef {
	return AttestationRef{LoanID: r.LoanID, AttestationSeq: r.AttestationSeq, DecisionSeq: r.DecisionSeq,
		Status: string(r.Timeliness), Outcome: string(r.Outcome), SPTOutcome: string(r.SPTOutcome)}
}

// Domain is the attestation reference a record holds.
func (r AttestationRef) Domain() loanbook.AttestationRef {
	return loanbook.AttestationRef{LoanID: r.LoanID, AttestationSeq: r.AttestationSeq, DecisionSeq: r.DecisionSeq,
		Timeliness: pricing.Timeliness(r.Status), Outcome: pricing.Outcome(r.Outcome), SPTOutcome: pricing.Outcome(r.SPTOutcome)}
}
