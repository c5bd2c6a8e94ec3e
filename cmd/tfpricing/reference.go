package main

import (
	"context"

	"github.com/rs/zerolog"

	"tfpricing/configs"
	"tfpricing/pricing"
)

// storeReference saves every catalogue and policy document
// content-addressed, so decisions can be replayed after configs/ changes.
func storeReference(ctx context.Context, ref *configs.Reference, s pricing.Store, log zerolog.Logger) error {
	return s.Update(ctx, func(tx pricing.Tx) error {
		for _, c := range ref.Catalogues.Versions() {
			created, err := tx.PutDocument(pricing.DocCatalogue, c.Digest, c.Canonical)
			if err != nil {
				return err
			}
			log.Info().Str("catalogue", c.ID).Str("version", c.Version).Str("digest", c.Digest).
				Bool("new", created).Msg("catalogue version loaded")
		}
		for _, p := range ref.Policies.All() {
			created, err := tx.PutDocument(pricing.DocPolicy, p.Digest, p.Canonical)
			if err != nil {
				return err
			}
			log.Info().Str("policy", p.Version).Str("digest", p.Digest).Bool("new", created).Msg("pricing policy loaded")
		}
		return nil
	})
}
