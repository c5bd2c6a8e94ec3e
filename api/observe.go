package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus collectors, on a registry of its own
// (never the global default) so tests can run servers side by side.
type metrics struct {
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	decisions *prometheus.CounterVec
	recalcs   prometheus.Counter
	handler   http.Handler
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tfpricing_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tfpricing_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tfpricing_decisions_total", Help: "Decision records written, by kind.",
		}, []string{"kind"}),
		recalcs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tfpricing_schedule_recalculations_total", Help: "Loan schedules recalculated.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.decisions, m.recalcs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
	return m
}

// requestLog logs one line per request (request id, route, status, latency,
// key id) and records the metrics. It never logs the Authorization header or
// bodies, so keys and evidence stay out of the log.
func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Render the problem now so the status below is the real one.
			s.handleError(err, c)
		}
		status := c.Response().Status
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		s.metrics.latency.WithLabelValues(route, c.Request().Method).Observe(elapsed.Seconds())

		ev := s.log.Info()
		if status >= 500 {
			ev = s.log.Error()
			if cause, ok := c.Get(ctxLogErr).(error); ok {
				ev = ev.AnErr("cause", cause)
			}
		} else if status >= 400 {
			ev = s.log.Warn()
		}
		a := actor(c)
		ev.Str("request_id", requestID(c)).
			Str("method", c.Request().Method).Str("route", route).Int("status", status).
			Dur("latency", elapsed).Int64("bytes_out", c.Response().Size).
			Str("key_id", a.KeyID).Str("remote_ip", c.RealIP()).Msg("request")
		return nil
	}
}
