package main

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"tfpricing/catalog"
	"tfpricing/configs"
	"tfpricing/pricing"
)

type pricingTx = pricing.Tx

// reference is the reference data the service prices with: every catalogue
// version, loaded and validated before the server accepts a request.
type reference struct {
	catalogues *catalog.Set
}

func loadReference(cfg *configs.Config) (*reference, error) {
	files, err := cfg.CatalogFiles()
	if err != nil {
		return nil, err
	}
	cats := make([]*catalog.Catalogue, 0, len(files))
	for _, f := range files {
		c, err := catalog.Parse(f.Name, f.Data)
		if err != nil {
			return nil, fmt.Errorf("catalogue: %w", err)
		}
		cats = append(cats, c)
	}
	set, err := catalog.NewSet(cats...)
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	return &reference{catalogues: set}, nil
}

// store saves every document content-addressed, so decisions can be
// replayed after configs/ changes.
func (r *reference) store(ctx context.Context, s pricing.Store, log zerolog.Logger) error {
	return s.Update(ctx, func(tx pricing.Tx) error {
		for _, c := range r.catalogues.Versions() {
			created, err := tx.PutDocument(pricing.DocCatalogue, c.Digest, c.Canonical)
			if err != nil {
				return err
			}
			log.Info().Str("catalogue", c.ID).Str("version", c.Version).Str("digest", c.Digest).
				Bool("new", created).Msg("catalogue version loaded")
		}
		return nil
	})
}
