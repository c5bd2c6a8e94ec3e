package main

import (
	"context"

	"github.com/rs/zerolog"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// loadReference has the loan book store every catalogue and policy
// document content-addressed (recording a load decision for each new one)
// and logs what it loaded.
func loadReference(ctx context.Context, book *loanbook.Service, log zerolog.Logger) error {
	loads, err := book.LoadReference(ctx, systemActor)
	if err != nil {
		return err
	}
	for _, l := range loads {
		if l.Kind == audit.DocCatalogue {
			log.Info().Str("catalogue", l.ID).Str("version", l.Version).Str("digest", l.Digest).
				Bool("new", l.New).Msg("catalogue version loaded")
		} else {
			log.Info().Str("policy", l.Version).Str("digest", l.Digest).Bool("new", l.New).Msg("pricing policy loaded")
		}
	}
	return nil
}
