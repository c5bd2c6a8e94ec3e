package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// sessionDTO tells a client who its API key is: the key id and role the
// server records in decisions. The console uses it to sign in and to show
// only the sections the role may use.
type sessionDTO struct {
	KeyID string `json:"key_id"`
	Role  string `json:"role"`
}

// getSession answers GET /v1/session for any valid key.
func (s *Server) getSession(c echo.Context) error {
	a := actor(c)
	return respond(c, http.StatusOK, sessionDTO{KeyID: a.KeyID, Role: string(a.Role)})
}
