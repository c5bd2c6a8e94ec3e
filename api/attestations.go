package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

type verifierDTO struct {
	Name          string `json:"name" validate:"required,max=200"`
	Accreditation string `json:"accreditation" validate:"max=200"`
}

// attestationRequest is the body of POST /v1/loans/{id}/attestations.
type attestationRequest struct {
	MetricID       string       `json:"metric_id" validate:"required,max=64"`
	Year           int          `json:"year" validate:"min=1990,max=2100"`
	Value          string       `json:"value" validate:"required,decimal"`
	AcceptedOn     string       `json:"accepted_on" validate:"omitempty,date"`
	Verifier       *verifierDTO `json:"verifier" validate:"required"`
	EvidenceSHA256 string       `json:"evidence_sha256" validate:"required,len=64,hexadecimal,lowercase"`
}

type verifierJSON struct {
	Name          string `json:"name"`
	Accreditation string `json:"accreditation"`
}

type attestationJSON struct {
	ID             string         `json:"id"`
	LoanID         string         `json:"loan_id"`
	MetricID       string         `json:"metric_id"`
	Year           int            `json:"year"`
	Value          string         `json:"value"`
	AcceptedOn     tfpricing.Date `json:"accepted_on"`
	Verifier       verifierJSON   `json:"verifier"`
	EvidenceSHA256 string         `json:"evidence_sha256"`
	Status         string         `json:"status"`
	Outcome        *string        `json:"outcome"`
}

func toAttestationJSON(loanID string, a pricing.Attestation, st pricing.AttestationStatus) attestationJSON {
	out := attestationJSON{
		ID: a.ID, LoanID: loanID, MetricID: a.MetricID, Year: a.Year, Value: a.Value.String(), AcceptedOn: a.AcceptedOn,
		Verifier:       verifierJSON{Name: a.VerifierName, Accreditation: a.VerifierAccreditation},
		EvidenceSHA256: a.EvidenceSHA256, Status: string(st.Status),
	}
	if st.Outcome != "" {
		o := string(st.Outcome)
		out.Outcome = &o
	}
	return out
}

func (s *Server) postAttestation(c echo.Context) error {
	var req attestationRequest
	raw, key, f, err := s.decodeIdempotent(c, &req)
	if err != nil {
		return err
	}
	a := pricing.Attestation{MetricID: req.MetricID, Year: req.Year, Value: f.parseDec("value", req.Value),
		EvidenceSHA256: req.EvidenceSHA256}
	if req.AcceptedOn != "" {
		a.AcceptedOn = f.parseDate("accepted_on", req.AcceptedOn)
	}
	if req.Verifier != nil {
		a.VerifierName, a.VerifierAccreditation = req.Verifier.Name, req.Verifier.Accreditation
	}
	if err := checkVerifierKey(c, req.Verifier); err != nil {
		return err
	}
	if a.Value.IsNegative() {
		f.add(tfpricing.FieldError{Field: "value", Code: "range", Message: "must not be negative"})
	}
	if err := f.err(); err != nil {
		return err
	}
	loanID := c.Param("id")
	out, err := s.book.Attest(c.Request().Context(), actor(c), loanbook.AttestationRequest{
		LoanID: loanID, Attestation: a, IdempotencyKey: key, RequestBody: raw,
	})
	if err != nil {
		return err
	}
	body := []byte(out.Verbatim)
	if body == nil {
		if body, err = renderAttestation(loanID, out.Result); err != nil {
			return err
		}
	}
	if out.Replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	return respondBody(c, http.StatusCreated, body)
}

func (s *Server) listAttestations(c echo.Context) error {
	after, limit, err := page(c)
	if err != nil {
		return err
	}
	loanID := c.Param("id")
	atts, sched, err := s.book.Attestations(c.Request().Context(), loanID)
	if err != nil {
		return err
	}
	// The cursor is the id of the previous page's last attestation.
	atts, next, err := pageOf(atts, func(a pricing.Attestation) string { return a.ID }, after, limit)
	if err != nil {
		return err
	}
	status := map[string]pricing.AttestationStatus{}
	for _, st := range sched.Attestations {
		status[st.ID] = st
	}
	items := make([]attestationJSON, 0, len(atts))
	for _, a := range atts {
		items = append(items, toAttestationJSON(loanID, a, status[a.ID]))
	}
	body := map[string]any{"items": items}
	if next != "" {
		body["next_cursor"] = next
	}
	return respond(c, http.StatusOK, body)
}
