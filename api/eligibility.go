package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// observationDTO is a KPI value in a year (baseline or target).
type observationDTO struct {
	Year  int    `json:"year" validate:"min=1990,max=2100"`
	Value string `json:"value" validate:"required,decimal"`
}

// kpiDTO is one KPI of a transition plan. name, unit and direction are
// required only for a custom (non-catalogue) KPI; the step sizes only matter
// to pricing.
type kpiDTO struct {
	MetricID   string           `json:"metric_id" validate:"required,max=64"`
	Name       string           `json:"name" validate:"max=200"`
	Unit       string           `json:"unit" validate:"max=64"`
	Direction  string           `json:"direction" validate:"omitempty,oneof=lower_is_better higher_is_better"`
	Baseline   *observationDTO  `json:"baseline" validate:"required"`
	Targets    []observationDTO `json:"targets" validate:"required,min=1,max=50,dive"`
	StepDownBp *string          `json:"step_down_bp" validate:"omitempty,decimal"`
	StepUpBp   *string          `json:"step_up_bp" validate:"omitempty,decimal"`
}

// borrowerDTO is the borrower of an eligibility request.
type borrowerDTO struct {
	Name                string     `json:"name" validate:"max=200"`
	USCC                string     `json:"uscc" validate:"required"`
	IndustryCode        string     `json:"industry_code" validate:"required"`
	JustTransitionScore *int       `json:"just_transition_score" validate:"omitempty,min=0,max=100"`
	ObsoleteCapacity    bool       `json:"obsolete_capacity"`
	NewCapacity         strictBool `json:"new_capacity"`
}

// eligibilityRequest is the body of POST /v1/eligibility.
type eligibilityRequest struct {
	Borrower  *borrowerDTO `json:"borrower" validate:"required"`
	PathwayID string       `json:"pathway_id" validate:"required,max=64"`
	KPIs      []kpiDTO     `json:"kpis" validate:"required,min=1,max=20,dive"`
	AsOf      string       `json:"as_of" validate:"omitempty,date"`
}

// fieldSet collects field errors, keeping the first per field so a value
// that fails both the tags and the domain rules is reported once.
type fieldSet struct {
	list []tfpricing.FieldError
	seen map[string]bool
}

func (f *fieldSet) add(errs ...tfpricing.FieldError) {
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	for _, e := range errs {
		if !f.seen[e.Field] {
			f.seen[e.Field] = true
			f.list = append(f.list, e)
		}
	}
}

// addErr adds the fields of an EINVALID error and returns any other error.
func (f *fieldSet) addErr(err error) error {
	if err == nil {
		return nil
	}
	if te, ok := err.(*tfpricing.Error); ok && te.Code == tfpricing.EINVALID {
		f.add(te.Fields...)
		return nil
	}
	return err
}

func (f *fieldSet) err() error { return tfpricing.Invalid(f.list) }

// parseDec parses a decimal field already checked by the "decimal" tag; a
// bad value is recorded rather than returned so conversion goes on.
func (f *fieldSet) parseDec(field, s string) decimal.Decimal {
	return f.parseDecAt(s, func() string { return field })
}

// parseDecAt is parseDec naming the field only when the value is bad.
func (f *fieldSet) parseDecAt(s string, field func() string) decimal.Decimal {
	d, ok := plainDecimal(s)
	if !ok {
		f.add(tfpricing.FieldError{Field: field(), Code: "decimal", Message: "must be a decimal string such as \"88.5\""})
		return decimal.Zero
	}
	return d
}

func toKPIs(f *fieldSet, in []kpiDTO) []catalog.KPI {
	out := make([]catalog.KPI, 0, len(in))
	for i, k := range in {
		// The paths are written only for a bad value (fmt.Sprintf per
		// target was 3 % of an eligibility request).
		kpi := catalog.KPI{MetricID: k.MetricID, Name: k.Name, Unit: k.Unit, Direction: catalog.Direction(k.Direction)}
		if k.Baseline != nil {
			kpi.Baseline = catalog.Observation{Year: k.Baseline.Year, Value: f.parseDecAt(k.Baseline.Value, func() string {
				return fmt.Sprintf("kpis[%d].baseline.value", i)
			})}
		}
		kpi.Targets = make([]catalog.Observation, 0, len(k.Targets))
		for j, t := range k.Targets {
			kpi.Targets = append(kpi.Targets, catalog.Observation{Year: t.Year, Value: f.parseDecAt(t.Value, func() string {
				return fmt.Sprintf("kpis[%d].targets[%d].value", i, j)
			})})
		}
		out = append(out, kpi)
	}
	return out
}

func toBorrower(b *borrowerDTO) catalog.Borrower {
	if b == nil {
		return catalog.Borrower{}
	}
	return catalog.Borrower{
		Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
		JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity,
		NewCapacity: bool(b.NewCapacity),
	}
}

// toPlan converts the request to a validated plan, listing every bad field,
// with the KPIs resolved against the catalogue in force on as_of.
func (s *Server) toPlan(f *fieldSet, b catalog.Borrower, pathwayID string, kpis []kpiDTO, asOfRaw string) (catalog.Plan, *catalog.Catalogue, error) {
	// A refusal by a business rule (422: as_of after the business date, no
	// catalogue in force) waits until every field is checked: bad input is
	// reported first, and all of it.
	var refused error
	asOf, err := s.asOfParam(asOfRaw, "as_of")
	if err != nil {
		refused = f.addErr(err)
	}
	plan := catalog.Plan{Borrower: b, PathwayID: pathwayID, KPIs: toKPIs(f, kpis), AsOf: asOf}
	if err := f.addErr(plan.Validate()); err != nil {
		return plan, nil, err
	}
	if refused == nil && !asOf.IsZero() {
		cat, err := s.catalogueOn(asOf)
		if err != nil {
			refused = err
		} else {
			ind, covered := cat.IndustryFor(b.IndustryCode)
			if !covered {
				// An industry the catalogue does not cover fails rule 1 and the
				// rules that need a core KPI are skipped: the KPIs are not resolved
				// (metrics of other industries would ask for custom-KPI fields and
				// hide that answer behind a 400).
				return plan, cat, f.err()
			}
			resolved, err := cat.ResolveKPIs(ind, plan.KPIs)
			if err := f.addErr(err); err != nil {
				return plan, nil, err
			}
			plan.KPIs = resolved
			if len(f.list) == 0 {
				return plan, cat, nil
			}
		}
	}
	if len(f.list) > 0 || refused == nil {
		return plan, nil, f.err()
	}
	return plan, nil, refused
}

// checkJSON is one eligibility rule's outcome.
type checkJSON struct {
	Rule      string `json:"rule"`
	Status    string `json:"status"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
}

// assessmentJSON is the eligibility response (and a quote's eligibility).
type assessmentJSON struct {
	Eligible  bool                 `json:"eligible"`
	Tier      string               `json:"tier"`
	CoreKPI   *string              `json:"core_kpi"`
	AsOf      tfpricing.Date       `json:"as_of"`
	Catalogue catalogueRefJSON     `json:"catalogue"`
	Industry  *industrySummaryJSON `json:"industry"`
	Pathway   *pathwayJSON         `json:"pathway"`
	Checks    []checkJSON          `json:"checks"`
}

func toAssessmentJSON(a catalog.Assessment, asOf tfpricing.Date) assessmentJSON {
	out := assessmentJSON{
		Eligible: a.Eligible, Tier: string(a.Tier), AsOf: asOf, Catalogue: toRefJSON(a.Catalogue),
		Pathway: toPathwayJSON(a.Pathway), Checks: make([]checkJSON, 0, len(a.Checks)),
	}
	if a.CoreKPI != "" {
		core := a.CoreKPI
		out.CoreKPI = &core
	}
	if a.Industry != nil {
		out.Industry = &industrySummaryJSON{Code: a.Industry.Code, NameZh: a.Industry.NameZh, NameEn: a.Industry.NameEn}
	}
	for _, ch := range a.Checks {
		out.Checks = append(out.Checks, checkJSON{Rule: ch.Rule, Status: string(ch.Status), MessageZh: ch.MessageZh, MessageEn: ch.MessageEn})
	}
	return out
}

func (s *Server) postEligibility(c echo.Context) error {
	var req eligibilityRequest
	if err := s.decode(c, &req); err != nil {
		return err
	}
	var f fieldSet
	if !req.tagsPass() { // the validator words what is wrong
		if err := f.addErr(s.validateStruct(&req)); err != nil {
			return err
		}
	}
	plan, cat, err := s.toPlan(&f, toBorrower(req.Borrower), req.PathwayID, req.KPIs, req.AsOf)
	if err != nil {
		return err
	}
	return respondBody(c, http.StatusOK, assessmentBody(toAssessmentJSON(cat.Assess(plan), plan.AsOf)))
}
