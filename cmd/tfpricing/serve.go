package main

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"tfpricing"
	"tfpricing/api"
	"tfpricing/configs"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// serve runs the HTTP API until ctx is cancelled (SIGINT/SIGTERM), then shuts
// down within the configured deadline and closes the data file.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("serve")
	var fl configs.Flags
	fs.StringVar(&fl.Addr, "addr", "", "listen address `HOST:PORT` (TFP_ADDR; default 127.0.0.1:8080)")
	fs.StringVar(&fl.DB, "db", "", "bbolt data `FILE`, or a postgres:// URL (TFP_DB; default ./data/tfpricing.db)")
	fs.StringVar(&fl.Config, "config", "", "configuration `FILE` (TFP_CONFIG; default: embedded)")
	fs.BoolVar(&fl.Dev, "dev", false, "allow the public development keys in a configuration file or on a non-loopback address (TFP_DEV=1)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpIsOK(err)
	}
	cfg, err := configs.Load(getenv, fl)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	// Pricing allocates fast (≈600 KB per quote, 1.2 GB/s at 2,000 quotes/s)
	// but keeps little live (10–50 MB), so a heap goal proportional to the
	// live heap collects dozens of times a second: with GOGC=400 the quote
	// p99 was 25–35 ms, with collection driven by the memory limit alone
	// 12–21 ms (BENCHMARKS.md). The heap then sits near the limit under
	// load; the resident-memory watcher hands it back when the service is
	// idle. Process-wide, so set here, where main wires.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(memoryLimit)
	log := newLogger(cfg, stdout)
	log.Info().Str("config", cfg.Source).Str("db", redactDB(cfg.DB)).Msg("starting tfpricing")
	if ids := cfg.DevKeysInUse(); len(ids) > 0 {
		log.Warn().Strs("key_ids", ids).Msg("DEVELOPMENT API KEYS ARE CONFIGURED — their tokens are public; never use this configuration in production")
	}
	today := businessDate(cfg)
	if !cfg.FixedToday.IsZero() {
		log.Warn().Str("today", cfg.FixedToday.String()).Msg("business date fixed by configuration (TFP_TODAY); not for production")
	}

	ref, err := cfg.LoadReference()
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	verifiers, err := lifecycleVerifiers(cfg)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	reg := prometheus.NewRegistry()
	store, err := openServiceStore(ctx, cfg, log, reg)
	if err != nil {
		return err
	}
	defer store.close()
	book, err := loanbook.New(ctx, loanbook.Config{
		Store: store.serviceStore, Catalogues: ref.Catalogues, Policies: ref.Policies, Shipped: ref.Fixings, Today: today,
		ProposalValidityDays: cfg.Lifecycle.ProposalValidityDays, FourEyesReferenceData: cfg.Lifecycle.FourEyesReferenceData,
		Verifiers: verifiers,
	})
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("loading the loan book: %w", err)}
	}
	if err := loadReference(ctx, book, log); err != nil {
		return &exitError{code: 2, err: err}
	}
	auditKey, err := startAuditKey(cfg, log)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	stopJobs, err := startJobs(ctx, log, book, store, today)
	if err != nil {
		return err
	}
	defer stopJobs()
	srv := api.NewServer(api.Deps{
		Logger: log, Catalogues: ref.Catalogues, Policies: ref.Policies, Book: book, Keys: apiKeys(cfg.Keys),
		Today: today, Registry: reg, BodyLimit: cfg.Server.BodyLimitBytes,
		RateLimit: api.RateLimit{PerSecond: cfg.Server.RateLimit.PerSecond, Burst: cfg.Server.RateLimit.Burst},
		Ready:     store.Ready, AuditKey: auditKey,
		Plausibility: pricing.Plausibility{MaxStartAheadDays: cfg.Quotes.MaxStartAheadDays},
	})
	apiServer := httpServer(cfg, srv)
	if cfg.Server.TLS.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.Server.TLS.CertFile, cfg.Server.TLS.KeyFile)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("TLS: %w", err)}
		}
		apiServer.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	servers := []*http.Server{apiServer}
	if cfg.AdminAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", srv.MetricsHandler())
		s := httpServer(cfg, mux)
		s.Addr = cfg.AdminAddr
		servers = append(servers, s)
	}
	return serveUntilDone(ctx, log, cfg.Server.ShutdownTimeout, servers)
}

// serveUntilDone listens on every server's address, logs the bound address
// (port 0 picks a free one, which tests use), and shuts all down when ctx
// ends.
func serveUntilDone(ctx context.Context, log zerolog.Logger, grace time.Duration, servers []*http.Server) error {
	errc := make(chan error, len(servers))
	for _, s := range servers {
		ln, err := net.Listen("tcp", s.Addr)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("cannot listen on %s: %w", s.Addr, err)}
		}
		if s.TLSConfig != nil {
			ln = tls.NewListener(ln, s.TLSConfig)
		}
		log.Info().Str("addr", ln.Addr().String()).Bool("tls", s.TLSConfig != nil).Msg("listening")
		go func(s *http.Server) {
			if err := s.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}(s)
	}
	var serveErr error
	select {
	case <-ctx.Done():
		log.Info().Msg("shutting down")
	case serveErr = <-errc:
		log.Error().Err(serveErr).Msg("server failed")
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	for _, s := range servers {
		if err := s.Shutdown(sctx); err != nil {
			log.Error().Err(err).Msg("shutdown deadline passed; closing connections")
			_ = s.Close()
		}
	}
	log.Info().Msg("stopped")
	return serveErr
}

func httpServer(cfg *configs.Config, h http.Handler) *http.Server {
	return &http.Server{
		Addr: cfg.Addr, Handler: h,
		ReadHeaderTimeout: cfg.Server.ReadHeaderTimeout, ReadTimeout: cfg.Server.ReadTimeout,
		WriteTimeout: cfg.Server.WriteTimeout, IdleTimeout: cfg.Server.IdleTimeout,
		MaxHeaderBytes: 64 << 10,
	}
}

func newLogger(cfg *configs.Config, w io.Writer) zerolog.Logger {
	level, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil || cfg.LogLevel == "" {
		level = zerolog.InfoLevel
	}
	out := w
	if f, ok := w.(*os.File); cfg.LogFormat == "console" || (cfg.LogFormat == "auto" && ok && isatty.IsTerminal(f.Fd())) {
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339}
	}
	return zerolog.New(out).Level(level).With().Timestamp().Logger()
}

// businessDate returns the "today" function: the fixed date when configured,
// else the calendar date in Asia/Shanghai.
func businessDate(cfg *configs.Config) func() tfpricing.Date {
	if fixed := cfg.FixedToday; !fixed.IsZero() {
		return func() tfpricing.Date { return fixed }
	}
	return func() tfpricing.Date { return tfpricing.DateOf(time.Now(), configs.Shanghai) }
}

func apiKeys(keys []configs.Key) []api.Key {
	out := make([]api.Key, 0, len(keys))
	for _, k := range keys {
		var sum [32]byte
		b, _ := hex.DecodeString(k.SHA256) // validated by configs.Load
		copy(sum[:], b)
		out = append(out, api.Key{ID: k.ID, Role: k.Role, SHA256: sum, Verifiers: k.Verifiers})
	}
	return out
}

// systemActor is the actor of decisions the service takes by itself.
var systemActor = tfpricing.Actor{KeyID: "system", Role: "system"}
