package audit

import (
	"encoding/json"
	"maps"
	"slices"

	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// A recorded portfolio simulation (POST /v1/portfolio/simulations with
// record: true) is a decision of kind simulation, like a single-loan one:
// kept for the audit trail, not replayed. Its inputs name every loan it
// ran over with the decision that held the loan's schedule then, so the
// state it saw can be found in the chain; a draft policy is kept whole, in
// its canonical form.

type bookLoanRecord struct {
	Attestations int    `json:"attestations"`
	ID           string `json:"id"`
	Industry     string `json:"industry_code"`
	PolicyDigest string `json:"policy_digest"`
}

type bookProbRecord struct {
	MetricID    string `json:"metric_id"`
	Probability string `json:"p"`
	Year        int    `json:"year,omitempty"`
}

type bookCorrRecord struct {
	Industry string `json:"industry_code"`
	Rho      string `json:"rho"`
}

type bookScenarioRecord struct {
	Correlation        []bookCorrRecord `json:"correlation_by_industry"`
	DefaultCorrelation string           `json:"default_correlation"`
	DefaultProbability string           `json:"default_probability"`
	Draft              bool             `json:"draft"`
	LPRPath            []fixingRecordB  `json:"lpr_path"`
	Name               string           `json:"name"`
	Probabilities      []bookProbRecord `json:"probabilities"`
	ReportLagDays      int              `json:"report_lag_days,omitempty"`
}

type fixingRecordB struct {
	EffectiveDate string `json:"effective_date"`
	FiveYear      string `json:"five_year"`
	OneYear       string `json:"one_year"`
}

type bookSimInputs struct {
	AsOf        string               `json:"as_of"`
	DraftPolicy json.RawMessage      `json:"draft_policy,omitempty"`
	Loans       []bookLoanRecord     `json:"loans"`
	Runs        int                  `json:"runs"`
	Scenarios   []bookScenarioRecord `json:"scenarios"`
	Seed        uint64               `json:"seed"`
}

// EncodeBookSimulation returns the canonical inputs and outputs records of
// a portfolio simulation; outputs is the response body as given.
func EncodeBookSimulation(in pricing.BookSimulation, outputs any) (json.RawMessage, json.RawMessage, error) {
	rec := bookSimInputs{AsOf: in.AsOf.String(), Runs: in.Runs, Seed: in.Seed, Loans: []bookLoanRecord{},
		Scenarios: []bookScenarioRecord{}}
	if in.Draft != nil {
		rec.DraftPolicy = in.Draft.Canonical
	}
	for _, l := range in.Loans {
		rec.Loans = append(rec.Loans, bookLoanRecord{ID: l.LoanID, Industry: l.IndustryCode,
			PolicyDigest: l.Policy.Digest, Attestations: len(l.Attestations)})
	}
	for _, sc := range in.Scenarios {
		r := bookScenarioRecord{Name: sc.Name, DefaultProbability: pricing.NormalString(sc.DefaultProbability),
			DefaultCorrelation: pricing.NormalString(sc.DefaultCorrelation), Draft: sc.Draft,
			ReportLagDays: sc.ReportLagDays, Probabilities: []bookProbRecord{}, Correlation: []bookCorrRecord{},
			LPRPath: []fixingRecordB{}}
		for _, m := range slices.Sorted(maps.Keys(sc.Probabilities)) {
			for _, y := range slices.Sorted(maps.Keys(sc.Probabilities[m])) {
				r.Probabilities = append(r.Probabilities, bookProbRecord{MetricID: m, Year: y,
					Probability: pricing.NormalString(sc.Probabilities[m][y])})
			}
		}
		for _, ind := range slices.Sorted(maps.Keys(sc.Correlation)) {
			r.Correlation = append(r.Correlation, bookCorrRecord{Industry: ind, Rho: pricing.NormalString(sc.Correlation[ind])})
		}
		for _, f := range sc.AssumedFixings {
			r.LPRPath = append(r.LPRPath, fixingRecordB{EffectiveDate: f.EffectiveDate.String(),
				OneYear: pricing.NormalString(f.OneYear), FiveYear: pricing.NormalString(f.FiveYear)})
		}
		rec.Scenarios = append(rec.Scenarios, r)
	}
	inputs, err := canon.Marshal(rec)
	if err != nil {
		return nil, nil, err
	}
	out, err := canon.Marshal(outputs)
	return inputs, out, err
}
