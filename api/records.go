package api

import (
	"tfpricing/pricing/audit"
)

// Conversions between the transport's request and response types and the
// audit package's records of them (audit/record_request.go): what is
// stored or hashed is the record, so renaming a DTO's field or JSON tag
// changes no stored byte and no decision hash.

func toQuoteRecord(r *quoteRequest) audit.QuoteRequest {
	out := audit.QuoteRequest{PathwayID: r.PathwayID, AsOf: r.AsOf}
	if b := r.Borrower; b != nil {
		out.Borrower = &audit.RequestBorrower{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
			JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: bool(b.NewCapacity),
			CreditRating: b.CreditRating, ESGScore: b.ESGScore, CarbonEfficiencyGrade: b.CarbonEfficiencyGrade}
	}
	if r.KPIs != nil {
		out.KPIs = make([]audit.RequestKPI, len(r.KPIs))
	}
	for i, k := range r.KPIs {
		rk := audit.RequestKPI{MetricID: k.MetricID, Name: k.Name, Unit: k.Unit, Direction: k.Direction,
			StepDownBp: k.StepDownBp, StepUpBp: k.StepUpBp}
		if k.Baseline != nil {
			rk.Baseline = &audit.RequestObservation{Year: k.Baseline.Year, Value: k.Baseline.Value}
		}
		if k.Targets != nil {
			rk.Targets = make([]audit.RequestObservation, len(k.Targets))
		}
		for j, o := range k.Targets {
			rk.Targets[j] = audit.RequestObservation{Year: o.Year, Value: o.Value}
		}
		out.KPIs[i] = rk
	}
	if f := r.Facility; f != nil {
		out.Facility = &audit.RequestFacility{Amount: f.Amount, Currency: f.Currency, StartDate: f.StartDate,
			TenorMonths: f.TenorMonths, Repayment: f.Repayment, PaymentFrequency: f.PaymentFrequency}
		if s := f.Subsidy; s != nil {
			out.Facility.Subsidy = &audit.RequestSubsidy{RateBp: s.RateBp, EndDate: s.EndDate}
		}
	}
	return out
}

func fromQuoteRecord(r audit.QuoteRequest) quoteRequest {
	out := quoteRequest{PathwayID: r.PathwayID, AsOf: r.AsOf}
	if b := r.Borrower; b != nil {
		out.Borrower = &quoteBorrowerDTO{Name: b.Name, USCC: b.USCC, IndustryCode: b.IndustryCode,
			JustTransitionScore: b.JustTransitionScore, ObsoleteCapacity: b.ObsoleteCapacity, NewCapacity: strictBool(b.NewCapacity),
			CreditRating: b.CreditRating, ESGScore: b.ESGScore, CarbonEfficiencyGrade: b.CarbonEfficiencyGrade}
	}
	if r.KPIs != nil {
		out.KPIs = make([]kpiDTO, len(r.KPIs))
	}
	for i, k := range r.KPIs {
		dk := kpiDTO{MetricID: k.MetricID, Name: k.Name, Unit: k.Unit, Direction: k.Direction,
			StepDownBp: k.StepDownBp, StepUpBp: k.StepUpBp}
		if k.Baseline != nil {
			dk.Baseline = &observationDTO{Year: k.Baseline.Year, Value: k.Baseline.Value}
		}
		if k.Targets != nil {
			dk.Targets = make([]observationDTO, len(k.Targets))
		}
		for j, o := range k.Targets {
			dk.Targets[j] = observationDTO{Year: o.Year, Value: o.Value}
		}
		out.KPIs[i] = dk
	}
	if f := r.Facility; f != nil {
		out.Facility = &facilityDTO{Amount: f.Amount, Currency: f.Currency, StartDate: f.StartDate,
			TenorMonths: f.TenorMonths, Repayment: f.Repayment, PaymentFrequency: f.PaymentFrequency}
		if s := f.Subsidy; s != nil {
			out.Facility.Subsidy = &subsidyDTO{RateBp: s.RateBp, EndDate: s.EndDate}
		}
	}
	return out
}

func toSimulationRecord(r *simulationRequest) audit.SimulationRequest {
	out := audit.SimulationRequest{Record: r.Record}
	if r.Quote != nil {
		q := toQuoteRecord(r.Quote)
		out.Quote = &q
	}
	if r.Scenarios != nil {
		out.Scenarios = make([]audit.SimScenario, len(r.Scenarios))
	}
	for i, sc := range r.Scenarios {
		rs := audit.SimScenario{Name: sc.Name, Outcomes: sc.Outcomes, KPIValues: sc.KPIValues,
			ReportLagDays: sc.ReportLagDays, Projection: sc.Projection}
		if sc.LPRPath != nil {
			rs.LPRPath = make([]audit.SimFixing, len(sc.LPRPath))
		}
		for j, f := range sc.LPRPath {
			rs.LPRPath[j] = audit.SimFixing{EffectiveDate: f.EffectiveDate, OneYear: f.OneYear, FiveYear: f.FiveYear}
		}
		if mc := sc.MonteCarlo; mc != nil {
			rs.MonteCarlo = &audit.SimMonteCarlo{Runs: mc.Runs, Seed: mc.Seed}
			if mc.KPIs != nil {
				rs.MonteCarlo.KPIs = make(map[string]audit.SimGrowth, len(mc.KPIs))
			}
			for k, g := range mc.KPIs {
				rs.MonteCarlo.KPIs[k] = audit.SimGrowth{Mean: g.Mean, SD: g.SD}
			}
		}
		out.Scenarios[i] = rs
	}
	return out
}

func toSimulationOutputs(s simulationJSON) audit.SimulationOutputs {
	out := audit.SimulationOutputs{AsOf: s.AsOf,
		Policy:    audit.SimPolicyRef{Version: s.Policy.Version, Digest: s.Policy.Digest},
		Catalogue: audit.SimCatalogue{ID: s.Catalogue.ID, Version: s.Catalogue.Version, Digest: s.Catalogue.Digest},
		Baseline:  audit.SimBaseline{Name: s.Baseline.Name, Source: s.Baseline.Source, NetInterest: s.Baseline.NetInterest},
	}
	if s.Scenarios != nil {
		out.Scenarios = make([]any, len(s.Scenarios))
	}
	for i, sc := range s.Scenarios {
		switch sc := sc.(type) {
		case simDeterministicJSON:
			d := &audit.SimDeterministic{Name: sc.Name, Kind: sc.Kind, TotalInterest: sc.TotalInterest,
				TotalSubsidy: sc.TotalSubsidy, NetInterest: sc.NetInterest, DifferenceVsBaseline: sc.DifferenceVsBaseline,
				Outcomes: sc.Outcomes}
			if sc.Schedule != nil {
				d.Schedule = make([]audit.SimLine, len(sc.Schedule))
			}
			for j, l := range sc.Schedule {
				d.Schedule[j] = audit.SimLine(l)
			}
			out.Scenarios[i] = d
		case simMonteCarloJSON:
			out.Scenarios[i] = &audit.SimMonteCarloResult{Name: sc.Name, Kind: sc.Kind, Runs: sc.Runs, Seed: sc.Seed,
				TotalInterest: audit.SimStats(sc.TotalInterest), LastRate: audit.SimStats(sc.LastRate),
				SPTMetProbability: sc.SPTMetProbability, AllMetShare: sc.AllMetShare}
		}
	}
	return out
}
