package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"github.com/labstack/echo/v4"

	"tfpricing"
)

// Key is an API key the server accepts: only the SHA-256 of the token is
// held, with its id (logged, recorded in decisions) and role.
type Key struct {
	ID     string
	Role   tfpricing.Role
	SHA256 [32]byte
	// Verifiers, for a verifier key, names the verifier organisations it may
	// attest for; empty means any.
	Verifiers []string
}

// context keys.
const (
	ctxActor  = "tfp.actor"
	ctxKey    = "tfp.key"
	ctxLogErr = "tfp.err"
)

// authenticate resolves the bearer token to a key. Every configured hash is
// compared in constant time, and all of them always, so timing tells nothing
// about which key nearly matched.
func (s *Server) authenticate(c echo.Context) (*Key, error) {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	scheme, token, ok := strings.Cut(h, " ")
	if h == "" {
		return nil, tfpricing.Errorf(tfpricing.EUNAUTHORIZED, "missing credentials: send Authorization: Bearer <api key>")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, tfpricing.Errorf(tfpricing.EUNAUTHORIZED, "malformed Authorization header: expected Bearer <api key>")
	}
	sum := sha256.Sum256([]byte(token))
	var found *Key
	for i := range s.keys {
		if subtle.ConstantTimeCompare(sum[:], s.keys[i].SHA256[:]) == 1 {
			found = &s.keys[i]
		}
	}
	if found == nil {
		return nil, tfpricing.Errorf(tfpricing.EUNAUTHORIZED, "invalid API key")
	}
	return found, nil
}

// allow returns middleware admitting only keys of the given roles: 401 when
// the credentials are missing or wrong, 403 when the role may not call the
// route. It runs before the body is read, so a refused request never
// touches the store.
func (s *Server) allow(roles ...tfpricing.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			k, err := s.authenticate(c)
			if err != nil {
				return err
			}
			c.Set(ctxKey, k)
			c.Set(ctxActor, tfpricing.Actor{KeyID: k.ID, Role: k.Role, RequestID: requestID(c)})
			if err := s.limiter.allow(k.ID); err != nil {
				return err
			}
			for _, r := range roles {
				if k.Role == r {
					return next(c)
				}
			}
			return tfpricing.Errorf(tfpricing.EFORBIDDEN, "role %s may not call %s %s", k.Role, c.Request().Method, c.Path())
		}
	}
}

// actor returns the authenticated caller of the request.
func actor(c echo.Context) tfpricing.Actor {
	a, _ := c.Get(ctxActor).(tfpricing.Actor)
	return a
}

// Role groups used by the route table (DESIGN.md §7).
var (
	allRoles       = tfpricing.Roles
	officerAnalyst = []tfpricing.Role{tfpricing.RoleOfficer, tfpricing.RoleAnalyst}
)
