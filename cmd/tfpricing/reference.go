package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"tfpricing"
	"tfpricing/configs"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// storeReference saves every catalogue and policy document
// content-addressed, so decisions can be replayed after configs/ changes,
// and records a load decision for each document seen for the first time.
func storeReference(ctx context.Context, ref *configs.Reference, s loanbook.Store, log zerolog.Logger, today tfpricing.Date) error {
	record := func(tx loanbook.Tx, d audit.Decision, err error) error {
		if err != nil {
			return err
		}
		// Load decisions are the service's own; time.Now only stamps them.
		d.Actor, d.RecordedAt, d.BusinessDate, d.AsOf = systemActor, time.Now().UTC(), today, today
		return tx.AppendDecision(&d)
	}
	return s.Update(ctx, func(tx loanbook.Tx) error {
		for _, c := range ref.Catalogues.Versions() {
			created, err := tx.PutDocument(audit.DocCatalogue, c.Digest, c.Canonical)
			if err != nil {
				return err
			}
			if created {
				d, err := audit.CatalogueLoadDecision(c)
				if err := record(tx, d, err); err != nil {
					return err
				}
			}
			log.Info().Str("catalogue", c.ID).Str("version", c.Version).Str("digest", c.Digest).
				Bool("new", created).Msg("catalogue version loaded")
		}
		for _, p := range ref.Policies.All() {
			created, err := tx.PutDocument(audit.DocPolicy, p.Digest, p.Canonical)
			if err != nil {
				return err
			}
			if created {
				d, err := audit.PolicyLoadDecision(p)
				if err := record(tx, d, err); err != nil {
					return err
				}
			}
			log.Info().Str("policy", p.Version).Str("digest", p.Digest).Bool("new", created).Msg("pricing policy loaded")
		}
		return nil
	})
}
