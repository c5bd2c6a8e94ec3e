package loanbook

import (
	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// Hooks for the external tests (package loanbook_test, which may import
// boltstore: boltstore imports loanbook for the Store contract).

// ViewRevision reads loan id's view as an attestation does and returns the
// schedule revision it shows.
func (s *Service) ViewRevision(tx Tx, id string, committed bool) (uint64, error) {
	v, err := s.loanView(tx, id, committed)
	if err != nil {
		return 0, err
	}
	return v.state.Revision, nil
}

// Cached reports whether a view of loan id read at stamp is cached.
func (s *Service) Cached(id string, stamp ScheduleStamp) bool {
	_, ok := s.views.get(id, stamp)
	return ok
}

// ViewParts reads loan id's view as a read transaction does — from the
// cache when it may — or, with full, from tx alone, as a cold cache would.
func (s *Service) ViewParts(tx Tx, id string, full bool) (Loan, ScheduleState, []pricing.Attestation, audit.AttestationChain, error) {
	if !full {
		v, err := s.loanView(tx, id, true)
		if err != nil {
			return Loan{}, ScheduleState{}, nil, audit.AttestationChain{}, err
		}
		return v.loan, v.state, v.atts, v.chain, nil
	}
	l, err := tx.Loan(id)
	if err != nil {
		return Loan{}, ScheduleState{}, nil, audit.AttestationChain{}, err
	}
	st, err := tx.Schedule(id)
	if err != nil {
		return Loan{}, ScheduleState{}, nil, audit.AttestationChain{}, err
	}
	atts, err := tx.Attestations(id)
	if err != nil {
		return Loan{}, ScheduleState{}, nil, audit.AttestationChain{}, err
	}
	c, err := chainOf(st, atts)
	return l, st, atts, c, err
}

// PrepareAttestation prepares req in tx as an attestation does, with
// arrival sequence seq, and stores nothing (BenchmarkPrepareAttestation).
func (s *Service) PrepareAttestation(tx Tx, req AttestationRequest, today tfpricing.Date, seq uint64) error {
	_, err := s.prepareAttestation(tx, req, tfpricing.Actor{}, today, seq, nil, true)
	return err
}
