package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"tfpricing"
)

// problemType is the URI prefix of our RFC 9457 problem types.
const problemType = "urn:tfpricing:problem:"

// statusOf maps an error code to its HTTP status. It is the only place that
// does, so every handler's errors are classified the same way.
var statusOf = map[string]int{
	tfpricing.EINVALID:       http.StatusBadRequest,
	tfpricing.EUNAUTHORIZED:  http.StatusUnauthorized,
	tfpricing.EFORBIDDEN:     http.StatusForbidden,
	tfpricing.ENOTFOUND:      http.StatusNotFound,
	tfpricing.ECONFLICT:      http.StatusConflict,
	tfpricing.ETOOLARGE:      http.StatusRequestEntityTooLarge,
	tfpricing.EUNSUPPORTED:   http.StatusUnsupportedMediaType,
	tfpricing.EUNPROCESSABLE: http.StatusUnprocessableEntity,
	tfpricing.ERATELIMITED:   http.StatusTooManyRequests,
	tfpricing.EUNAVAILABLE:   http.StatusServiceUnavailable,
	tfpricing.EINTERNAL:      http.StatusInternalServerError,
}

// codeOfStatus is the reverse mapping, for errors raised by echo itself
// (unknown route, wrong method, body too large).
func codeOfStatus(status int) string {
	switch status {
	case http.StatusNotFound:
		return tfpricing.ENOTFOUND
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return tfpricing.ETOOLARGE
	case http.StatusUnauthorized:
		return tfpricing.EUNAUTHORIZED
	case http.StatusForbidden:
		return tfpricing.EFORBIDDEN
	case http.StatusTooManyRequests:
		return tfpricing.ERATELIMITED
	case http.StatusServiceUnavailable:
		return tfpricing.EUNAVAILABLE
	}
	if status >= 400 && status < 500 {
		return tfpricing.EINVALID
	}
	return tfpricing.EINTERNAL
}

// Problem is an RFC 9457 problem document. Extensions (such as the
// eligibility checks of a refused quote) are added as top-level members.
type Problem struct {
	Type   string                 `json:"type"`
	Title  string                 `json:"title"`
	Status int                    `json:"status"`
	Detail string                 `json:"detail"`
	Errors []tfpricing.FieldError `json:"errors"`
}

// handleError is echo's HTTPErrorHandler: every error leaves as a problem
// document. 500s get a generic detail; the cause goes only to the log.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, status, detail := tfpricing.EINTERNAL, http.StatusInternalServerError, "internal error"
	var fields []tfpricing.FieldError
	var ext map[string]any
	var he *echo.HTTPError
	var te *tfpricing.Error
	switch {
	case errors.As(err, &te):
		code, detail, fields, ext = te.Code, te.Message, te.Fields, te.Extensions
		if st, ok := statusOf[code]; ok {
			status = st
		}
	case errors.As(err, &he):
		status = he.Code
		code = codeOfStatus(status)
		detail = http.StatusText(status)
		if m, ok := he.Message.(string); ok && status < 500 {
			detail = m
		}
	}
	if status >= 500 {
		if code == tfpricing.EINTERNAL {
			detail = "internal error; quote the request id " + c.Response().Header().Get(echo.HeaderXRequestID) + " to the operator"
		}
		c.Set(ctxLogErr, err)
	}
	if fields == nil {
		fields = []tfpricing.FieldError{}
	}
	body := map[string]any{
		"type":   problemType + code,
		"title":  http.StatusText(status),
		"status": status,
		"detail": detail,
		"errors": fields,
	}
	for k, v := range ext {
		if _, taken := body[k]; !taken {
			body[k] = v
		}
	}
	if status == http.StatusTooManyRequests {
		if ra, ok := ext["retry_after"].(int); ok {
			c.Response().Header().Set("Retry-After", strconv.Itoa(ra))
		}
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="tfpricing"`)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(status)
	if head, _ := c.Get(ctxHead).(bool); head || c.Request().Method == http.MethodHead {
		return
	}
	_ = writeJSON(c.Response(), body)
}
