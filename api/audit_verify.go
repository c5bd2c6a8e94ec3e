package api

import (
	"net/http"

	"tfpricing/pricing/audit"

	"github.com/labstack/echo/v4"

	"tfpricing"
)

// postVerify answers POST /v1/audit/verify: the chain walked as by GET, and
// the checkpoint in the body — exactly as GET /v1/audit/checkpoint gave it
// and the auditor kept it — required to be signed by the service's key and
// to match the record it names, which catches a history rewritten and
// rehashed after it.
func (s *Server) postVerify(c echo.Context) error {
	if err := s.book.Auditable(); err != nil {
		return err
	}
	_, pub, err := s.auditKeyOrUnavailable()
	if err != nil {
		return err
	}
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	cp, err := audit.DecodeCheckpoint(body)
	if err != nil {
		if tfpricing.ErrorCode(err) == tfpricing.EINVALID {
			return err
		}
		return fieldErr("", "malformed", "the body must be a checkpoint as GET /v1/audit/checkpoint gives it: "+tfpricing.ErrorMessage(err))
	}
	if err := cp.Verify(pub); err != nil {
		if te, ok := err.(*tfpricing.Error); ok && len(te.Fields) == 0 {
			out := *te
			out.Fields = []tfpricing.FieldError{{Field: "signature", Code: "not_signed_by_service", Message: te.Message}}
			return &out
		}
		return err
	}
	r, err := s.book.VerifyChain(c.Request().Context(), []audit.Checkpoint{cp}, pub)
	if err != nil {
		return err
	}
	out := verifyJSON(r)
	out["checkpoint"] = map[string]any{"seq": cp.Seq, "head_hash": cp.HeadHash,
		"matches": r.OK || cp.Seq < r.FirstBrokenSeq}
	return respond(c, http.StatusOK, out)
}

// verifyJSON is the body of both verify routes.
func verifyJSON(r audit.ChainReport) map[string]any {
	body := map[string]any{"ok": r.OK, "checked": r.Checked,
		"head": map[string]any{"seq": r.Head.Seq, "hash": r.Head.Hash}}
	if !r.OK {
		body["first_broken_seq"], body["reason"] = r.FirstBrokenSeq, r.Reason
	}
	return body
}
