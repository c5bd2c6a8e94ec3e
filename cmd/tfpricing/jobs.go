package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/rs/zerolog"

	"tfpricing"
	"tfpricing/pricing/loanbook"
)

// Background jobs: the due-date sweep (which also finishes a repricing an
// LPR publication left half done) at start-up and whenever the business
// date changes.
//
// With a bbolt file the one process runs them: the start-up sweep before
// the server takes requests, then the daily one. With PostgreSQL, exactly
// one replica at a time runs them — the one holding the "jobs" lease (a
// session advisory lock, released by PostgreSQL when its holder dies) —
// and sweeps when it takes the lease over, on a date change and every
// sweepEvery; every replica catches up with fixings other replicas
// published every jobTick.
const (
	jobTick    = time.Second
	sweepEvery = 5 * time.Minute
)

// startJobs starts the background jobs and returns what stops them.
func startJobs(ctx context.Context, log zerolog.Logger, book *loanbook.Service, store *openedStore,
	today func() tfpricing.Date) (stop func(), err error) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	if store.pg == nil {
		// The due-date sweep runs before the server takes requests, so no
		// one reads a schedule that misses a passed due date or a resumed
		// repricing.
		rep, err := book.Sweep(ctx, systemActor)
		if err != nil {
			cancel()
			return nil, &exitError{code: 2, err: fmt.Errorf("start-up sweep: %w", err)}
		}
		log.Info().Int("checked", rep.Checked).Int("changed", rep.Changed).Msg("start-up sweep done")
		go func() { defer close(done); dailySweep(ctx, log, book, today) }()
	} else {
		go func() { defer close(done); replicaJobs(ctx, log, book, store, today) }()
	}
	return func() { cancel(); <-done }, nil
}

// replicaJobs runs the background jobs of one replica over PostgreSQL.
func replicaJobs(ctx context.Context, log zerolog.Logger, book *loanbook.Service, store *openedStore, today func() tfpricing.Date) {
	lease := store.pg.NewLease("jobs")
	defer lease.Release(context.Background())
	t := time.NewTicker(jobTick)
	defer t.Stop()
	holding := false
	var swept tfpricing.Date
	var sweptAt time.Time
	for {
		if err := book.Refresh(ctx); err != nil && ctx.Err() == nil {
			log.Debug().Err(err).Msg("checking for fixings published by other replicas")
		}
		now := lease.Hold(ctx)
		if now != holding {
			holding = now
			swept = tfpricing.Date{}
			if now {
				log.Info().Msg("this replica runs the background jobs (lease taken)")
			} else if ctx.Err() == nil {
				log.Warn().Msg("lost the background jobs' lease")
			}
		}
		if holding && (today() != swept || time.Since(sweptAt) > sweepEvery) {
			d := today()
			rep, err := book.Sweep(ctx, systemActor)
			if err != nil {
				if ctx.Err() == nil {
					log.Error().Err(err).Msg("sweep failed; retrying")
				}
			} else {
				swept, sweptAt = d, time.Now()
				log.Info().Str("business_date", d.String()).Int("checked", rep.Checked).Int("changed", rep.Changed).Msg("sweep done")
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// redactDB is --db for the log: a URL's password replaced.
func redactDB(db string) string {
	if !isPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// dailySweep re-runs the sweep whenever the business date changes, checking
// once a minute, until ctx ends.
func dailySweep(ctx context.Context, log zerolog.Logger, book *loanbook.Service, today func() tfpricing.Date) {
	last := today()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if d := today(); d != last {
				rep, err := book.Sweep(ctx, systemActor)
				if err != nil {
					log.Error().Err(err).Msg("daily sweep failed; retrying in a minute")
					continue
				}
				last = d
				log.Info().Str("business_date", d.String()).Int("checked", rep.Checked).Int("changed", rep.Changed).Msg("daily sweep done")
			}
		}
	}
}
