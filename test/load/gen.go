package main

import (
	"fmt"
)

// The generator builds realistic, eligible transition plans from the
// catalogue the server itself serves (GET /v1/catalogue and
// /v1/catalogue/industries/{code}), so it follows catalogue changes without
// edits here.

type metricDef struct {
	ID             string `json:"id"`
	Unit           string `json:"unit"`
	Direction      string `json:"direction"`
	BenchmarkLevel string `json:"benchmark_level"`
	BaselineLevel  string `json:"baseline_level"`
}

type pathwayDef struct {
	ID                string   `json:"id"`
	Metrics           []string `json:"metrics"`
	MinImprovementPct string   `json:"min_improvement_pct"`
}

type industryDef struct {
	Code                   string       `json:"code"`
	JustTransitionRequired bool         `json:"just_transition_required"`
	Pathways               []pathwayDef `json:"pathways"`
	Metrics                []metricDef  `json:"metrics"`
}

type catalogueDef struct {
	Metrics []metricDef `json:"metrics"`
}

// segment is a slice of the portfolio: a catalogue industry, the borrower
// industry codes that fall into it, and its weight in the mix.
type segment struct {
	industry  string
	borrowers []string
	weight    int
	ind       industryDef
}

// portfolioMix is the Huzhou mix the generator draws from: chemical fibre
// (C28), printing and dyeing (C1713 cotton, C1752 synthetic), other textiles
// (C17), paper (C22) and non-metallic minerals — cement and flat glass (C30).
var portfolioMix = []segment{
	{industry: "C28", borrowers: []string{"C2822", "C2821", "C2829", "C2826"}, weight: 35},
	{industry: "C1713", borrowers: []string{"C1713"}, weight: 13},
	{industry: "C1752", borrowers: []string{"C1752"}, weight: 12},
	{industry: "C17", borrowers: []string{"C1711", "C1751", "C1762"}, weight: 5},
	{industry: "C22", borrowers: []string{"C2221", "C2222", "C2211"}, weight: 15},
	{industry: "C30", borrowers: []string{"C3011", "C3041"}, weight: 20},
}

type generator struct {
	segs    []segment
	metrics map[string]metricDef
	total   int
}

func newGenerator(c *client) (*generator, error) {
	g := &generator{metrics: map[string]metricDef{}}
	var cat catalogueDef
	if err := c.getJSON("/v1/catalogue", "officer", &cat); err != nil {
		return nil, fmt.Errorf("reading the catalogue: %w", err)
	}
	for _, m := range cat.Metrics {
		g.metrics[m.ID] = m
	}
	for _, s := range portfolioMix {
		var ind industryDef
		if err := c.getJSON("/v1/catalogue/industries/"+s.industry, "officer", &ind); err != nil {
			return nil, fmt.Errorf("reading industry %s: %w", s.industry, err)
		}
		for _, m := range ind.Metrics {
			g.metrics[m.ID] = m
		}
		if len(ind.Pathways) == 0 {
			return nil, fmt.Errorf("industry %s has no pathways", s.industry)
		}
		s.ind = ind
		g.segs = append(g.segs, s)
		g.total += s.weight
	}
	return g, nil
}

// JSON bodies. Field names follow api/quotes_dto.go and api/eligibility.go.
type obsBody struct {
	Year  int    `json:"year"`
	Value string `json:"value"`
}

type kpiBody struct {
	MetricID string    `json:"metric_id"`
	Baseline obsBody   `json:"baseline"`
	Targets  []obsBody `json:"targets"`
}

type borrowerBody struct {
	Name                  string `json:"name"`
	USCC                  string `json:"uscc"`
	IndustryCode          string `json:"industry_code"`
	JustTransitionScore   *int   `json:"just_transition_score,omitempty"`
	ObsoleteCapacity      bool   `json:"obsolete_capacity"`
	CreditRating          string `json:"credit_rating,omitempty"`
	ESGScore              *int   `json:"esg_score,omitempty"`
	CarbonEfficiencyGrade *int   `json:"carbon_efficiency_grade,omitempty"`
}

type subsidyBody struct {
	RateBp  string `json:"rate_bp"`
	EndDate string `json:"end_date"`
}

type facilityBody struct {
	Amount           string       `json:"amount"`
	Currency         string       `json:"currency"`
	StartDate        string       `json:"start_date"`
	TenorMonths      int          `json:"tenor_months"`
	Repayment        string       `json:"repayment"`
	PaymentFrequency string       `json:"payment_frequency"`
	Subsidy          *subsidyBody `json:"subsidy,omitempty"`
}

// quoteBody is a quote request; without Facility and the pricing fields of
// the borrower it is an eligibility request.
type quoteBody struct {
	Borrower  borrowerBody  `json:"borrower"`
	PathwayID string        `json:"pathway_id"`
	KPIs      []kpiBody     `json:"kpis"`
	Facility  *facilityBody `json:"facility,omitempty"`
	AsOf      string        `json:"as_of,omitempty"`
}

// loanSpec is what the tool remembers of a booked loan to attest on it.
type loanSpec struct {
	ID      string
	Metrics []string
	Targets []string // the first target (year baseYear+1) of each KPI
}

var ratings = []string{"AAA", "AA+", "AA+", "AA", "AA", "AA", "AA-", "AA-", "A+", "A+", "A", "A-", "BBB+", "BBB"}
var cityCodes = []string{"330502", "330503", "330521", "330522", "330523"} // 湖州: 吴兴, 南浔, 德清, 长兴, 安吉
var nameParts = []string{"湖州", "南浔", "德清", "长兴", "安吉", "吴兴", "织里", "练市", "双林", "菱湖"}
