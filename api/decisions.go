package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// The decision trail for auditors (DESIGN.md §6, §7): listing, reading and
// replaying decision records. Verification, checkpoints, export and backup
// are in audit.go.

type actorJSON struct {
	KeyID     string `json:"key_id"`
	Role      string `json:"role"`
	RequestID string `json:"request_id,omitempty"`
}

// decisionSummaryJSON is a decision in a list: the record without its
// inputs, outputs and fixings, which GET /v1/decisions/{id} returns.
type decisionSummaryJSON struct {
	DecisionID    string            `json:"decision_id"`
	Seq           uint64            `json:"seq"`
	Kind          string            `json:"kind"`
	LoanID        string            `json:"loan_id,omitempty"`
	QuoteID       string            `json:"quote_id,omitempty"`
	Actor         actorJSON         `json:"actor"`
	RecordedAt    string            `json:"recorded_at"`
	BusinessDate  string            `json:"business_date,omitempty"`
	AsOf          string            `json:"as_of,omitempty"`
	Catalogue     *catalogueRefJSON `json:"catalogue,omitempty"`
	Policy        *policyRefJSON    `json:"policy,omitempty"`
	EngineVersion string            `json:"engine_version"`
	OutputDigest  string            `json:"output_digest"`
	PrevHash      string            `json:"prev_hash"`
	Hash          string            `json:"hash"`
}

func toDecisionSummary(d audit.Decision) decisionSummaryJSON {
	out := decisionSummaryJSON{DecisionID: decisionID(d.Seq), Seq: d.Seq, Kind: string(d.Kind), LoanID: d.LoanID,
		QuoteID: d.QuoteID, Actor: actorJSON{KeyID: d.Actor.KeyID, Role: string(d.Actor.Role), RequestID: d.Actor.RequestID},
		RecordedAt: d.RecordedAt.UTC().Format(time.RFC3339Nano), BusinessDate: d.BusinessDate.String(),
		AsOf: d.AsOf.String(), EngineVersion: d.EngineVersion, OutputDigest: d.OutputDigest, PrevHash: d.PrevHash, Hash: d.Hash}
	if d.Catalogue != nil {
		ref := toRefJSON(*d.Catalogue)
		out.Catalogue = &ref
	}
	if d.Policy != nil {
		out.Policy = &policyRefJSON{Version: d.Policy.Version, Digest: d.Policy.Digest}
	}
	return out
}

// decisionQuery reads the listing's query parameters, reporting every bad
// one at once.
func decisionQuery(c echo.Context) (f loanbook.DecisionFilter, after uint64, limit int, err error) {
	var fs fieldSet
	f.LoanID = c.QueryParam("loan_id")
	if k := audit.DecisionKind(c.QueryParam("kind")); k != "" {
		if !k.Valid() {
			fs.add(tfpricing.FieldError{Field: "kind", Code: "oneof", Message: "is not a decision kind (quote, booking, attestation, correction, repricing, sweep, catalogue_load, policy_load, simulation, proposal, proposal_approval, proposal_rejection, proposal_expiry, amendment, declassification, second_party_opinion)"})
		}
		f.Kind = k
	}
	for _, p := range []struct {
		name string
		dst  *tfpricing.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := c.QueryParam(p.name); raw != "" {
			d, perr := tfpricing.ParseDate(raw)
			if perr != nil {
				fs.add(tfpricing.FieldError{Field: p.name, Code: "date", Message: "must be a date YYYY-MM-DD"})
			}
			*p.dst = d
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		fs.add(tfpricing.FieldError{Field: "to", Code: "range", Message: "must not be before from"})
	}
	limit = 50
	if raw := c.QueryParam("limit"); raw != "" {
		n, perr := strconv.Atoi(raw)
		if perr != nil || n < 1 || n > 500 {
			fs.add(tfpricing.FieldError{Field: "limit", Code: "range", Message: "must be an integer from 1 to 500"})
		}
		limit = n
	}
	if raw := c.QueryParam("cursor"); raw != "" {
		b, derr := base64.RawURLEncoding.DecodeString(raw)
		n, perr := strconv.ParseUint(string(b), 10, 64)
		if derr != nil || perr != nil || n == 0 {
			fs.add(tfpricing.FieldError{Field: "cursor", Code: "invalid", Message: "is not a cursor this service issued"})
		}
		after = n
	}
	return f, after, limit, fs.err()
}

// listDecisions answers GET /v1/decisions: summaries in sequence order,
// filtered by loan, kind and business date, a page at a time. The cursor is
// opaque to clients: base64 of the last sequence number of the page.
func (s *Server) listDecisions(c echo.Context) error {
	f, after, limit, err := decisionQuery(c)
	if err != nil {
		return err
	}
	list, more, err := s.book.Decisions(c.Request().Context(), f, after, limit)
	if err != nil {
		return err
	}
	items := make([]decisionSummaryJSON, 0, len(list))
	for _, d := range list {
		items = append(items, toDecisionSummary(d))
	}
	body := map[string]any{"items": items}
	if more && len(list) > 0 {
		body["next_cursor"] = base64.RawURLEncoding.EncodeToString([]byte(decisionID(list[len(list)-1].Seq)))
	}
	return respond(c, http.StatusOK, body)
}

// decisionSeq reads the {id} of a decision route: its sequence number.
func decisionSeq(c echo.Context) (uint64, error) {
	seq, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || seq == 0 {
		return 0, fieldErr("id", "invalid", "must be a decision id: its sequence number, 1 or more")
	}
	return seq, nil
}

// getDecision answers GET /v1/decisions/{id} with the record exactly as
// stored: the canonical JSON its hash covers, inputs and outputs embedded.
// A record that no longer decodes is still shown as it is.
func (s *Server) getDecision(c echo.Context) error {
	seq, err := decisionSeq(c)
	if err != nil {
		return err
	}
	stored, err := s.book.DecisionRecord(seq)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, stored)
}

type differenceJSON struct {
	Path     string `json:"path"`
	Recorded string `json:"recorded"`
	Replayed string `json:"replayed"`
}

type replayJSON struct {
	DecisionID     string           `json:"decision_id"`
	Kind           string           `json:"kind"`
	Match          bool             `json:"match"`
	RecordedDigest string           `json:"recorded_digest"`
	ReplayedDigest string           `json:"replayed_digest"`
	Differences    []differenceJSON `json:"differences"`
}

// replayDecision answers POST /v1/decisions/{id}/replay: the decision's
// outputs recomputed from its recorded inputs and the catalogue, policy and
// fixings it names, read in one transaction (audit.Replay). It changes
// nothing. A simulation, or a record whose inputs no longer decode, is a
// 422 saying why.
func (s *Server) replayDecision(c echo.Context) error {
	seq, err := decisionSeq(c)
	if err != nil {
		return err
	}
	res, kind, err := s.book.Replay(c.Request().Context(), seq)
	if err != nil {
		return err
	}
	out := replayJSON{DecisionID: decisionID(res.DecisionSeq), Kind: string(kind), Match: res.Match,
		RecordedDigest: res.RecordedDigest, ReplayedDigest: res.ReplayedDigest,
		Differences: make([]differenceJSON, 0, len(res.Differences))}
	for _, d := range res.Differences {
		out.Differences = append(out.Differences, differenceJSON{Path: d.Path, Recorded: d.Recorded, Replayed: d.Replayed})
	}
	return respond(c, http.StatusOK, out)
}

// recordSimulation appends a decision of kind simulation for a simulation
// that ran (DESIGN.md §6): its inputs are the request canonicalised, with
// the quote's as_of filled in; its outputs the JSON response body
// canonicalised (without the decision id, which only the record gives); it
// names the catalogue and policy the quote was priced under and the LPR
// fixings known on as_of. Simulations are recorded for the audit trail and
// are not replayable: an assumption is not a decision the engine must
// reproduce. It returns the decision id.
func (s *Server) recordSimulation(c echo.Context, req *simulationRequest, pr *pricedRequest, pol *pricing.Policy,
	out simulationJSON) (string, error) {
	req.Quote.AsOf = pr.plan.AsOf.String()
	inputs, outputs, err := audit.EncodeSimulation(toSimulationRecord(req), toSimulationOutputs(out))
	if err != nil {
		return "", err
	}
	seq, err := s.book.RecordSimulation(c.Request().Context(), actor(c), loanbook.SimulationRecord{
		AsOf: pr.plan.AsOf, Catalogue: pr.cat.Ref(), Policy: pol.Ref(), Inputs: inputs, Outputs: outputs})
	if err != nil {
		return "", err
	}
	return decisionID(seq), nil
}

// decisionIDHeader carries the decision id of a recorded simulation, which
// a CSV body has no place for.
const decisionIDHeader = "X-Decision-Id"
