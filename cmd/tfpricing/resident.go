package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"tfpricing/pricing/boltstore"
)

// residentInterval is how often the data file's mapped pages are released
// from the resident set (see boltstore.Store.ReleaseMapped): often enough
// that RSS tracks the service's own memory, rarely enough that re-reading
// the hot pages (branch pages, the newest leaves) costs nothing measurable.
const residentInterval = 30 * time.Second

// releaseResident releases the mapped pages now and then every
// residentInterval until ctx ends. A failure is logged, never fatal: it
// changes only what RSS shows.
func releaseResident(ctx context.Context, log zerolog.Logger, store *boltstore.Store) {
	release := func() {
		if err := store.ReleaseMapped(); err != nil {
			log.Warn().Err(err).Msg("releasing the data file's mapped pages")
		}
	}
	release()
	t := time.NewTicker(residentInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			release()
		}
	}
}
