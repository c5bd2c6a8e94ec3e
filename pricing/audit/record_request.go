package audit

import (
	"encoding/json"
	"fmt"
)

// Requests as clients sent them, kept as records of their own: the quote
// request a stored quote keeps (booking converts it again) and the body of
// a recorded simulation, which its decision hashes. Every value is the
// text the client wrote (decimals and dates as strings), and the keys are
// spelled here, so renaming a transport field or tag cannot change a
// stored byte or a decision hash. Fields are declared in the order the
// service has always written them (a stored quote's request is kept as
// written, not canonicalised).

// QuoteRequest is a quote request: a quote's body, a simulation's quote, a
// booking's full terms.
type QuoteRequest struct {
	Borrower  *RequestBorrower `json:"borrower"`
	PathwayID string           `json:"pathway_id"`
	KPIs      []RequestKPI     `json:"kpis"`
	Facility  *RequestFacility `json:"facility"`
	AsOf      string           `json:"as_of"`
}

// RequestBorrower is a quote request's borrower.
type RequestBorrower struct {
	Name                  string `json:"name"`
	USCC                  string `json:"uscc"`
	IndustryCode          string `json:"industry_code"`
	JustTransitionScore   *int   `json:"just_transition_score"`
	ObsoleteCapacity      bool   `json:"obsolete_capacity"`
	NewCapacity           bool   `json:"new_capacity"`
	CreditRating          string `json:"credit_rating"`
	ESGScore              *int   `json:"esg_score"`
	CarbonEfficiencyGrade *int   `json:"carbon_efficiency_grade"`
}

// RequestKPI is one KPI of a request's plan.
type RequestKPI struct {
	MetricID   string               `json:"metric_id"`
	Name       string               `json:"name"`
	Unit       string               `json:"unit"`
	Direction  string               `json:"direction"`
	Baseline   *RequestObservation  `json:"baseline"`
	Targets    []RequestObservation `json:"targets"`
	StepDownBp *string              `json:"step_down_bp"`
	StepUpBp   *string              `json:"step_up_bp"`
}

// RequestObservation is a KPI baseline or target as requested.
type RequestObservation struct {
	Year  int    `json:"year"`
	Value string `json:"value"`
}

// RequestFacility is a request's facility.
type RequestFacility struct {
	Amount           string          `json:"amount"`
	Currency         string          `json:"currency"`
	StartDate        string          `json:"start_date"`
	TenorMonths      int             `json:"tenor_months"`
	Repayment        string          `json:"repayment"`
	PaymentFrequency string          `json:"payment_frequency"`
	Subsidy          *RequestSubsidy `json:"subsidy"`
}

// RequestSubsidy is a facility's interest subsidy as requested.
type RequestSubsidy struct {
	RateBp  string `json:"rate_bp"`
	EndDate string `json:"end_date"`
}

// EncodeQuoteRequest is the stored form of a quote request.
func EncodeQuoteRequest(q QuoteRequest) ([]byte, error) { return json.Marshal(q) }

// DecodeQuoteRequest reads a stored quote request.
func DecodeQuoteRequest(b []byte) (QuoteRequest, error) {
	var q QuoteRequest
	if err := json.Unmarshal(b, &q); err != nil {
		return QuoteRequest{}, fmt.Errorf("stored quote request: %w", err)
	}
	return q, nil
}

// SimulationRequest is the body of a simulation, its quote's as_of filled
// in: a simulation decision's inputs.
type SimulationRequest struct {
	Quote     *QuoteRequest `json:"quote"`
	Scenarios []SimScenario `json:"scenarios"`
	Record    bool          `json:"record"`
}

// SimScenario is one requested scenario.
type SimScenario struct {
	Name          string                       `json:"name"`
	Outcomes      map[string]map[string]string `json:"outcomes"`
	KPIValues     map[string]map[string]string `json:"kpi_values"`
	LPRPath       []SimFixing                  `json:"lpr_path"`
	ReportLagDays *int                         `json:"report_lag_days"`
	Projection    string                       `json:"projection"`
	MonteCarlo    *SimMonteCarlo               `json:"monte_carlo"`
}

// SimFixing is an assumed LPR fixing of a scenario.
type SimFixing struct {
	EffectiveDate string `json:"effective_date"`
	OneYear       string `json:"one_year"`
	FiveYear      string `json:"five_year"`
}

// SimMonteCarlo is a Monte Carlo scenario's parameters.
type SimMonteCarlo struct {
	Runs int                  `json:"runs"`
	Seed *uint64              `json:"seed"`
	KPIs map[string]SimGrowth `json:"kpis"`
}

// SimGrowth is a KPI's assumed annual change.
type SimGrowth struct {
	Mean string `json:"annual_change_pct_mean"`
	SD   string `json:"annual_change_pct_sd"`
}
