package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"tfpricing/pricing/boltstore"
)

// registerStoreMetrics exposes bbolt's statistics on /metrics: read
// transactions, free pages and commit counts tell an operator whether the
// data file is healthy and how busy it is.
func registerStoreMetrics(reg *prometheus.Registry, s *boltstore.Store) {
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tfpricing_bbolt_" + name, Help: help}, f)
	}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "tfpricing_bbolt_" + name, Help: help}, f)
	}
	reg.MustRegister(
		gauge("open_read_transactions", "Read transactions currently open.", func() float64 { return float64(s.Stats().OpenTxN) }),
		gauge("free_pages", "Free pages on the freelist.", func() float64 { return float64(s.Stats().FreePageN) }),
		gauge("pending_pages", "Pages freed but still in use by open transactions.", func() float64 { return float64(s.Stats().PendingPageN) }),
		gauge("freelist_bytes", "Bytes used by the freelist.", func() float64 { return float64(s.Stats().FreelistInuse) }),
		counter("read_transactions_total", "Read transactions started.", func() float64 { return float64(s.Stats().TxN) }),
		counter("writes_total", "Page writes by committed transactions.", func() float64 { st := s.Stats(); return float64(st.TxStats.GetWrite()) }),
		counter("write_seconds_total", "Time spent writing pages to disk.", func() float64 { st := s.Stats(); return st.TxStats.GetWriteTime().Seconds() }),
	)
}
