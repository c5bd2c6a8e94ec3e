package api

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

func (s *Server) postLoan(c echo.Context) error {
	var req bookingRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	b, err := s.toBooking(c, &req)
	if err != nil {
		return err
	}
	loan, schedule, dec, err := s.book.Book(c.Request().Context(), actor(c), b)
	if err != nil {
		return err
	}
	out := toLoanJSON(loan, s.today())
	out.DecisionID = decisionID(dec.Seq)
	sched := toScheduleJSON(loan.ID, schedule)
	out.Schedule = &sched
	c.Response().Header().Set(echo.HeaderLocation, "/v1/loans/"+loan.ID)
	return respond(c, http.StatusCreated, out)
}

// toBooking prices the booking: a stored quote is converted again from its
// stored request (and must still resolve to the same catalogue version);
// full terms are priced as of their as_of.
func (s *Server) toBooking(c echo.Context, req *bookingRequest) (loanbook.Booking, error) {
	if req.QuoteID != "" {
		q, err := s.book.Quote(c.Request().Context(), req.QuoteID)
		if err != nil {
			if tfpricing.ErrorCode(err) == tfpricing.ENOTFOUND {
				return loanbook.Booking{}, &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE, Message: "no quote " + req.QuoteID,
					Fields: []tfpricing.FieldError{{Field: "quote_id", Code: "unknown", Message: "no such quote"}}}
			}
			return loanbook.Booking{}, err
		}
		stored, err := audit.DecodeQuoteRequest(q.Request)
		if err != nil {
			return loanbook.Booking{}, err
		}
		qr := fromQuoteRecord(stored)
		pr, err := s.toPriced(&qr, "")
		if err != nil {
			return loanbook.Booking{}, err
		}
		if pr.cat.Digest != q.Catalogue.Digest {
			return loanbook.Booking{}, tfpricing.Errorf(tfpricing.EUNPROCESSABLE,
				"the catalogue changed since quote %s was priced; price the loan again", q.ID)
		}
		return loanbook.Booking{QuoteID: q.ID, ExternalRef: req.ExternalRef, Plan: pr.plan, Assessment: pr.assessment,
			Terms: pr.terms, Catalogue: q.Catalogue, Policy: q.Policy, Request: q.Request}, nil
	}
	pr, q, err := s.price(c.Request().Context(), req.Terms, "terms.")
	if err != nil {
		return loanbook.Booking{}, err
	}
	req.Terms.AsOf = pr.plan.AsOf.String()
	raw, err := audit.EncodeQuoteRequest(toQuoteRecord(req.Terms))
	if err != nil {
		return loanbook.Booking{}, err
	}
	return loanbook.Booking{ExternalRef: req.ExternalRef, Plan: pr.plan, Assessment: pr.assessment,
		Terms: pr.terms, Catalogue: pr.cat.Ref(), Policy: q.Policy, Request: raw}, nil
}

func (s *Server) getLoan(c echo.Context) error {
	loan, schedule, err := s.book.Loan(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	out := toLoanJSON(loan, s.today())
	sched := toScheduleJSON(loan.ID, schedule)
	out.Schedule = &sched
	return respond(c, http.StatusOK, out)
}

// page reads the limit and cursor query parameters. The cursor is opaque to
// clients: base64 of the last id of the previous page.
func page(c echo.Context) (after string, limit int, err error) {
	// Both parameters are checked before refusing, so that a 400 names
	// every bad one (DESIGN.md §7).
	var f fieldSet
	limit = 50
	if raw := c.QueryParam("limit"); raw != "" {
		n, perr := strconv.Atoi(raw)
		if perr != nil || n < 1 || n > 500 {
			f.add(tfpricing.FieldError{Field: "limit", Code: "range", Message: "must be an integer from 1 to 500"})
		}
		limit = n
	}
	if raw := c.QueryParam("cursor"); raw != "" {
		b, derr := base64.RawURLEncoding.DecodeString(raw)
		if derr != nil {
			f.add(tfpricing.FieldError{Field: "cursor", Code: "invalid", Message: "is not a cursor this service issued"})
		}
		after = string(b)
	}
	if err := f.err(); err != nil {
		return "", 0, err
	}
	return after, limit, nil
}

func cursorFor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

func (s *Server) listLoans(c echo.Context) error {
	// The page and the filters are all checked before refusing, so that a
	// 400 names every bad parameter.
	var f fieldSet
	after, limit, err := page(c)
	if err := f.addErr(err); err != nil {
		return err
	}
	filter := loanFilter(c, &f)
	if err := f.err(); err != nil {
		return err
	}
	loans, next, err := s.book.Loans(c.Request().Context(), after, limit, filter)
	if err != nil {
		if tfpricing.ErrorCode(err) == tfpricing.ENOTFOUND {
			return fieldErr("cursor", "invalid", "is not a cursor this service issued")
		}
		return err
	}
	today := s.today()
	items := make([]loanJSON, 0, len(loans))
	for _, l := range loans {
		items = append(items, toLoanJSON(l, today))
	}
	body := map[string]any{"items": items}
	if next != "" {
		body["next_cursor"] = cursorFor(next)
	}
	return respond(c, http.StatusOK, body)
}

func (s *Server) getSchedule(c echo.Context) error {
	asOf, err := s.asOfParam(c.QueryParam("as_of"), "as_of")
	if err != nil {
		return err
	}
	loan, sched, err := s.book.ScheduleAsOf(c.Request().Context(), c.Param("id"), asOf)
	if err != nil {
		return err
	}
	return respondBody(c, http.StatusOK, s.bodies.body(loan.ID, sched))
}

// getSPTs answers a loan's SPT statuses as of a date, for roles that may not
// read the loan itself (a verifier picks the metric and year from them).
func (s *Server) getSPTs(c echo.Context) error {
	asOf, err := s.asOfParam(c.QueryParam("as_of"), "as_of")
	if err != nil {
		return err
	}
	spts, err := s.book.SPTs(c.Request().Context(), c.Param("id"), asOf)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, map[string]any{"loan_id": c.Param("id"), "as_of": asOf, "spts": toSPTsJSON(spts)})
}

type fixingRequest struct {
	EffectiveDate string `json:"effective_date" validate:"required,date"`
	OneYear       string `json:"one_year" validate:"required,decimal"`
	FiveYear      string `json:"five_year" validate:"required,decimal"`
}

func (s *Server) postFixing(c echo.Context) error {
	var req fixingRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	var f fieldSet
	if err := f.addErr(s.validateStruct(&req)); err != nil {
		return err
	}
	fx := pricing.Fixing{
		EffectiveDate: f.parseDate("effective_date", req.EffectiveDate),
		OneYear:       f.parseDec("one_year", req.OneYear),
		FiveYear:      f.parseDec("five_year", req.FiveYear),
	}
	if err := f.addErr(fx.Validate()); err != nil {
		return err
	}
	if err := f.err(); err != nil {
		return err
	}
	if s.book.FourEyes() {
		return s.postFixingProposal(c, fx)
	}
	rep, err := s.book.PublishFixing(c.Request().Context(), actor(c), fx)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, map[string]any{
		"fixing": toFixingJSON(fx), "repriced": rep.Checked, "changed": rep.Changed, "transactions": rep.Transactions,
	})
}

func (s *Server) postSweep(c echo.Context) error {
	rep, err := s.book.Sweep(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, map[string]any{
		"business_date": s.today(), "checked": rep.Checked, "changed": rep.Changed, "transactions": rep.Transactions,
	})
}
