package loanbook

import (
	"context"

	"tfpricing"
	"tfpricing/pricing"
)

// SharedTx is implemented by the transactions of a store that several
// processes (replicas of the service) write at once, such as pgstore. The
// loan book keeps two things in memory that another replica can move: the
// published LPR fixings, and the attestation arrival sequence. With a
// SharedTx it checks the first against the store inside every write
// transaction that prices, and takes the second from the store.
type SharedTx interface {
	// LatestPublished returns the effective date of the newest fixing
	// stored (zero when none).
	LatestPublished() (tfpricing.Date, error)
	// NextAttestationSeq hands out an attestation arrival sequence no
	// other process will hand out; unused ones leave gaps.
	NextAttestationSeq() (uint64, error)
}

// nextAttSeq hands out an attestation arrival sequence: the store's when
// it is shared, else this process's counter.
func (s *Service) nextAttSeq(tx Tx) (uint64, error) {
	if st, ok := tx.(SharedTx); ok {
		return st.NextAttestationSeq()
	}
	return s.attSeq.Add(1), nil
}

// refreshCurve reloads the published fixings when the store holds one this
// process has not seen (another replica published it), and reports whether
// the curve changed: anything priced before in this transaction must then
// be priced again. A store that is not shared is never changed by others.
func (s *Service) refreshCurve(tx Tx) (bool, error) {
	st, ok := tx.(SharedTx)
	if !ok {
		return false, nil
	}
	latest, err := st.LatestPublished()
	if err != nil || latest.IsZero() || curveHas(s.Curve(), latest) {
		return false, err
	}
	published, err := tx.Fixings()
	if err != nil {
		return false, err
	}
	curve, err := withPublished(s.cfg.Shipped, published)
	if err != nil {
		return false, err
	}
	for {
		cur := s.curve.Load()
		if len(cur.Fixings()) >= len(curve.Fixings()) && curveHas(*cur, latest) {
			return false, nil // another goroutine got there first
		}
		if s.curve.CompareAndSwap(cur, &curve) {
			return true, nil
		}
	}
}

// curveIn returns the curve with every fixing tx can see: over a shared
// store it is checked against the newest published fixing tx reads (a
// store answers that once per transaction), and reloaded when another
// replica published one. Fixings are only ever added, each later than all
// before it (PublishFixing), so the newest one's date is the curve's stamp.
func (s *Service) curveIn(tx Tx) (pricing.Curve, error) {
	if _, err := s.refreshCurve(tx); err != nil {
		return pricing.Curve{}, err
	}
	return s.Curve(), nil
}

// CurrentCurve returns the LPR history as the store has it now, for
// pricing outside the loan book (quotes, simulations, the fixings list):
// over a shared store it reads the newest published fixing first (one
// short read transaction) and reloads when another replica published one,
// so the next quote on any replica uses a fixing once it is published.
func (s *Service) CurrentCurve(ctx context.Context) (pricing.Curve, error) {
	if !s.shared {
		return s.Curve(), nil
	}
	if err := s.Refresh(ctx); err != nil {
		return pricing.Curve{}, err
	}
	return s.Curve(), nil
}

// Refresh checks the published fixings against the store (a replica calls
// it periodically too, to keep its curve warm).
func (s *Service) Refresh(ctx context.Context) error {
	return s.cfg.Store.View(ctx, func(tx Tx) error {
		_, err := s.refreshCurve(tx)
		return err
	})
}

// withPublished is the shipped curve with the published fixings added; a
// fixing shipped later in a new release wins over its published copy.
func withPublished(shipped pricing.Curve, published []pricing.Fixing) (pricing.Curve, error) {
	curve := shipped
	for _, f := range published {
		if _, known := curve.InForce(f.EffectiveDate); known && curveHas(curve, f.EffectiveDate) {
			continue
		}
		var err error
		if curve, err = curve.With(f); err != nil {
			return pricing.Curve{}, err
		}
	}
	return curve, nil
}
