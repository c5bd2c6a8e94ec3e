package audit

// A quote decision's inputs written by hand: canon.Marshal's bytes of the
// quoteInputsRecord (record_append.go's conventions: members in declared,
// sorted order, omitempty as tagged, a nil slice as null, strings as
// encoding/json writes them). TestAppendMatchesMarshal fills these records
// at random and compares.

func (rec *quoteInputsRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.optStr("as_of", rec.AsOf)
	o.key("plan")
	o.b = rec.Plan.appendJSON(o.b)
	o.key("terms")
	o.b = rec.Terms.appendJSON(o.b)
	return o.close()
}

func (rec *planRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.optStr("as_of", rec.AsOf)
	o.key("borrower")
	o.b = rec.Borrower.appendJSON(o.b)
	o.key("kpis")
	o.b = appendList(o.b, rec.KPIs, (*kpiRecord).appendJSON)
	o.str("pathway_id", rec.PathwayID)
	o.version(rec.docVersion)
	return o.close()
}

func (rec *borrowerRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("industry_code", rec.IndustryCode)
	if rec.JustTransitionScore != nil {
		o.integer("just_transition_score", int64(*rec.JustTransitionScore))
	}
	o.str("name", rec.Name)
	if rec.NewCapacity {
		o.boolean("new_capacity", true)
	}
	o.boolean("obsolete_capacity", rec.ObsoleteCapacity)
	o.str("uscc", rec.USCC)
	return o.close()
}

func (rec *kpiRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.key("baseline")
	o.b = rec.Baseline.appendJSON(o.b)
	o.boolean("custom", rec.Custom)
	o.str("direction", rec.Direction)
	o.str("metric_id", rec.MetricID)
	o.str("name", rec.Name)
	if rec.StepDownBp != nil {
		o.str("step_down_bp", *rec.StepDownBp)
	}
	if rec.StepUpBp != nil {
		o.str("step_up_bp", *rec.StepUpBp)
	}
	o.key("targets")
	o.b = appendList(o.b, rec.Targets, (*observationRecord).appendJSON)
	o.str("unit", rec.Unit)
	return o.close()
}

func (rec *observationRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("value", rec.Value)
	o.integer("year", int64(rec.Year))
	return o.close()
}

func (rec *termsRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.integer("carbon_grade", int64(rec.CarbonGrade))
	o.str("credit_rating", rec.CreditRating)
	o.integer("esg_score", int64(rec.ESGScore))
	o.key("facility")
	o.b = rec.Facility.appendJSON(o.b)
	o.key("kpis")
	o.b = appendList(o.b, rec.KPIs, (*kpiRecord).appendJSON)
	o.optStr("tier", rec.Tier)
	o.version(rec.docVersion)
	return o.close()
}

func (rec *facilityRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("amount", rec.Amount)
	o.str("currency", rec.Currency)
	o.integer("payment_frequency_months", int64(rec.PaymentFrequency))
	o.str("repayment", rec.Repayment)
	o.optStr("start_date", rec.StartDate)
	if rec.Subsidy != nil {
		o.key("subsidy")
		so := openObject(o.b)
		so.optStr("end_date", rec.Subsidy.EndDate)
		so.str("rate_bp", rec.Subsidy.RateBp)
		o.b = so.close()
	}
	o.integer("tenor_months", int64(rec.TenorMonths))
	return o.close()
}
