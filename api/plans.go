package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// planVersionJSON is one version of a loan's plan: version 1 is the booked
// plan, from the start date, made by the booking.
type planVersionJSON struct {
	Version       int            `json:"version"`
	EffectiveFrom tfpricing.Date `json:"effective_from"`
	Tier          string         `json:"tier"`
	KPIs          []kpiOutJSON   `json:"kpis"`
	ReasonCode    *string        `json:"reason_code"`
	Reason        *string        `json:"reason"`
	ProposalID    *string        `json:"proposal_id"`
	DecisionID    *string        `json:"decision_id"`
}

type declassificationJSON struct {
	EffectiveFrom tfpricing.Date `json:"effective_from"`
	Ground        string         `json:"ground"`
	Reason        string         `json:"reason"`
	ProposalID    string         `json:"proposal_id"`
	DecisionID    string         `json:"decision_id"`
}

type opinionJSON struct {
	LoanID       string         `json:"loan_id"`
	Provider     string         `json:"provider"`
	Date         tfpricing.Date `json:"date"`
	Conclusion   string         `json:"conclusion"`
	ReportSHA256 string         `json:"report_sha256"`
	DecisionID   string         `json:"decision_id"`
}

func toOpinionJSON(o loanbook.Opinion) opinionJSON {
	return opinionJSON{LoanID: o.LoanID, Provider: o.Provider, Date: o.Date, Conclusion: o.Conclusion,
		ReportSHA256: o.ReportSHA256, DecisionID: decisionID(o.DecisionSeq)}
}

// getPlans answers GET /v1/loans/{id}/plans: every plan version and the
// decision that made it, the declassification and the second-party
// opinion, when there are.
func (s *Server) getPlans(c echo.Context) error {
	ctx := c.Request().Context()
	l, _, err := s.book.Loan(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	booking, _, err := s.book.Decisions(ctx, loanbook.DecisionFilter{LoanID: l.ID, Kind: audit.DecisionBooking}, 0, 1)
	if err != nil {
		return err
	}
	v1 := toLoanJSON(l, s.today()).KPIs
	versions := []planVersionJSON{{Version: 1, EffectiveFrom: l.Terms.Facility.StartDate, Tier: string(l.Terms.Tier), KPIs: v1}}
	if len(booking) > 0 {
		id := decisionID(booking[0].Seq)
		versions[0].DecisionID = &id
	}
	for _, p := range l.Lifecycle.Plans {
		vl := l
		vl.Terms.KPIs = p.KPIs
		id := decisionID(p.DecisionSeq)
		versions = append(versions, planVersionJSON{Version: p.Version, EffectiveFrom: p.EffectiveFrom, Tier: string(p.Tier),
			KPIs: toLoanJSON(vl, s.today()).KPIs, ReasonCode: &p.ReasonCode, Reason: &p.Reason, ProposalID: &p.ProposalID,
			DecisionID: &id})
	}
	body := map[string]any{"loan_id": l.ID, "versions": versions, "declassification": nil, "second_party_opinion": nil}
	if d := l.Lifecycle.Declassification; d != nil {
		body["declassification"] = declassificationJSON{EffectiveFrom: d.EffectiveFrom, Ground: d.Ground, Reason: d.Reason,
			ProposalID: d.ProposalID, DecisionID: decisionID(d.DecisionSeq)}
	}
	if o := l.Lifecycle.Opinion; o != nil {
		body["second_party_opinion"] = toOpinionJSON(*o)
	}
	return respond(c, http.StatusOK, body)
}

type opinionRequest struct {
	Provider     string `json:"provider" validate:"required,max=200"`
	Date         string `json:"date" validate:"required,date"`
	Conclusion   string `json:"conclusion" validate:"required,oneof=aligned partially_aligned not_aligned"`
	ReportSHA256 string `json:"report_sha256" validate:"required,len=64,hexadecimal,lowercase"`
}

// postOpinion answers POST /v1/loans/{id}/second-party-opinion.
func (s *Server) postOpinion(c echo.Context) error {
	var req opinionRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	var f fieldSet
	if err := f.addErr(s.validateStruct(&req)); err != nil {
		return err
	}
	date := f.parseDate("date", req.Date)
	if err := f.err(); err != nil {
		return err
	}
	o, err := s.book.RecordOpinion(c.Request().Context(), actor(c), audit.SecondPartyOpinion{LoanID: c.Param("id"),
		Provider: req.Provider, Date: date, Conclusion: req.Conclusion, ReportSHA256: req.ReportSHA256})
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, toOpinionJSON(o))
}

// postFixingProposal answers POST /v1/benchmarks/lpr under four eyes: 202
// with the pending lpr_fixing proposal.
func (s *Server) postFixingProposal(c echo.Context, fx pricing.Fixing) error {
	p, err := s.book.ProposeFixing(c.Request().Context(), actor(c), fx)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/proposals/"+p.ID)
	return respond(c, http.StatusAccepted, toProposalJSON(p))
}

// lifecycleRoutes adds the routes of DESIGN.md §5.1.
func (s *Server) lifecycleRoutes(v1 *echo.Group) {
	officer := s.allow(tfpricing.RoleOfficer)
	approver := s.allow(tfpricing.RoleApprover)
	v1.POST("/loans/:id/amendments", s.postAmendment, officer)
	v1.POST("/loans/:id/declassification", s.postDeclassification, officer)
	v1.POST("/loans/:id/second-party-opinion", s.postOpinion, officer)
	v1.GET("/loans/:id/plans", s.getPlans, s.allow(tfpricing.RoleOfficer, tfpricing.RoleApprover, tfpricing.RoleAuditor))
	readers := s.allow(tfpricing.RoleOfficer, tfpricing.RoleApprover, tfpricing.RoleAdmin, tfpricing.RoleAuditor)
	v1.GET("/proposals", s.listProposals, readers)
	v1.GET("/proposals/:id", s.getProposal, readers)
	v1.POST("/proposals/:id/approve", s.approveProposal, approver)
	v1.POST("/proposals/:id/reject", s.rejectProposal, approver)
}
