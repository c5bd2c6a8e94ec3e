package api

import (
	"bytes"
	"io"
	"slices"

	"github.com/labstack/echo/v4"

	"tfpricing"
)

// maxIdempotencyKey is the longest Idempotency-Key header a write accepts,
// in bytes.
const maxIdempotencyKey = 200

// decodeIdempotent reads the body of a write that is kept for its retries
// (an attestation, an emissions attestation): the raw bytes, which the
// idempotency record compares a retry's with, and the body decoded into
// req. It checks the Idempotency-Key header (required, at most
// maxIdempotencyKey bytes) and req's tags, and returns the field errors
// found so far for the caller to add its own to; err is a problem that ends
// the request at once (a body that does not decode).
func (s *Server) decodeIdempotent(c echo.Context, req any) (raw []byte, key string, f fieldSet, err error) {
	key = c.Request().Header.Get("Idempotency-Key")
	if raw, err = io.ReadAll(c.Request().Body); err != nil {
		return nil, "", f, decodeError(err)
	}
	c.Request().Body = io.NopCloser(bytes.NewReader(raw))
	if err = s.decode(c, req); err != nil {
		return nil, "", f, err
	}
	if key == "" || len(key) > maxIdempotencyKey {
		f.add(tfpricing.FieldError{Field: "Idempotency-Key", Code: "required", Message: "the Idempotency-Key header is required (at most 200 characters)"})
	}
	return raw, key, f, f.addErr(s.validateStruct(req))
}

// checkVerifierKey is the object-level authorisation of a verifier's
// write: a key issued to named verification bodies cannot attest in
// another's name (v nil: no verifier named, which the body's validation
// reports).
func checkVerifierKey(c echo.Context, v *verifierDTO) error {
	if k, _ := c.Get(ctxKey).(*Key); k != nil && len(k.Verifiers) > 0 && v != nil && !slices.Contains(k.Verifiers, v.Name) {
		return tfpricing.Errorf(tfpricing.EFORBIDDEN, "this API key may not attest for verifier %q", v.Name)
	}
	return nil
}
