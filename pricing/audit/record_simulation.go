package audit

import (
	"encoding/json"

	"tfpricing"
)

// SimulationOutputs are a recorded simulation's outputs: the response it
// gave, without the decision id, as a record of this package (see
// record_request.go).
type SimulationOutputs struct {
	AsOf      tfpricing.Date `json:"as_of"`
	Policy    SimPolicyRef   `json:"policy"`
	Catalogue SimCatalogue   `json:"catalogue"`
	Baseline  SimBaseline    `json:"baseline"`
	// Scenarios holds *SimDeterministic and *SimMonteCarloResult values in
	// request order; kind tells them apart.
	Scenarios []any `json:"scenarios"`
}

// SimPolicyRef names the policy a simulation priced under.
type SimPolicyRef struct {
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// SimCatalogue names the catalogue version of a simulation's quote.
type SimCatalogue struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// SimBaseline is what a simulation's scenarios are compared with.
type SimBaseline struct {
	Name        string `json:"name"`
	Source      string `json:"source"`
	NetInterest string `json:"net_interest"`
}

// SimDeterministic is a deterministic scenario's result.
type SimDeterministic struct {
	Name                 string                       `json:"name"`
	Kind                 string                       `json:"kind"`
	TotalInterest        string                       `json:"total_interest"`
	TotalSubsidy         string                       `json:"total_subsidy"`
	NetInterest          string                       `json:"net_interest"`
	DifferenceVsBaseline string                       `json:"difference_vs_baseline"`
	Outcomes             map[string]map[string]string `json:"outcomes"`
	Schedule             []SimLine                    `json:"schedule"`
}

// SimLine is one period of a scenario's schedule.
type SimLine struct {
	Period           int            `json:"period"`
	Start            tfpricing.Date `json:"start"`
	End              tfpricing.Date `json:"end"`
	Days             int            `json:"days"`
	BenchmarkRate    string         `json:"benchmark_rate"`
	AdjustmentBp     string         `json:"adjustment_bp"`
	Rate             string         `json:"rate"`
	OpeningPrincipal string         `json:"opening_principal"`
	Principal        string         `json:"principal"`
	Interest         string         `json:"interest"`
	Subsidy          string         `json:"subsidy"`
	NetInterest      string         `json:"net_interest"`
	ClosingPrincipal string         `json:"closing_principal"`
}

// SimMonteCarloResult is a Monte Carlo scenario's result.
type SimMonteCarloResult struct {
	Name              string                       `json:"name"`
	Kind              string                       `json:"kind"`
	Runs              int                          `json:"runs"`
	Seed              uint64                       `json:"seed"`
	TotalInterest     SimStats                     `json:"total_interest"`
	LastRate          SimStats                     `json:"last_rate"`
	SPTMetProbability map[string]map[string]string `json:"spt_met_probability"`
	AllMetShare       string                       `json:"all_met_share"`
}

// SimStats summarises a Monte Carlo distribution.
type SimStats struct {
	Mean string `json:"mean"`
	P5   string `json:"p5"`
	P50  string `json:"p50"`
	P95  string `json:"p95"`
}

// EncodeSimulation returns a simulation decision's inputs and outputs
// (canonicalised when the decision is sealed).
func EncodeSimulation(in SimulationRequest, out SimulationOutputs) (inputs, outputs json.RawMessage, err error) {
	if inputs, err = json.Marshal(in); err != nil {
		return nil, nil, err
	}
	outputs, err = json.Marshal(out)
	return inputs, outputs, err
}
