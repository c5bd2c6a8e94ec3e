package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/catalog"
)

// catalogueRefJSON identifies the catalogue version a response used.
type catalogueRefJSON struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

type industrySummaryJSON struct {
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
}

type metricJSON struct {
	ID             string `json:"id"`
	NameZh         string `json:"name_zh"`
	NameEn         string `json:"name_en"`
	Unit           string `json:"unit"`
	Direction      string `json:"direction"`
	BenchmarkLevel string `json:"benchmark_level"`
	BaselineLevel  string `json:"baseline_level"`
	Source         string `json:"source"`
	Illustrative   bool   `json:"illustrative"`
}

type pathwayJSON struct {
	ID                string   `json:"id"`
	NameZh            string   `json:"name_zh"`
	NameEn            string   `json:"name_en"`
	Kind              string   `json:"kind"`
	Metrics           []string `json:"metrics"`
	MinImprovementPct string   `json:"min_improvement_pct"`
}

type industryJSON struct {
	Code                   string           `json:"code"`
	NameZh                 string           `json:"name_zh"`
	NameEn                 string           `json:"name_en"`
	JustTransitionRequired bool             `json:"just_transition_required"`
	Pathways               []pathwayJSON    `json:"pathways"`
	Metrics                []metricJSON     `json:"metrics"`
	Catalogue              catalogueRefJSON `json:"catalogue"`
}

type catalogueJSON struct {
	ID                      string                `json:"id"`
	Version                 string                `json:"version"`
	TitleZh                 string                `json:"title_zh"`
	TitleEn                 string                `json:"title_en,omitempty"`
	EffectiveFrom           tfpricing.Date        `json:"effective_from"`
	EffectiveTo             *tfpricing.Date       `json:"effective_to"`
	MaxYearsToBaselineLevel int                   `json:"max_years_to_baseline_level"`
	MinJustTransitionScore  int                   `json:"min_just_transition_score"`
	Digest                  string                `json:"digest"`
	Metrics                 []metricJSON          `json:"metrics"`
	Industries              []industrySummaryJSON `json:"industries"`
}

func toRefJSON(r catalog.Ref) catalogueRefJSON {
	return catalogueRefJSON{ID: r.ID, Version: r.Version, Digest: r.Digest}
}

func toMetricsJSON(ms []catalog.Metric) []metricJSON {
	out := make([]metricJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, metricJSON{
			ID: m.ID, NameZh: m.NameZh, NameEn: m.NameEn, Unit: m.Unit, Direction: string(m.Direction),
			BenchmarkLevel: m.BenchmarkLevel.String(), BaselineLevel: m.BaselineLevel.String(),
			Source: m.Source, Illustrative: m.Illustrative,
		})
	}
	return out
}

func toPathwayJSON(p *catalog.Pathway) *pathwayJSON {
	if p == nil {
		return nil
	}
	return &pathwayJSON{
		ID: p.ID, NameZh: p.NameZh, NameEn: p.NameEn, Kind: p.Kind,
		Metrics: append([]string{}, p.Metrics...), MinImprovementPct: p.MinImprovementPct.String(),
	}
}

func toCatalogueJSON(c *catalog.Catalogue) catalogueJSON {
	out := catalogueJSON{
		ID: c.ID, Version: c.Version, TitleZh: c.TitleZh, TitleEn: c.TitleEn,
		EffectiveFrom: c.EffectiveFrom, MaxYearsToBaselineLevel: c.MaxYearsToBaselineLevel,
		MinJustTransitionScore: c.MinJustTransitionScore, Digest: c.Digest,
		Metrics: toMetricsJSON(c.Metrics), Industries: make([]industrySummaryJSON, 0, len(c.Industries)),
	}
	if !c.EffectiveTo.IsZero() {
		to := c.EffectiveTo
		out.EffectiveTo = &to
	}
	for _, ind := range c.Industries {
		out.Industries = append(out.Industries, industrySummaryJSON{Code: ind.Code, NameZh: ind.NameZh, NameEn: ind.NameEn})
	}
	return out
}

// catalogueAsOf returns the catalogue version in force on the request's
// as_of query parameter (default: the business date).
func (s *Server) catalogueAsOf(c echo.Context) (*catalog.Catalogue, error) {
	asOf, err := s.asOfParam(c.QueryParam("as_of"), "as_of")
	if err != nil {
		return nil, err
	}
	return s.catalogueOn(asOf)
}

func (s *Server) catalogueOn(d tfpricing.Date) (*catalog.Catalogue, error) {
	cat, ok := s.cats.InForce(d)
	if !ok {
		return nil, tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "no catalogue version is in force on %s", d)
	}
	return cat, nil
}

func (s *Server) getCatalogue(c echo.Context) error {
	cat, err := s.catalogueAsOf(c)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, toCatalogueJSON(cat))
}

type catalogueVersionJSON struct {
	ID            string          `json:"id"`
	Version       string          `json:"version"`
	TitleZh       string          `json:"title_zh"`
	EffectiveFrom tfpricing.Date  `json:"effective_from"`
	EffectiveTo   *tfpricing.Date `json:"effective_to"`
	Digest        string          `json:"digest"`
	InForce       bool            `json:"in_force"`
}

func (s *Server) getCatalogueVersions(c echo.Context) error {
	current, _ := s.cats.InForce(s.today())
	items := []catalogueVersionJSON{}
	for _, v := range s.cats.Versions() {
		item := catalogueVersionJSON{
			ID: v.ID, Version: v.Version, TitleZh: v.TitleZh, EffectiveFrom: v.EffectiveFrom,
			Digest: v.Digest, InForce: current != nil && current.Digest == v.Digest,
		}
		if !v.EffectiveTo.IsZero() {
			to := v.EffectiveTo
			item.EffectiveTo = &to
		}
		items = append(items, item)
	}
	return respond(c, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) getIndustry(c echo.Context) error {
	cat, err := s.catalogueAsOf(c)
	if err != nil {
		return err
	}
	code := c.Param("code")
	ind, ok := cat.IndustryFor(code)
	if !ok {
		return tfpricing.Errorf(tfpricing.ENOTFOUND, "no catalogue industry covers %q in %s %s", code, cat.ID, cat.Version)
	}
	out := industryJSON{
		Code: ind.Code, NameZh: ind.NameZh, NameEn: ind.NameEn, JustTransitionRequired: ind.JustTransitionRequired,
		Metrics: toMetricsJSON(ind.Metrics), Pathways: make([]pathwayJSON, 0, len(ind.Pathways)),
		Catalogue: toRefJSON(cat.Ref()),
	}
	for i := range ind.Pathways {
		out.Pathways = append(out.Pathways, *toPathwayJSON(&ind.Pathways[i]))
	}
	return respond(c, http.StatusOK, out)
}

// asOfParam parses an optional as_of date: default the business date, never
// later than it.
func (s *Server) asOfParam(raw, field string) (tfpricing.Date, error) {
	today := s.today()
	if raw == "" {
		return today, nil
	}
	d, err := tfpricing.ParseDate(raw)
	if err != nil {
		return tfpricing.Date{}, fieldErr(field, "date", dateMessage(field, raw))
	}
	if d.After(today) {
		return tfpricing.Date{}, &tfpricing.Error{
			Code: tfpricing.EUNPROCESSABLE, Message: "as_of may not be later than the business date " + today.String(),
			Fields: []tfpricing.FieldError{{Field: field, Code: "after_business_date", Message: "may not be later than " + today.String()}},
		}
	}
	return d, nil
}
