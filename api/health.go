package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

//go:embed openapi.yaml
var openapiDoc []byte

func (s *Server) healthz(c echo.Context) error {
	return respond(c, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz reports whether the service can do its job: the store answers and
// takes writes.
func (s *Server) readyz(c echo.Context) error {
	if err := s.ready(c.Request().Context()); err != nil {
		s.log.Warn().Err(err).Msg("not ready")
		return respond(c, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
	}
	return respond(c, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) openapi(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", openapiDoc)
}
