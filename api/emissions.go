package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// Financed emissions (issue 17): POST /v1/borrowers/{uscc}/emissions
// (verifier) attests a borrower's emissions for a year, through the same
// flow as a KPI attestation — Idempotency-Key required, one sealed
// decision of kind emissions; GET lists them with their PCAF data quality.

type emissionsRequest struct {
	Year           int          `json:"year" validate:"min=2000,max=2100"`
	Scope1         string       `json:"scope1_tco2e" validate:"required,decimal"`
	Scope2         string       `json:"scope2_tco2e" validate:"required,decimal"`
	Output         string       `json:"output" validate:"required,decimal"`
	OutputUnit     string       `json:"output_unit" validate:"required,max=32"`
	EquityPlusDebt string       `json:"equity_plus_debt" validate:"required,decimal"`
	EVIC           bool         `json:"evic"`
	Source         string       `json:"source" validate:"required,oneof=verified reported estimated"`
	Verifier       *verifierDTO `json:"verifier" validate:"required"`
	EvidenceSHA256 string       `json:"evidence_sha256" validate:"required,len=64,hexadecimal,lowercase"`
}

type emissionsJSON struct {
	ID             string       `json:"id"`
	USCC           string       `json:"uscc"`
	Year           int          `json:"year"`
	Scope1         string       `json:"scope1_tco2e"`
	Scope2         string       `json:"scope2_tco2e"`
	Output         string       `json:"output"`
	OutputUnit     string       `json:"output_unit"`
	EquityPlusDebt string       `json:"equity_plus_debt"`
	EVIC           bool         `json:"evic"`
	Source         string       `json:"source"`
	DataQuality    int          `json:"pcaf_data_quality"`
	Verifier       verifierJSON `json:"verifier"`
	EvidenceSHA256 string       `json:"evidence_sha256"`
	AcceptedOn     string       `json:"accepted_on"`
}

func toEmissionsJSON(e pricing.Emissions) emissionsJSON {
	return emissionsJSON{ID: e.ID, USCC: e.USCC, Year: e.Year, Scope1: pricing.NormalString(e.Scope1),
		Scope2: pricing.NormalString(e.Scope2), Output: pricing.NormalString(e.Output), OutputUnit: e.OutputUnit,
		EquityPlusDebt: e.EquityPlusDebt.StringFixed(2), EVIC: e.EVIC, Source: string(e.Source),
		DataQuality: e.Source.DataQuality(), Verifier: verifierJSON{Name: e.VerifierName, Accreditation: e.VerifierAccreditation},
		EvidenceSHA256: e.EvidenceSHA256, AcceptedOn: e.AcceptedOn.String()}
}

// usccParam is the path's borrower code, checked as GB 32100-2015 has it.
func usccParam(c echo.Context) (string, error) {
	uscc := c.Param("uscc")
	if err := catalog.ValidateUSCC(uscc); err != nil {
		return "", fieldErr("uscc", "uscc", tfpricing.ErrorMessage(err))
	}
	return uscc, nil
}

func (s *Server) postEmissions(c echo.Context) error {
	uscc, err := usccParam(c)
	if err != nil {
		return err
	}
	var req emissionsRequest
	raw, key, f, err := s.decodeIdempotent(c, &req)
	if err != nil {
		return err
	}
	e := pricing.Emissions{USCC: uscc, Year: req.Year, Scope1: f.parseDec("scope1_tco2e", req.Scope1),
		Scope2: f.parseDec("scope2_tco2e", req.Scope2), Output: f.parseDec("output", req.Output), OutputUnit: req.OutputUnit,
		EquityPlusDebt: f.parseDec("equity_plus_debt", req.EquityPlusDebt), EVIC: req.EVIC,
		Source: pricing.EmissionsSource(req.Source), EvidenceSHA256: req.EvidenceSHA256}
	if req.Verifier != nil {
		e.VerifierName, e.VerifierAccreditation = req.Verifier.Name, req.Verifier.Accreditation
	}
	if err := checkVerifierKey(c, req.Verifier); err != nil {
		return err
	}
	if len(f.list) == 0 {
		_ = f.addErr(e.Validate())
	}
	if err := f.err(); err != nil {
		return err
	}
	out, err := s.book.AttestEmissions(c.Request().Context(), actor(c), loanbook.EmissionsRequest{
		Emissions: e, IdempotencyKey: key, RequestBody: raw})
	if err != nil {
		return err
	}
	if out.Replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	} else {
		c.Response().Header().Set(decisionIDHeader, strconv.FormatUint(out.DecisionSeq, 10))
	}
	body, err := json.Marshal(toEmissionsJSON(out.Emissions))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusCreated, echo.MIMEApplicationJSON, body)
}

func (s *Server) listEmissions(c echo.Context) error {
	uscc, err := usccParam(c)
	if err != nil {
		return err
	}
	es, err := s.book.Emissions(c.Request().Context(), uscc)
	if err != nil {
		return err
	}
	items := make([]emissionsJSON, 0, len(es))
	for _, e := range es {
		items = append(items, toEmissionsJSON(e))
	}
	return respond(c, http.StatusOK, map[string]any{"items": items})
}
