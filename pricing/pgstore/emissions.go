package pgstore

import (
	"fmt"

	"github.com/jackc/pgx/v5"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// Table emissions (migrations/00003_emissions.sql): (uscc, seq) → the
// record of audit.EncodeEmissions, the same bytes boltstore keeps.

// PutEmissions implements loanbook.EmissionsTx. The primary key refuses a
// second record under one (uscc, seq); ON CONFLICT keeps the transaction
// usable so that the refusal is the service's ECONFLICT, not an abort.
func (t *txn) PutEmissions(e pricing.Emissions) error {
	rec, err := audit.EncodeEmissions(e)
	if err != nil {
		return err
	}
	tag, err := t.tx.Exec(t.ctx,
		"INSERT INTO emissions (uscc, seq, record) VALUES ($1, $2, $3) ON CONFLICT (uscc, seq) DO NOTHING",
		e.USCC, int64(e.Seq), rec)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return tfpricing.Errorf(tfpricing.ECONFLICT, "borrower %s already has emissions with sequence %d", e.USCC, e.Seq)
	}
	return nil
}

// Emissions implements loanbook.EmissionsTx.
func (t *txn) Emissions(uscc string) ([]pricing.Emissions, error) {
	rows, err := t.tx.Query(t.ctx, "SELECT seq, record FROM emissions WHERE uscc = $1 ORDER BY seq", uscc)
	if err != nil {
		return nil, err
	}
	type row struct {
		Seq    int64
		Record []byte
	}
	raws, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return nil, err
	}
	out := make([]pricing.Emissions, 0, len(raws))
	for _, r := range raws {
		e, err := audit.DecodeEmissions(r.Record)
		if err != nil {
			return nil, fmt.Errorf("pgstore: emissions %s/%d: %w", uscc, r.Seq, err)
		}
		out = append(out, e)
	}
	return out, nil
}
