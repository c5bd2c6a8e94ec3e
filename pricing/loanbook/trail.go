package loanbook

import (
	"context"
	"crypto/ed25519"
	"io"

	"tfpricing"
	"tfpricing/pricing/audit"
)

// The decision trail as the service reads it (DESIGN.md §6): listing,
// reading, replaying, verifying and exporting decision records. Every read
// is its own read transaction; nothing here writes.

// Auditor is the optional audit side of a Store: what walks or copies the
// whole data file in transactions of its own choosing. boltstore.Store
// implements it; a store without it answers the methods below with
// EUNAVAILABLE.
type Auditor interface {
	// VerifyChain walks the whole decision chain in bounded read
	// transactions, requiring the pinned checkpoints' hashes. Its error is
	// a read failure; a broken chain is reported in the ChainReport.
	VerifyChain(ctx context.Context, pins []audit.Checkpoint, pub ed25519.PublicKey) (audit.ChainReport, error)
	// DecisionRecord returns the canonical bytes of record seq as stored
	// (a store keeps them compressed: pricing/storedfmt), or the stored
	// bytes as they are when they do not decode; ENOTFOUND when none.
	DecisionRecord(seq uint64) ([]byte, error)
	// Backup writes a consistent snapshot of the data file.
	Backup(w io.Writer) (int64, error)
}

// Auditable reports, as an EUNAVAILABLE error, a store without an audit
// side, so that a caller can refuse before it starts a response.
func (s *Service) Auditable() error {
	_, err := s.auditor()
	return err
}

func (s *Service) auditor() (Auditor, error) {
	if a, ok := s.cfg.Store.(Auditor); ok {
		return a, nil
	}
	return nil, tfpricing.Errorf(tfpricing.EUNAVAILABLE, "this store offers no verification or backup")
}

// VerifyChain verifies the whole decision chain (Auditor.VerifyChain).
func (s *Service) VerifyChain(ctx context.Context, pins []audit.Checkpoint, pub ed25519.PublicKey) (audit.ChainReport, error) {
	a, err := s.auditor()
	if err != nil {
		return audit.ChainReport{}, err
	}
	return a.VerifyChain(ctx, pins, pub)
}

// DecisionRecord returns decision seq exactly as stored, or ENOTFOUND: the
// canonical bytes its hash covers, shown even when they no longer decode.
func (s *Service) DecisionRecord(seq uint64) ([]byte, error) {
	a, err := s.auditor()
	if err != nil {
		return nil, err
	}
	return a.DecisionRecord(seq)
}

// Backup writes a consistent snapshot of the data file to w.
func (s *Service) Backup(w io.Writer) (int64, error) {
	a, err := s.auditor()
	if err != nil {
		return 0, err
	}
	return a.Backup(w)
}

// Decisions returns up to limit decisions after seq that match f, in
// sequence order, and whether more may follow.
func (s *Service) Decisions(ctx context.Context, f DecisionFilter, after uint64, limit int) ([]audit.Decision, bool, error) {
	var list []audit.Decision
	var more bool
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		var err error
		list, more, err = tx.Decisions(f, after, limit)
		return err
	})
	return list, more, err
}

// Replay recomputes decision seq from its recorded inputs and the
// documents and fixings it names, read in one transaction (audit.Replay).
// It changes nothing.
func (s *Service) Replay(ctx context.Context, seq uint64) (audit.ReplayResult, audit.DecisionKind, error) {
	var res audit.ReplayResult
	var kind audit.DecisionKind
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		d, err := tx.Decision(seq)
		if err != nil {
			return err
		}
		kind = d.Kind
		res, err = audit.Replay(d, s.docs.Wrap(tx))
		return err
	})
	return res, kind, err
}

// ChainHead returns the sequence and hash of the last decision.
func (s *Service) ChainHead(ctx context.Context) (audit.ChainHead, error) {
	var head audit.ChainHead
	err := s.cfg.Store.View(ctx, func(tx Tx) (err error) { head, err = tx.ChainHead(); return })
	return head, err
}

// DecisionRecords returns up to limit stored records from seq on, in one
// read transaction, for export.
func (s *Service) DecisionRecords(ctx context.Context, from uint64, limit int) ([][]byte, error) {
	var batch [][]byte
	err := s.cfg.Store.View(ctx, func(tx Tx) (err error) { batch, err = tx.DecisionRecords(from, limit); return })
	return batch, err
}
