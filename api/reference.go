package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/pricing"
)

// policyFor returns the policy in force on d. A loan migrated in with an
// as_of before the first policy version is priced under the earliest
// version: the bank has no older machine-readable policy, and refusing
// would make migration impossible. (Deliberate; DESIGN.md is silent.)
func (s *Server) policyFor(d tfpricing.Date) (*pricing.Policy, error) {
	if p, ok := s.policies.InForce(d); ok {
		return p, nil
	}
	if all := s.policies.All(); len(all) > 0 {
		return all[0], nil
	}
	return nil, tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "no pricing policy is loaded")
}

// curve returns the LPR history as it stands: the shipped fixings and those
// published since — on any replica, checked against the store.
func (s *Server) curve(ctx context.Context) (pricing.Curve, error) { return s.book.CurrentCurve(ctx) }

func (s *Server) getPolicy(c echo.Context) error {
	asOf, err := s.asOfParam(c.QueryParam("as_of"), "as_of")
	if err != nil {
		return err
	}
	p, err := s.policyFor(asOf)
	if err != nil {
		return err
	}
	// The canonical document is the policy exactly as priced; the digest
	// beside it lets a client check what a decision recorded.
	var body map[string]any
	if err := json.Unmarshal(p.Canonical, &body); err != nil {
		return err
	}
	body["digest"] = p.Digest
	// The canonical form leaves late_attestation out when it is the default
	// (so 2026.1 keeps its digest); clients are shown it either way.
	if r, ok := body["ratchet"].(map[string]any); ok {
		r["late_attestation"] = p.Ratchet.LateAttestation.OrDefault()
	}
	// The canonical form writes decimals in their shortest form ("2.2");
	// the API writes every rate with 4 decimals (DESIGN.md §4).
	if l, ok := body["limits"].(map[string]any); ok {
		l["floor_rate"] = pricing.FormatRate(p.Limits.FloorRate)
	}
	return respond(c, http.StatusOK, body)
}

type fixingJSON struct {
	EffectiveDate tfpricing.Date `json:"effective_date"`
	OneYear       string         `json:"one_year"`
	FiveYear      string         `json:"five_year"`
}

func toFixingJSON(f pricing.Fixing) fixingJSON {
	return fixingJSON{EffectiveDate: f.EffectiveDate, OneYear: pricing.FormatRate(f.OneYear), FiveYear: pricing.FormatRate(f.FiveYear)}
}

// getLPR lists the fixings known on as_of (default: all up to today),
// newest first.
func (s *Server) getLPR(c echo.Context) error {
	// Every malformed parameter is named (400) before as_of is refused for
	// being later than the business date (422).
	var f fieldSet
	asOf, refused := s.asOfParam(c.QueryParam("as_of"), "as_of")
	refused = f.addErr(refused)
	after, limit, err := page(c)
	if err := f.addErr(err); err != nil {
		return err
	}
	if err := f.err(); err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	curve, err := s.curve(c.Request().Context())
	if err != nil {
		return err
	}
	if c.QueryParam("as_of") != "" {
		// Without as_of every fixing is listed, including any published
		// ahead of its effective date.
		curve = curve.Until(asOf)
	}
	fs := curve.Fixings()
	items := make([]fixingJSON, 0, len(fs))
	for i := len(fs) - 1; i >= 0; i-- {
		items = append(items, toFixingJSON(fs[i]))
	}
	// The cursor is the effective date of the previous page's last fixing.
	items, next, err := pageOf(items, func(f fixingJSON) string { return f.EffectiveDate.String() }, after, limit)
	if err != nil {
		return err
	}
	body := map[string]any{"as_of": asOf, "items": items}
	if next != "" {
		body["next_cursor"] = next
	}
	return respond(c, http.StatusOK, body)
}
