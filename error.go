package tfpricing

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to exactly one HTTP status, in the api package's
// error handler and nowhere else.
const (
	EINVALID       = "invalid"                // malformed or invalid input (400)
	EUNAUTHORIZED  = "unauthorized"           // missing or bad credentials (401)
	EFORBIDDEN     = "forbidden"              // role not allowed (403)
	ENOTFOUND      = "not_found"              // no such resource (404)
	ECONFLICT      = "conflict"               // concurrent or duplicate request (409)
	EUNPROCESSABLE = "unprocessable"          // well-formed but refused by a business rule (422)
	ETOOLARGE      = "too_large"              // request body over the limit (413)
	EUNSUPPORTED   = "unsupported_media_type" // a body not sent as application/json (415)
	ERATELIMITED   = "rate_limited"           // too many requests (429)
	EUNAVAILABLE   = "unavailable"            // storage cannot take writes right now (503)
	EINTERNAL      = "internal"               // a bug or an unexpected failure (500)
)

// FieldError names one bad input field. Field is the JSON path of the field
// as the client sent it (e.g. "kpis[0].targets[1].year").
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is the application error. Code classifies it; Message is safe to show
// to a client; Fields lists every bad field; Extensions carries extra members
// of the problem document (e.g. the eligibility checks of a refused quote).
// Err is the underlying cause, logged but never shown to clients.
type Error struct {
	Code       string
	Message    string
	Fields     []FieldError
	Extensions map[string]any
	Err        error
}

// Error implements the error interface.
func (e *Error) Error() string {
	msg := fmt.Sprintf("tfpricing error: code=%s message=%s", e.Code, e.Message)
	for _, f := range e.Fields {
		msg += fmt.Sprintf(" [%s: %s]", f.Field, f.Message)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted, client-safe
// message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error listing every bad field, or nil when
// fields is empty, so callers can collect problems and return once.
func Invalid(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "the request has invalid fields", Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err: the Message of an
// *Error, and a generic text for anything else so internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
