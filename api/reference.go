package api

import (
	"encoding/json"
	"net/http"
	"time"

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
// published since.
func (s *Server) curve() pricing.Curve { return s.book.Curve() }

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
	asOf, err := s.asOfParam(c.QueryParam("as_of"), "as_of")
	if err != nil {
		return err
	}
	curve := s.curve()
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
	return respond(c, http.StatusOK, map[string]any{"as_of": asOf, "items": items})
}

// storeQuote keeps the quote for booking within its validity, and records
// the quote decision in the same transaction.
func (s *Server) storeQuote(c echo.Context, pr *pricedRequest, q pricing.Quote, req *quoteRequest) (string, string, error) {
	req.AsOf = pr.plan.AsOf.String()
	raw, err := json.Marshal(req)
	if err != nil {
		return "", "", err
	}
	d, err := pricing.NewQuoteInputs(pr.plan, pr.terms, q.AsOf).Decision(pr.assessment, &q)
	if err != nil {
		return "", "", err
	}
	now := s.now().UTC()
	var id string
	var seq uint64
	err = s.store.Update(c.Request().Context(), func(tx pricing.Tx) error {
		var err error
		if id, err = tx.NextQuoteID(); err != nil {
			return err
		}
		d.QuoteID, d.Actor, d.RecordedAt, d.BusinessDate = id, actor(c), now, s.today()
		if err := tx.AppendDecision(&d); err != nil {
			return err
		}
		seq = d.Seq
		return tx.PutQuote(pricing.StoredQuote{
			ID: id, CreatedAt: now.Truncate(time.Second), AsOf: q.AsOf, ValidUntil: q.ValidUntil,
			Request: raw, Catalogue: pr.cat.Ref(), Policy: q.Policy, DecisionSeq: seq,
		})
	})
	if err != nil {
		return "", "", err
	}
	s.metrics.decisions.WithLabelValues(string(pricing.DecisionQuote)).Inc()
	return id, decisionID(seq), nil
}
