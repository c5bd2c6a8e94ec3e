package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// headAsGet answers HEAD on every GET route (RFC 9110 §9.3.2): the request
// is routed as the GET it mirrors, with the same authentication, status and
// headers, and the body is discarded. The method is set back to HEAD before
// the server writes the response, so net/http frames it as a HEAD answer;
// flushes are swallowed so nothing is framed earlier.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		res := c.Response()
		res.Before(func() { // an Allow listing GET lists HEAD too
			if allow := res.Header().Get(echo.HeaderAllow); strings.Contains(allow, http.MethodGet) && !strings.Contains(allow, http.MethodHead) {
				res.Header().Set(echo.HeaderAllow, allow+", "+http.MethodHead)
			}
		})
		r := c.Request()
		if r.Method != http.MethodHead {
			return next(c)
		}
		r.Method = http.MethodGet // echo routes the request it was handed
		defer func() { r.Method = http.MethodHead }()
		res.Writer = headWriter{res.Writer}
		c.Set(ctxHead, true)
		return next(c)
	}
}

// ctxHead marks a HEAD request routed as GET.
const ctxHead = "tfpricing.head"

// headWriter drops a HEAD response's body and flushes.
type headWriter struct{ http.ResponseWriter }

func (w headWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w headWriter) Flush()                      {}
