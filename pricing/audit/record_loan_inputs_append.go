package audit

import "strconv"

// A loan decision's inputs written by hand: canon.Marshal's bytes of the
// loanInputsRecord (record_append.go's conventions: members in declared,
// sorted order, omitempty as tagged, a nil slice as null, strings as
// encoding/json writes them, raw JSON copied as it is — Encode makes the
// event canonical first). Every attestation, repricing and booking writes
// one, and encoding/json's reflection over it was ≈ 4 % of an
// attestation's service CPU over PostgreSQL (BENCHMARKS.md, "Attestation
// write path"). TestAppendMatchesMarshal fills these records at random and
// compares.

func (rec *loanInputsRecord) appendJSON(b []byte) []byte { return rec.appendJSONRates(b, nil) }

// appendJSONRates is appendJSON with "previous_rates" written from rates,
// when not nil, instead of rec.PreviousRates: what newPeriodRateRecords
// would make of them, without a string per rate and date.
func (rec *loanInputsRecord) appendJSONRates(b []byte, rates []PeriodRate) []byte {
	o := openObject(b)
	o.optStr("as_of", rec.AsOf)
	o.key("attestations")
	o.b = appendList(o.b, rec.Attestations, (*attestationRecord).appendJSON)
	if rec.Earlier != nil {
		o.key("earlier_attestations")
		o.b = rec.Earlier.appendJSON(o.b)
	}
	if len(rec.Event) > 0 {
		o.key("event")
		o.b = append(o.b, rec.Event...)
	}
	if rec.Layout != 0 {
		o.integer("layout", int64(rec.Layout))
	}
	if rec.Lifecycle != nil {
		o.key("lifecycle")
		o.b = rec.Lifecycle.appendJSON(o.b)
	}
	o.str("loan_id", rec.LoanID)
	o.key("previous_rates")
	if rates != nil {
		o.b = append(o.b, '[')
		for i, p := range rates {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			po := openObject(o.b)
			po.integer("period", int64(p.Period))
			po.fixed("rate", p.Rate, 4) // rateString
			po.date("start", p.Start)   // Start.String(), omitempty
			o.b = po.close()
		}
		o.b = append(o.b, ']')
	} else {
		o.b = appendList(o.b, rec.PreviousRates, (*periodRateRecord).appendJSON)
	}
	o.key("terms")
	o.b = rec.Terms.appendJSON(o.b)
	return o.close()
}

// unsigned is an unsigned integer member.
func (o *object) unsigned(k string, v uint64) {
	o.key(k)
	o.b = strconv.AppendUint(o.b, v, 10)
}

func (rec *attestationRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.optStr("accepted_on", rec.AcceptedOn)
	o.str("evidence_sha256", rec.EvidenceSHA256)
	o.str("id", rec.ID)
	o.str("metric_id", rec.MetricID)
	o.unsigned("seq", rec.Seq)
	o.version(rec.docVersion)
	o.str("value", rec.Value)
	o.key("verifier")
	vo := openObject(o.b)
	vo.str("accreditation", rec.Verifier.Accreditation)
	vo.str("name", rec.Verifier.Name)
	o.b = vo.close()
	o.integer("year", int64(rec.Year))
	return o.close()
}

func (rec *attestationChainRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("chain", rec.Chain)
	o.integer("count", int64(rec.Count))
	o.unsigned("through_seq", rec.ThroughSeq)
	return o.close()
}

func (rec *periodRateRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.integer("period", int64(rec.Period))
	o.str("rate", rec.Rate)
	o.optStr("start", rec.Start)
	return o.close()
}

func (rec *lifecycleRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.optStr("declassified_from", rec.DeclassifiedFrom)
	if len(rec.PlanVersions) > 0 {
		o.key("plan_versions")
		o.b = appendArray(o.b, rec.PlanVersions, (*planVersionRecord).appendJSON)
	}
	return o.close()
}

func (rec *planVersionRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("effective_from", rec.EffectiveFrom)
	o.key("kpis")
	o.b = appendList(o.b, rec.KPIs, (*kpiRecord).appendJSON)
	o.str("tier", rec.Tier)
	o.integer("version", int64(rec.Version))
	return o.close()
}
