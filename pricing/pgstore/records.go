package pgstore

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

// The stored formats of the loan book's tables (loans, attestations,
// schedules, fixings), version 2 (the version boltstore writes): private, tagged records, converted
// to and from the domain types by the toDB… and toDomain… functions here
// and nowhere else, so renaming a domain field cannot change a stored
// byte. Nested values that pricing/audit already gives a canonical,
// versioned record — terms, attestations, fixings — are stored in that
// form, which decision hashes freeze anyway. Decimals are written exactly
// (every digit of their scale), without decimal's package-level settings.
// PostgreSQL never held version 1.

const recordV2 = 2

type loanRecord struct {
	V           int             `json:"v"`
	ID          string          `json:"id"`
	ExternalRef string          `json:"external_ref"`
	QuoteID     string          `json:"quote_id,omitempty"`
	BookedAt    time.Time       `json:"booked_at"`
	BookedOn    tfpricing.Date  `json:"booked_on"`
	AsOf        tfpricing.Date  `json:"as_of"`
	Borrower    borrowerRecord  `json:"borrower"`
	PathwayID   string          `json:"pathway_id"`
	Terms       json.RawMessage `json:"terms"` // audit.EncodeTerms
	Catalogue   refRecord       `json:"catalogue"`
	Policy      refRecord       `json:"policy"`
	Request     json.RawMessage `json:"request,omitempty"`
}

type borrowerRecord struct {
	Name                string `json:"name"`
	USCC                string `json:"uscc"`
	IndustryCode        string `json:"industry_code"`
	JustTransitionScore *int   `json:"just_transition_score,omitempty"`
	ObsoleteCapacity    bool   `json:"obsolete_capacity"`
	NewCapacity         bool   `json:"new_capacity,omitempty"`
}

type attestationRecord struct {
	V           int             `json:"v"`
	LoanID      string          `json:"loan_id"`
	Attestation json.RawMessage `json:"attestation"` // audit.EncodeAttestation
}

type scheduleRecord struct {
	V             int                `json:"v"`
	LoanID        string             `json:"loan_id"`
	CalculatedOn  tfpricing.Date     `json:"calculated_on"`
	LatestFixing  tfpricing.Date     `json:"latest_fixing"`
	Revision      uint64             `json:"revision"`
	DecisionSeq   uint64             `json:"decision_seq"`
	Rates         []periodRateRecord `json:"rates"`
	TotalInterest string             `json:"total_interest"`
	SPTs          []sptMarkRecord    `json:"spts"`
	// AttChain is loanbook.ScheduleState.AttChain (issue 18), left out
	// by states written before it, which read as the zero value.
	AttChain *attChainRecord `json:"att_chain,omitempty"`
}

// attChainRecord is an audit.AttestationChain.
type attChainRecord struct {
	Count      int    `json:"count"`
	ThroughSeq uint64 `json:"through_seq"`
	Chain      string `json:"chain"`
}

type periodRateRecord struct {
	Period int            `json:"period"`
	Start  tfpricing.Date `json:"start"`
	Rate   string         `json:"rate"`
}

type sptMarkRecord struct {
	MetricID     string         `json:"metric_id"`
	Year         int            `json:"year"`
	Outcome      string         `json:"outcome"`
	DeterminedOn tfpricing.Date `json:"determined_on"`
}

type fixingRecord struct {
	V      int             `json:"v"`
	Fixing json.RawMessage `json:"fixing"` // audit.EncodeFixing
}

// exact writes d with every digit of its scale ("20000000.00" stays so).
func exact(d decimal.Decimal) string { return d.StringFixed(max(0, -d.Exponent())) }

func parseExact(what, s string) (decimal.Decimal, error) {
	d, err := pricing.ParseDecimal(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("pgstore: %s: %w", what, err)
	}
	return d, nil
}

func toDBLoan(l loanbook.Loan) (loanRecord, error) {
	terms, err := audit.EncodeTerms(l.Terms)
	if err != nil {
		return loanRecord{}, err
	}
	b := l.Borrower
	return loanRecord{V: recordV2, ID: l.ID, ExternalRef: l.ExternalRef, QuoteID: l.QuoteID, BookedAt: l.BookedAt,
		BookedOn: l.BookedOn, AsOf: l.AsOf, PathwayID: l.PathwayID, Terms: terms, Request: l.Request,
		Borrower: borrowerRecord{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
			JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: b.NewCapacity},
		Catalogue: refRecord{ID: l.Catalogue.ID, Version: l.Catalogue.Version, Digest: l.Catalogue.Digest},
		Policy:    refRecord{Version: l.Policy.Version, Digest: l.Policy.Digest}}, nil
}

func toDomainLoan(r loanRecord) (loanbook.Loan, error) {
	terms, err := audit.DecodeTerms(r.Terms)
	if err != nil {
		return loanbook.Loan{}, fmt.Errorf("pgstore: loan %s: %w", r.ID, err)
	}
	b := r.Borrower
	return loanbook.Loan{ID: r.ID, ExternalRef: r.ExternalRef, QuoteID: r.QuoteID, BookedAt: r.BookedAt,
		BookedOn: r.BookedOn, AsOf: r.AsOf, PathwayID: r.PathwayID, Terms: terms, Request: r.Request,
		Borrower: catalog.Borrower{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
			JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: b.NewCapacity},
		Catalogue: catalog.Ref{ID: r.Catalogue.ID, Version: r.Catalogue.Version, Digest: r.Catalogue.Digest},
		Policy:    pricing.PolicyRef{Version: r.Policy.Version, Digest: r.Policy.Digest}}, nil
}

func toDBAttestation(loanID string, a pricing.Attestation) (attestationRecord, error) {
	b, err := audit.EncodeAttestation(a)
	return attestationRecord{V: recordV2, LoanID: loanID, Attestation: b}, err
}

func toDomainAttestation(r attestationRecord) (pricing.Attestation, error) {
	return audit.DecodeAttestation(r.Attestation)
}

func toDBSchedule(s loanbook.ScheduleState) scheduleRecord {
	r := scheduleRecord{V: recordV2, LoanID: s.LoanID, CalculatedOn: s.CalculatedOn, LatestFixing: s.LatestFixing,
		Revision: s.Revision, DecisionSeq: s.DecisionSeq, TotalInterest: exact(s.TotalInterest),
		Rates: make([]periodRateRecord, len(s.Rates)), SPTs: make([]sptMarkRecord, len(s.SPTs))}
	for i, p := range s.Rates {
		r.Rates[i] = periodRateRecord{Period: p.Period, Start: p.Start, Rate: exact(p.Rate)}
	}
	for i, m := range s.SPTs {
		r.SPTs[i] = sptMarkRecord{MetricID: m.MetricID, Year: m.Year, Outcome: string(m.Outcome), DeterminedOn: m.DeterminedOn}
	}
	if c := s.AttChain; c != (audit.AttestationChain{}) {
		r.AttChain = &attChainRecord{Count: c.Count, ThroughSeq: c.ThroughSeq, Chain: c.Chain}
	}
	return r
}

func toDomainSchedule(r scheduleRecord) (loanbook.ScheduleState, error) {
	s := loanbook.ScheduleState{LoanID: r.LoanID, CalculatedOn: r.CalculatedOn, LatestFixing: r.LatestFixing,
		Revision: r.Revision, DecisionSeq: r.DecisionSeq,
		Rates: make([]audit.PeriodRate, len(r.Rates)), SPTs: make([]loanbook.SPTMark, len(r.SPTs))}
	var err error
	if s.TotalInterest, err = parseExact("schedule total_interest", r.TotalInterest); err != nil {
		return loanbook.ScheduleState{}, err
	}
	for i, p := range r.Rates {
		s.Rates[i] = audit.PeriodRate{Period: p.Period, Start: p.Start}
		if s.Rates[i].Rate, err = parseExact("schedule rate", p.Rate); err != nil {
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

func toDBFixing(f pricing.Fixing) (fixingRecord, error) {
	b, err := audit.EncodeFixing(f)
	return fixingRecord{V: recordV2, Fixing: b}, err
}

func toDomainFixing(r fixingRecord) (pricing.Fixing, error) {
	return audit.DecodeFixing(r.Fixing)
}

// quoteRecord is the stored form of a quote (table quotes).
type quoteRecord struct {
	V           int             `json:"v"`
	ID          string          `json:"id"`
	CreatedAt   time.Time       `json:"created_at"`
	AsOf        tfpricing.Date  `json:"as_of"`
	ValidUntil  tfpricing.Date  `json:"valid_until"`
	Request     json.RawMessage `json:"request"`
	Catalogue   refRecord       `json:"catalogue"`
	Policy      refRecord       `json:"policy"`
	DecisionSeq uint64          `json:"decision_seq"`
	LoanID      string          `json:"loan_id,omitempty"`
}

// refRecord stores a catalogue or policy reference.
type refRecord struct {
	ID      string `json:"id,omitempty"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// idempotencyRecord is the stored outcome of a request with an
// Idempotency-Key (table idempotency), version 2 as boltstore's.
type idempotencyRecord struct {
	V           int                  `json:"v"`
	Key         string               `json:"key"`
	Scope       string               `json:"scope"`
	RequestHash string               `json:"request_hash"`
	CreatedAt   time.Time            `json:"created_at"`
	Result      attestationRefRecord `json:"result"`
	// Verbatim is a version-1 response copied from a bbolt file by migrate.
	Verbatim json.RawMessage `json:"verbatim,omitempty"`
}

// attestationRefRecord is loanbook.AttestationRef as stored.
type attestationRefRecord struct {
	LoanID         string `json:"loan_id"`
	AttestationSeq uint64 `json:"attestation_seq"`
	DecisionSeq    uint64 `json:"decision_seq"`
	Status         string `json:"status"`
	Outcome        string `json:"outcome"`
	SPTOutcome     string `json:"spt_outcome"`
}

func toDBQuote(q loanbook.StoredQuote) quoteRecord {
	return quoteRecord{V: 1, ID: q.ID, CreatedAt: q.CreatedAt.UTC(), AsOf: q.AsOf, ValidUntil: q.ValidUntil, Request: q.Request,
		Catalogue:   refRecord{ID: q.Catalogue.ID, Version: q.Catalogue.Version, Digest: q.Catalogue.Digest},
		Policy:      refRecord{Version: q.Policy.Version, Digest: q.Policy.Digest},
		DecisionSeq: q.DecisionSeq, LoanID: q.LoanID}
}

func toDomainQuote(r quoteRecord) loanbook.StoredQuote {
	return loanbook.StoredQuote{ID: r.ID, CreatedAt: r.CreatedAt, AsOf: r.AsOf, ValidUntil: r.ValidUntil, Request: r.Request,
		Catalogue:   catalog.Ref{ID: r.Catalogue.ID, Version: r.Catalogue.Version, Digest: r.Catalogue.Digest},
		Policy:      pricing.PolicyRef{Version: r.Policy.Version, Digest: r.Policy.Digest},
		DecisionSeq: r.DecisionSeq, LoanID: r.LoanID}
}

func toDBIdempotency(r loanbook.IdempotencyRecord) idempotencyRecord {
	res := r.Result
	return idempotencyRecord{V: 2, Key: r.Key, Scope: r.Scope, RequestHash: r.RequestHash, CreatedAt: r.CreatedAt,
		Verbatim: r.Verbatim, Result: attestationRefRecord{LoanID: res.LoanID, AttestationSeq: res.AttestationSeq,
			DecisionSeq: res.DecisionSeq, Status: string(res.Timeliness), Outcome: string(res.Outcome), SPTOutcome: string(res.SPTOutcome)}}
}

func toDomainIdempotency(r idempotencyRecord) loanbook.IdempotencyRecord {
	res := r.Result
	out := loanbook.IdempotencyRecord{Key: r.Key, Scope: r.Scope, RequestHash: r.RequestHash, CreatedAt: r.CreatedAt, Verbatim: r.Verbatim}
	if r.Verbatim == nil {
		out.Result = loanbook.AttestationRef{LoanID: res.LoanID, AttestationSeq: res.AttestationSeq, DecisionSeq: res.DecisionSeq,
			Timeliness: pricing.Timeliness(res.Status), Outcome: pricing.Outcome(res.Outcome), SPTOutcome: pricing.Outcome(res.SPTOutcome)}
	}
	return out
}
