package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"tfpricing/pricing"
)

// defaultDueWithinDays is the SPT deadline window when none is asked for.
const defaultDueWithinDays = 90

// getPortfolio answers GET /v1/portfolio: the book as a whole on as_of
// (loanbook.Service.Portfolio).
func (s *Server) getPortfolio(c echo.Context) error {
	asOf, err := s.asOfParam(c.QueryParam("as_of"), "as_of")
	if err != nil {
		return err
	}
	days := defaultDueWithinDays
	if raw := c.QueryParam("due_within_days"); raw != "" {
		n, perr := strconv.Atoi(raw)
		if perr != nil || n < 0 || n > 3660 {
			return fieldErr("due_within_days", "range", "must be an integer from 0 to 3660")
		}
		days = n
	}
	year := asOf.Year() - 1
	if raw := c.QueryParam("emissions_year"); raw != "" {
		n, perr := strconv.Atoi(raw)
		if perr != nil || n < 2000 || n > 2100 {
			return fieldErr("emissions_year", "range", "must be a year from 2000 to 2100")
		}
		year = n
	}
	p, err := s.book.Portfolio(c.Request().Context(), pricing.PortfolioOptions{AsOf: asOf, DueWithinDays: days, EmissionsYear: year})
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, toPortfolioJSON(p))
}

type groupJSON struct {
	Key         string `json:"key"`
	Loans       int    `json:"loans"`
	Outstanding string `json:"outstanding"`
}

type kpiYearJSON struct {
	Year        int `json:"year"`
	Met         int `json:"met"`
	Missed      int `json:"missed"`
	Pending     int `json:"pending"`
	NotReported int `json:"not_reported"`
	Late        int `json:"late"`
	Corrected   int `json:"corrected"`
}

type deadlineJSON struct {
	DueDate  string   `json:"due_date"`
	MetricID string   `json:"metric_id"`
	Year     int      `json:"year"`
	LoanIDs  []string `json:"loan_ids"`
}

type incomeJSON struct {
	Next12Months string `json:"next_12_months"`
	ToMaturity   string `json:"to_maturity"`
}

type portfolioJSON struct {
	AsOf          string                `json:"as_of"`
	DueWithinDays int                   `json:"due_within_days"`
	Loans         int                   `json:"loans"`
	MaturedLoans  int                   `json:"matured_loans"`
	Outstanding   string                `json:"outstanding"`
	ByIndustry    []groupJSON           `json:"by_industry"`
	ByPathway     []groupJSON           `json:"by_pathway"`
	ByTier        []groupJSON           `json:"by_tier"`
	ByRating      []groupJSON           `json:"by_rating"`
	ByPolicy      []groupJSON           `json:"by_policy_version"`
	KPIStatus     []kpiYearJSON         `json:"kpi_status"`
	WeightedRate  string                `json:"weighted_all_in_rate"`
	WeightedBp    string                `json:"weighted_ratchet_adjustment_bp"`
	Rounding      string                `json:"rounding"`
	Deadlines     []deadlineJSON        `json:"deadlines"`
	Income        map[string]incomeJSON `json:"projected_interest"`
	Emissions     financedJSON          `json:"financed_emissions"`
}

type emissionsGroupJSON struct {
	IndustryCode        string `json:"industry_code,omitempty"`
	Loans               int    `json:"loans"`
	LoansMissingData    int    `json:"loans_missing_data"`
	AttributedTCO2e     string `json:"attributed_tco2e"`
	OutstandingWithData string `json:"outstanding_with_data"`
	IntensityPerWan     string `json:"tco2e_per_10k_cny"`
	PCAFDataQuality     string `json:"pcaf_data_quality"`
}

type financedJSON struct {
	Year       int                  `json:"year"`
	Book       emissionsGroupJSON   `json:"book"`
	ByIndustry []emissionsGroupJSON `json:"by_industry"`
}

func toEmissionsGroupJSON(f pricing.FinancedEmissions) emissionsGroupJSON {
	return emissionsGroupJSON{IndustryCode: f.IndustryCode, Loans: f.Loans, LoansMissingData: f.Missing,
		AttributedTCO2e: f.Attributed.StringFixed(3), OutstandingWithData: f.OutstandingWithData.StringFixed(2),
		IntensityPerWan: f.Intensity.StringFixed(6), PCAFDataQuality: f.DataQuality.StringFixed(2)}
}

const portfolioRounding = "weights are principal outstanding on as_of; each average is rounded once, half away from zero: the all-in rate to 4 decimals, the ratchet adjustment to 2"

func toGroupsJSON(gs []pricing.Group) []groupJSON {
	out := make([]groupJSON, 0, len(gs))
	for _, g := range gs {
		out = append(out, groupJSON{Key: g.Key, Loans: g.Loans, Outstanding: g.Outstanding.StringFixed(2)})
	}
	return out
}

func toPortfolioJSON(p pricing.Portfolio) portfolioJSON {
	out := portfolioJSON{AsOf: p.AsOf.String(), DueWithinDays: p.DueWithinDays, Loans: p.Loans, MaturedLoans: p.Matured,
		Outstanding: p.Outstanding.StringFixed(2), ByIndustry: toGroupsJSON(p.ByIndustry),
		ByPathway: toGroupsJSON(p.ByPathway), ByTier: toGroupsJSON(p.ByTier), ByRating: toGroupsJSON(p.ByRating),
		ByPolicy: toGroupsJSON(p.ByPolicy), KPIStatus: []kpiYearJSON{}, Deadlines: []deadlineJSON{},
		WeightedRate: p.WeightedRate.StringFixed(4), WeightedBp: p.WeightedRatchetBp.StringFixed(2),
		Rounding: portfolioRounding, Income: map[string]incomeJSON{}}
	out.Emissions = financedJSON{Year: p.EmissionsYear, Book: toEmissionsGroupJSON(p.Emissions), ByIndustry: []emissionsGroupJSON{}}
	for _, g := range p.EmissionsBy {
		out.Emissions.ByIndustry = append(out.Emissions.ByIndustry, toEmissionsGroupJSON(g))
	}
	for _, y := range p.KPIStatus {
		out.KPIStatus = append(out.KPIStatus, kpiYearJSON{Year: y.Year, Met: y.Met, Missed: y.Missed, Pending: y.Pending,
			NotReported: y.NotReported, Late: y.Late, Corrected: y.Corrected})
	}
	for _, d := range p.Deadlines {
		out.Deadlines = append(out.Deadlines, deadlineJSON{DueDate: d.DueDate.String(), MetricID: d.MetricID,
			Year: d.Year, LoanIDs: d.LoanIDs})
	}
	for _, pr := range []pricing.Projection{pricing.Current, pricing.AllMet, pricing.NoneMet} {
		in := p.Income[pr]
		out.Income[string(pr)] = incomeJSON{Next12Months: in.Next12Months.StringFixed(2), ToMaturity: in.ToMaturity.StringFixed(2)}
	}
	return out
}
