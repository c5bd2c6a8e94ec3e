package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"tfpricing/configs"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore"
)

// isPostgres reports whether --db / TFP_DB names a PostgreSQL database
// (a postgres:// URL) rather than a bbolt data file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// serviceStore is what serve needs of a store beyond loanbook.Store.
type serviceStore interface {
	loanbook.Store
	Ready(context.Context) error
}

// openedStore is a store opened for the service, with what runs beside it.
type openedStore struct {
	serviceStore
	pg    *pgstore.Store // nil for bbolt
	close func()         // stops what runs beside it and closes the store
}

// openServiceStore opens the store --db names: a bbolt file (checked for
// consistency, its statistics on /metrics, its mapped pages watched) or a
// PostgreSQL database (migrated at start-up; the pool's statistics on
// /metrics).
func openServiceStore(ctx context.Context, cfg *configs.Config, log zerolog.Logger, reg *prometheus.Registry) (*openedStore, error) {
	if isPostgres(cfg.DB) {
		s, err := pgstore.Open(ctx, cfg.DB, pgstore.Options{MaxConns: cfg.DBPoolSize})
		if err != nil {
			return nil, &exitError{code: 2, err: fmt.Errorf("cannot open the database: %w", err)}
		}
		registerPoolMetrics(reg, s)
		return &openedStore{serviceStore: s, pg: s, close: func() {
			if err := s.Close(); err != nil {
				log.Error().Err(err).Msg("closing the database pool")
			}
		}}, nil
	}
	s, err := boltstore.Open(cfg.DB, boltstore.Options{LockTimeout: cfg.DBLockTimeout})
	if err != nil {
		return nil, &exitError{code: 2, err: fmt.Errorf("cannot open the data file: %w", err)}
	}
	stopWatch := watchResident(log, s)
	closeAll := func() {
		stopWatch() // stopped before the store closes
		if err := s.Close(); err != nil {
			log.Error().Err(err).Msg("closing the data file")
		}
	}
	// A damaged file must stop start-up before anything reads or writes it.
	if err := s.Check(); err != nil {
		closeAll()
		return nil, &exitError{code: 2, err: fmt.Errorf("the data file %s failed its consistency check: %w", cfg.DB, err)}
	}
	registerStoreMetrics(reg, s)
	return &openedStore{serviceStore: s, close: closeAll}, nil
}

// registerPoolMetrics exposes the PostgreSQL pool's statistics.
func registerPoolMetrics(reg *prometheus.Registry, s *pgstore.Store) {
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tfpricing_pg_" + name, Help: help}, f)
	}
	p := s.Pool()
	reg.MustRegister(
		gauge("pool_total_conns", "Connections in the pool.", func() float64 { return float64(p.Stat().TotalConns()) }),
		gauge("pool_acquired_conns", "Connections in use.", func() float64 { return float64(p.Stat().AcquiredConns()) }),
		gauge("pool_max_conns", "The pool's size.", func() float64 { return float64(p.Stat().MaxConns()) }),
	)
}
