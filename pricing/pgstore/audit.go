package pgstore

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/storedfmt"
)

// verifyBatch is how many decision records VerifyChain reads per query.
const verifyBatch = 10_000

// VerifyChain implements loanbook.Auditor: the decision chain walked from
// record 1 in one REPEATABLE READ, read-only transaction (one snapshot, so
// the head it compares with is the head of the records it read), batches
// of verifyBatch records per query. Beyond the chain it checks that every
// record sits under its own sequence number and that the chain_head row is
// the last record.
func (s *Store) VerifyChain(ctx context.Context, pins []audit.Checkpoint, pub ed25519.PublicKey) (audit.ChainReport, error) {
	v := audit.NewChainVerifier()
	for _, cp := range pins {
		if err := v.Pin(cp, pub); err != nil {
			return audit.ChainReport{}, err
		}
	}
	var broken *audit.ChainReport
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return v.Report(), unavailable(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	t := &txn{ctx: ctx, tx: tx, pool: s.pool, scanFixings: true}
	for first := true; ; first = false {
		from := int64(v.Next())
		if first {
			from = -1 << 62 // a record under seq 0 or below must be seen too
		}
		rows, err := tx.Query(ctx, "SELECT seq, record FROM decisions WHERE seq >= $1 ORDER BY seq LIMIT $2", from, verifyBatch)
		if err != nil {
			return v.Report(), classify(err)
		}
		type row struct {
			seq    int64
			record []byte
		}
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			return x, r.Scan(&x.seq, &x.record)
		})
		if err != nil {
			return v.Report(), classify(err)
		}
		// Decompressed and verified storedfmt.VerifyChunk records at a
		// time, so the canonical bytes held at once stay bounded.
		pending := make([][]byte, 0, storedfmt.VerifyChunk)
		var misplaced *row
		for i := range got {
			if uint64(got[i].seq) != v.Next()+uint64(len(pending)) || got[i].seq <= 0 {
				misplaced = &got[i]
				break
			}
			pending = append(pending, got[i].record)
			if len(pending) == cap(pending) {
				if !v.AddRecords(storedfmt.DecisionsOrStored(pending)) {
					return v.Report(), nil
				}
				pending = pending[:0]
			}
		}
		if !v.AddRecords(storedfmt.DecisionsOrStored(pending)) {
			return v.Report(), nil
		}
		if misplaced != nil {
			before := v.Report().Head
			if v.AddRecord(storedfmt.DecisionOrStored(misplaced.record)) {
				broken = audit.BrokenAt(before, before.Seq+1, fmt.Sprintf(
					"record %d is stored under the sequence number %d: the records were renumbered", before.Seq+1, misplaced.seq))
			}
			if broken != nil {
				return *broken, nil
			}
			return v.Report(), nil
		}
		if len(got) == verifyBatch {
			continue
		}
		if b := audit.CheckHead(t, v.Report(), "the database"); b != nil {
			return *b, nil
		}
		return v.Report(), nil
	}
}

// DecisionRecord implements loanbook.Auditor: the canonical bytes of record
// seq as stored (decompressed), or the stored bytes as they are when they
// do not decompress; ENOTFOUND when there is none.
func (s *Store) DecisionRecord(seq uint64) ([]byte, error) {
	var raw []byte
	err := s.pool.QueryRow(context.Background(), "SELECT record FROM decisions WHERE seq = $1", int64(seq)).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(fmt.Sprintf("decision %d", seq))
	}
	return storedfmt.DecisionOrStored(raw), classify(err)
}
