// Package api is the HTTP transport of tfpricing: routes, request and
// response DTOs, their conversion to domain types, authentication and roles,
// the one error handler, request logging and metrics.
package api

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// Deps is everything the server needs; cmd/tfpricing builds it.
type Deps struct {
	Logger     zerolog.Logger
	Catalogues *catalog.Set
	Policies   *pricing.PolicySet
	// Book is the loan book; it also holds the LPR history.
	Book *loanbook.Service
	// Now is the wall clock for timestamps (never for pricing).
	Now  func() time.Time
	Keys []Key
	// Today returns the business date (Asia/Shanghai, or the fixed date).
	Today func() tfpricing.Date
	// Ready reports whether the service can take writes (nil when ready).
	Ready     func(context.Context) error
	Registry  *prometheus.Registry
	BodyLimit int64
	RateLimit RateLimit
	// AuditKey signs checkpoints; nil answers the checkpoint and public-key
	// routes with 503.
	AuditKey ed25519.PrivateKey
	// Plausibility limits quotes (zero: pricing's defaults).
	Plausibility pricing.Plausibility
}

// Server is the tfpricing HTTP API.
type Server struct {
	echo     *echo.Echo
	log      zerolog.Logger
	cats     *catalog.Set
	policies *pricing.PolicySet
	book     *loanbook.Service
	now      func() time.Time
	keys     []Key
	today    func() tfpricing.Date
	ready    func(context.Context) error
	metrics  *metrics
	valid    *validator.Validate
	limiter  *keyLimiter
	auditKey ed25519.PrivateKey
	plaus    pricing.Plausibility
	shapes   shapes          // request DTO plans of the strict reading's fast path
	bodies   *scheduleBodies // schedule read bodies, kept per loan
}

// NewServer builds the echo instance with its middleware and routes.
func NewServer(d Deps) *Server {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The client address is the connection's: a forged X-Forwarded-For changes nothing.
	e.IPExtractor = echo.ExtractIPDirect()
	s := &Server{
		echo: e, log: d.Logger, cats: d.Catalogues, keys: d.Keys,
		today: d.Today, ready: d.Ready, valid: newValidator(), limiter: newKeyLimiter(d.RateLimit),
		bodies: newScheduleBodies(scheduleBodiesSize),
	}
	s.policies = d.Policies
	s.plaus = d.Plausibility
	s.book = d.Book
	s.initAudit(d)
	s.now = d.Now
	if s.now == nil {
		s.now = time.Now
	}
	if s.ready == nil {
		s.ready = func(context.Context) error { return nil }
	}
	reg := d.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(reg)
	e.HTTPErrorHandler = s.handleError
	e.Pre(headAsGet)
	limit := d.BodyLimit
	if limit <= 0 {
		limit = 1 << 20
	}
	e.Use(
		middleware.RequestID(),
		s.requestLog,
		middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, DisablePrintStack: true}),
		securityHeaders,
		middleware.BodyLimit(strconv.FormatInt(limit, 10)+"B"),
		refuseEmptyQuery,
	)
	if s.book != nil {
		s.book.Observe(loanbook.Observer{
			Recalculated: func(n int) { s.metrics.recalcs.Add(float64(n)) },
			Decided:      func(kind string) { s.metrics.decisions.WithLabelValues(kind).Inc() },
		})
	}
	s.routes()
	return s
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// MetricsHandler serves /metrics without credentials, for the optional admin
// listener.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler }

func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/openapi.yaml", s.openapi)
	e.GET("/metrics", echo.WrapHandler(s.metrics.handler), s.allow(tfpricing.RoleAdmin))

	s.registerConsole()

	v1 := e.Group("/v1")
	v1.GET("/session", s.getSession, s.allow(allRoles...))
	v1.GET("/catalogue", s.getCatalogue, s.allow(allRoles...))
	v1.GET("/catalogue/versions", s.getCatalogueVersions, s.allow(allRoles...))
	v1.GET("/catalogue/industries/:code", s.getIndustry, s.allow(allRoles...))
	v1.POST("/eligibility", s.postEligibility, s.allow(officerAnalyst...))
	v1.GET("/policy", s.getPolicy, s.allow(allRoles...))
	v1.GET("/benchmarks/lpr", s.getLPR, s.allow(allRoles...))
	v1.POST("/quotes", s.postQuote, s.allow(officerAnalyst...))
	v1.POST("/simulations", s.postSimulation, s.allow(tfpricing.RoleAnalyst, tfpricing.RoleOfficer))
	v1.POST("/benchmarks/lpr", s.postFixing, s.allow(tfpricing.RoleAdmin))

	officer := s.allow(tfpricing.RoleOfficer)
	readers := s.allow(tfpricing.RoleOfficer, tfpricing.RoleAuditor)
	v1.POST("/loans", s.postLoan, officer)
	v1.GET("/loans", s.listLoans, readers)
	v1.GET("/loans/:id", s.getLoan, readers)
	v1.GET("/loans/:id/schedule", s.getSchedule, readers)
	v1.POST("/loans/:id/attestations", s.postAttestation, s.allow(tfpricing.RoleVerifier))
	v1.GET("/loans/:id/attestations", s.listAttestations, s.allow(tfpricing.RoleOfficer, tfpricing.RoleVerifier, tfpricing.RoleAuditor))
	v1.GET("/loans/:id/spts", s.getSPTs, s.allow(tfpricing.RoleOfficer, tfpricing.RoleVerifier, tfpricing.RoleAuditor))
	v1.POST("/admin/sweep", s.postSweep, s.allow(tfpricing.RoleAdmin))
	s.lifecycleRoutes(v1)
	v1.GET("/portfolio", s.getPortfolio, s.allow(tfpricing.RoleAnalyst, tfpricing.RoleOfficer, tfpricing.RoleAuditor))
	v1.POST("/portfolio/simulations", s.postBookSimulation, s.allow(tfpricing.RoleAnalyst))
	v1.GET("/portfolio/export", s.getPortfolioExport, s.allow(tfpricing.RoleAuditor, tfpricing.RoleAdmin))
	v1.POST("/borrowers/:uscc/emissions", s.postEmissions, s.allow(tfpricing.RoleVerifier))
	v1.GET("/borrowers/:uscc/emissions", s.listEmissions, s.allow(tfpricing.RoleOfficer, tfpricing.RoleAnalyst, tfpricing.RoleAuditor))

	// The audit trail (DESIGN.md §6); /decisions/export is a static route,
	// which echo matches before /decisions/:id.
	auditor := s.allow(tfpricing.RoleAuditor)
	v1.GET("/decisions", s.listDecisions, auditor)
	v1.GET("/decisions/export", s.exportDecisions, auditor)
	v1.GET("/decisions/:id", s.getDecision, auditor)
	v1.POST("/decisions/:id/replay", s.replayDecision, auditor)
	v1.GET("/audit/verify", s.getVerify, auditor)
	v1.POST("/audit/verify", s.postVerify, auditor)
	v1.GET("/audit/checkpoint", s.getCheckpoint, auditor)
	v1.GET("/audit/public-key", s.getPublicKey, s.allow(tfpricing.RoleAuditor, tfpricing.RoleAdmin))
	v1.GET("/admin/backup", s.getBackup, s.allow(tfpricing.RoleAdmin))
}

// writeJSON writes v compactly, without HTML escaping (Chinese text and
// "<" stay readable), followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// respond writes a JSON body with the status.
func respond(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(status)
	return writeJSON(c.Response(), v)
}

// respondBody writes a JSON body already rendered (writeJSON's bytes).
//
// The body's length goes out as Content-Length: without it net/http sends
// a body over 2 KB (eligibility, quotes, schedules) chunked, which costs
// both ends framing work; the bytes of the body are the same either way.
func respondBody(c echo.Context, status int, body []byte) error {
	h := c.Response().Header()
	h[echo.HeaderContentType] = []string{echo.MIMEApplicationJSON} // Set, key already canonical
	h[echo.HeaderContentLength] = []string{strconv.Itoa(len(body))}
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(body)
	return err
}

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// What h.Set writes for each, without canonicalising keys that are
		// already canonical, and one allocation for the five values instead
		// of five (each slice capped, so an Add copies instead of writing
		// into the next one). TestSecurityHeadersMatchSet holds it to Set.
		h := c.Response().Header()
		v := &[5]string{"nosniff", "DENY", "default-src 'none'; frame-ancestors 'none'", "no-referrer", "no-store"}
		h["X-Content-Type-Options"] = v[0:1:1]
		h["X-Frame-Options"] = v[1:2:2]
		h["Content-Security-Policy"] = v[2:3:3]
		h["Referrer-Policy"] = v[3:4:4]
		h["Cache-Control"] = v[4:5:5]
		return next(c)
	}
}

// Routes lists the registered routes as "METHOD /path/{param}", in the
// OpenAPI document's path syntax, for the contract test.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.echo.Routes() {
		if r.Method == echo.RouteNotFound {
			continue
		}
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		out = append(out, r.Method+" "+strings.Join(parts, "/"))
	}
	sort.Strings(out)
	return out
}

// requestID is c.Response().Header().Get(echo.HeaderXRequestID) without
// canonicalising a key that already is canonical ("X-Request-Id").
func requestID(c echo.Context) string {
	if v := c.Response().Header()[echo.HeaderXRequestID]; len(v) > 0 {
		return v[0]
	}
	return ""
}
