// Package loanbook is the service layer, and the only one that opens store
// transactions: booking priced loans, accepting KPI attestations,
// publishing LPR fixings and sweeping due dates, keeping quotes, recording
// simulations and reference-document loads — each as one transaction that
// writes the state change and the decision that explains it together —
// and reading, replaying and verifying the decision trail. It returns
// domain results and tfpricing errors; transports render them.
//
// It declares the Store it needs (store.go, loan.go, store_decisions.go;
// the contract is tested by storetest). The arithmetic is pricing.Compute,
// the records pricing/audit's; this package decides what to recompute,
// when, and what to persist. It reads no clock of its own: the business
// date and the wall clock are injected.
package loanbook

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// Config wires a Service.
type Config struct {
	Store      Store
	Catalogues *catalog.Set
	Policies   *pricing.PolicySet
	// Shipped is the LPR history shipped with the binary; fixings published
	// through the API are read from the store and added to it.
	Shipped pricing.Curve
	// Today returns the business date; Now the wall clock (timestamps only).
	Today func() tfpricing.Date
	Now   func() time.Time
	// BatchSize is how many loans one repricing or sweep transaction
	// recalculates: large enough to amortise the fsync, small enough that
	// no transaction holds the writer for long.
	BatchSize int
	// ProposalValidityDays is lifecycle.proposal_validity_days (0: the
	// default, 30); FourEyesReferenceData is
	// lifecycle.four_eyes_reference_data (DESIGN.md §5.1).
	ProposalValidityDays  int
	FourEyesReferenceData bool
	// Verifiers is the accredited verification bodies' list; nil or empty
	// restricts nothing.
	Verifiers []Verifier
}

// Observer is told what the loan book committed, for metrics.
type Observer struct {
	Recalculated func(n int)       // schedules rewritten by one transaction
	Decided      func(kind string) // one committed decision
}

// Service is the loan book.
type Service struct {
	cfg      Config
	curve    atomic.Pointer[pricing.Curve]
	inflight sync.Map // idempotency keys being processed → struct{}
	// attSeq is the last attestation arrival sequence handed out. Sequences
	// are taken before an attestation is computed, outside the write
	// transaction, and claimed in the store when it commits.
	attSeq atomic.Uint64
	views  *loanCache           // decoded loans recently attested, by schedule stamp
	docs   *audit.DocumentCache // parsed documents for replay, by digest
	// shared: the store is written by other processes too (SharedTx), so
	// the curve is checked against it in every transaction that prices.
	shared bool
	// publishMu serialises fixing publications so two admins cannot
	// interleave "latest fixing" checks.
	publishMu sync.Mutex
	observer  atomic.Pointer[Observer]
}

// Observe installs the metrics hooks; safe to call while the book runs.
func (s *Service) Observe(o Observer) { s.observer.Store(&o) }

// New builds the Service and loads the published fixings from the store.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg, views: newLoanCache(loanCacheSize), docs: audit.NewDocumentCache()}
	var curve pricing.Curve
	err := cfg.Store.View(ctx, func(tx Tx) error {
		_, s.shared = tx.(SharedTx)
		seq, err := tx.AttestationSequence()
		if err != nil {
			return err
		}
		s.attSeq.Store(seq)
		published, err := tx.Fixings()
		if err != nil {
			return err
		}
		curve, err = withPublished(cfg.Shipped, published)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.curve.Store(&curve)
	return s, nil
}

func curveHas(c pricing.Curve, d tfpricing.Date) bool {
	f, ok := c.InForce(d)
	return ok && f.EffectiveDate == d
}

// Curve returns the LPR history: shipped and published fixings, as this
// process last saw them — over a shared store, another replica may have
// published one since; CurrentCurve checks.
func (s *Service) Curve() pricing.Curve { return *s.curve.Load() }

// Today returns the business date.
func (s *Service) Today() tfpricing.Date { return s.cfg.Today() }

// policy returns the policy with the digest a loan froze. Policies dropped
// from configs/ since are re-read from their stored canonical document, so
// a loan keeps its pricing whatever the configuration does.
func (s *Service) policy(tx Tx, ref pricing.PolicyRef) (*pricing.Policy, error) {
	if p, ok := s.cfg.Policies.ByDigest(ref.Digest); ok {
		return p, nil
	}
	doc, err := tx.Document(audit.DocPolicy, ref.Digest)
	if err != nil {
		return nil, err
	}
	return pricing.ParsePolicy("stored policy "+ref.Digest, doc)
}

// compute recalculates a loan's schedule as of asOf from its stored events.
// The curve is the one tx sees (curveIn).
func (s *Service) compute(tx Tx, l Loan, atts []pricing.Attestation, asOf tfpricing.Date) (pricing.Schedule, error) {
	curve, err := s.curveIn(tx)
	if err != nil {
		return pricing.Schedule{}, err
	}
	return s.computeOn(tx, l, atts, asOf, curve)
}

// computeOn is compute on a given curve, which the caller took from
// curveIn in the same transaction.
func (s *Service) computeOn(tx Tx, l Loan, atts []pricing.Attestation, asOf tfpricing.Date, curve pricing.Curve) (pricing.Schedule, error) {
	p, err := s.policy(tx, l.Policy)
	if err != nil {
		return pricing.Schedule{}, err
	}
	return pricing.Compute(pricing.Input{Terms: l.Terms, Policy: p, Curve: curve, Attestations: atts, AsOf: asOf,
		Lifecycle: l.Lifecycle.Pricing()})
}

func (s *Service) recalculated(n int) {
	if o := s.observer.Load(); o != nil && o.Recalculated != nil && n > 0 {
		o.Recalculated(n)
	}
}

// latestFixing returns the effective date of the newest fixing in force on d.
func (s *Service) latestFixing(d tfpricing.Date) tfpricing.Date {
	f, _ := s.Curve().InForce(d)
	return f.EffectiveDate
}
