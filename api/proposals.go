package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// The lifecycle routes of DESIGN.md §5.1: proposals, amendments,
// declassification, plan history.

type amendmentRequest struct {
	EffectiveFrom string   `json:"effective_from" validate:"required,date"`
	ReasonCode    string   `json:"reason_code" validate:"required,oneof=restatement methodology_change standard_revision structural_change other"`
	Reason        string   `json:"reason" validate:"required,max=2000"`
	KPIs          []kpiDTO `json:"kpis" validate:"required,min=1,max=20,dive"`
}

type declassificationRequest struct {
	EffectiveFrom string `json:"effective_from" validate:"required,date"`
	Ground        string `json:"ground" validate:"required,oneof=misreporting plan_abandoned verifier_withdrawn other"`
	Reason        string `json:"reason" validate:"required,max=2000"`
}

type rejectRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

type proposalJSON struct {
	ProposalID string          `json:"proposal_id"`
	Kind       string          `json:"kind"`
	LoanID     *string         `json:"loan_id"`
	Status     string          `json:"status"`
	ProposedBy actorJSON       `json:"proposed_by"`
	ProposedOn tfpricing.Date  `json:"proposed_on"`
	ExpiresOn  tfpricing.Date  `json:"expires_on"`
	Request    json.RawMessage `json:"request"`
	DecidedBy  *actorJSON      `json:"decided_by"`
	DecidedOn  *tfpricing.Date `json:"decided_on"`
	Reason     *string         `json:"reason"`
	DecisionID *string         `json:"decision_id"`
	// ProposalDecisionID is the decision that recorded the proposal;
	// EffectDecisionID the loan decision its approval made.
	ProposalDecisionID string  `json:"proposal_decision_id"`
	EffectDecisionID   *string `json:"effect_decision_id"`
}

func toProposalJSON(p loanbook.Proposal) proposalJSON {
	out := proposalJSON{ProposalID: p.ID, Kind: string(p.Kind), Status: string(p.Status),
		ProposedBy: actorJSON{KeyID: p.ProposedBy.KeyID, Role: string(p.ProposedBy.Role)}, ProposedOn: p.ProposedOn,
		ExpiresOn: p.ExpiresOn, Request: p.Request, ProposalDecisionID: decisionID(p.ProposalSeq)}
	if p.LoanID != "" {
		out.LoanID = &p.LoanID
	}
	// A proposed fixing's rates are written with 4 decimals (DESIGN.md §4),
	// as GET /v1/benchmarks/lpr writes them; the record keeps them as given.
	if p.Kind == loanbook.ProposalLPRFixing {
		if f, err := loanbook.FixingOf(p); err == nil {
			if raw, err := json.Marshal(toFixingJSON(f)); err == nil {
				out.Request = raw
			}
		}
	}
	if p.DecidedBy != nil {
		out.DecidedBy = &actorJSON{KeyID: p.DecidedBy.KeyID, Role: string(p.DecidedBy.Role)}
	}
	if !p.DecidedOn.IsZero() {
		out.DecidedOn = &p.DecidedOn
	}
	if p.Reason != "" {
		out.Reason = &p.Reason
	}
	// decision_id is the latest decision about the proposal: the one that
	// recorded it while it is pending, then its approval, rejection or
	// expiry.
	seq := p.ProposalSeq
	if p.DecisionSeq != 0 {
		seq = p.DecisionSeq
	}
	id := decisionID(seq)
	out.DecisionID = &id
	if p.EffectSeq != 0 {
		id := decisionID(p.EffectSeq)
		out.EffectDecisionID = &id
	}
	return out
}

func (s *Server) postAmendment(c echo.Context) error {
	var req amendmentRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	var f fieldSet
	if err := f.addErr(s.validateStruct(&req)); err != nil {
		return err
	}
	eff := f.parseDate("effective_from", req.EffectiveFrom)
	plan := toKPIs(&f, req.KPIs)
	f.add(kpiFieldErrors(plan)...)
	kpis := make([]pricing.KPI, len(plan))
	for i, k := range plan {
		kpis[i] = pricing.KPI{KPI: k, StepDownBp: f.parseOptDec(kpiField(i, "step_down_bp"), req.KPIs[i].StepDownBp),
			StepUpBp: f.parseOptDec(kpiField(i, "step_up_bp"), req.KPIs[i].StepUpBp)}
	}
	if err := f.err(); err != nil {
		return err
	}
	p, err := s.book.ProposeAmendment(c.Request().Context(), actor(c), loanbook.AmendmentRequest{LoanID: c.Param("id"),
		EffectiveFrom: eff, ReasonCode: req.ReasonCode, Reason: req.Reason, KPIs: kpis})
	if err != nil {
		return withEligibility(err, eff)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/proposals/"+p.ID)
	return respond(c, http.StatusCreated, toProposalJSON(p))
}

// kpiFieldErrors are the plan-structure errors of an amendment's KPI list
// (years, ordering, duplicates): bad input, named with the other bad fields
// in one 400 before any business rule refuses (DESIGN.md §7).
func kpiFieldErrors(kpis []catalog.KPI) []tfpricing.FieldError {
	err, ok := catalog.Plan{KPIs: kpis}.Validate().(*tfpricing.Error)
	if !ok || err == nil {
		return nil
	}
	var out []tfpricing.FieldError
	for _, fe := range err.Fields {
		if strings.HasPrefix(fe.Field, "kpis") {
			out = append(out, fe)
		}
	}
	return out
}

func kpiField(i int, name string) string { return "kpis[" + strconv.Itoa(i) + "]." + name }

// withEligibility shows an ineligible amended plan's assessment as a
// refused quote's is shown.
func withEligibility(err error, asOf tfpricing.Date) error {
	if e, ok := err.(*tfpricing.Error); ok {
		if a, ok := e.Extensions["assessment"].(catalog.Assessment); ok {
			e.Extensions = map[string]any{"eligibility": toAssessmentJSON(a, asOf)}
		}
	}
	return err
}

func (s *Server) postDeclassification(c echo.Context) error {
	var req declassificationRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	var f fieldSet
	if err := f.addErr(s.validateStruct(&req)); err != nil {
		return err
	}
	eff := f.parseDate("effective_from", req.EffectiveFrom)
	if err := f.err(); err != nil {
		return err
	}
	p, err := s.book.ProposeDeclassification(c.Request().Context(), actor(c), loanbook.DeclassificationRequest{
		LoanID: c.Param("id"), EffectiveFrom: eff, Ground: req.Ground, Reason: req.Reason})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/proposals/"+p.ID)
	return respond(c, http.StatusCreated, toProposalJSON(p))
}

func (s *Server) listProposals(c echo.Context) error {
	after, limit, err := page(c)
	if err != nil {
		return err
	}
	f := loanbook.ProposalFilter{Status: loanbook.ProposalStatus(c.QueryParam("status")),
		Kind: loanbook.ProposalKind(c.QueryParam("kind")), LoanID: c.QueryParam("loan_id")}
	var bad []tfpricing.FieldError
	switch f.Status {
	case "", loanbook.ProposalPending, loanbook.ProposalApproved, loanbook.ProposalRejected, loanbook.ProposalExpired:
	default:
		bad = append(bad, tfpricing.FieldError{Field: "status", Code: "oneof", Message: "must be pending, approved, rejected or expired"})
	}
	switch f.Kind {
	case "", loanbook.ProposalAmendment, loanbook.ProposalDeclassification, loanbook.ProposalLPRFixing:
	default:
		bad = append(bad, tfpricing.FieldError{Field: "kind", Code: "oneof", Message: "must be amendment, declassification or lpr_fixing"})
	}
	if err := tfpricing.Invalid(bad); err != nil {
		return err
	}
	ps, more, err := s.book.Proposals(c.Request().Context(), f, after, limit)
	if err != nil {
		if tfpricing.ErrorCode(err) == tfpricing.ENOTFOUND {
			return fieldErr("cursor", "invalid", "is not a cursor this service issued")
		}
		return err
	}
	items := make([]proposalJSON, 0, len(ps))
	for _, p := range ps {
		items = append(items, toProposalJSON(p))
	}
	body := map[string]any{"items": items}
	if more && len(ps) > 0 {
		body["next_cursor"] = cursorFor(ps[len(ps)-1].ID)
	}
	return respond(c, http.StatusOK, body)
}

func (s *Server) getProposal(c echo.Context) error {
	p, err := s.book.Proposal(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, toProposalJSON(p))
}

func (s *Server) approveProposal(c echo.Context) error {
	p, err := s.book.Decide(c.Request().Context(), actor(c), c.Param("id"), true, "")
	if err != nil {
		return withEligibility(err, s.today())
	}
	return respond(c, http.StatusOK, toProposalJSON(p))
}

func (s *Server) rejectProposal(c echo.Context) error {
	var req rejectRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	if err := s.validateStruct(&req); err != nil {
		return err
	}
	p, err := s.book.Decide(c.Request().Context(), actor(c), c.Param("id"), false, req.Reason)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, toProposalJSON(p))
}
