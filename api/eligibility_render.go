package api

import (
	"strconv"
)

// The eligibility response written by hand: writeJSON's bytes for an
// assessmentJSON (members in declared order, nil pointers and slices as
// null, strings escaped as encoding/json does with HTML escaping off),
// newline included. encoding/json's reflection over it was a tenth of an
// eligibility request's server CPU. TestAssessmentBodyMatchesJSON holds it
// to writeJSON on randomly filled values, so a field added to one of these
// DTOs without its writer fails there.

func (a *assessmentJSON) appendJSON(b []byte) []byte {
	b = strconv.AppendBool(append(b, `{"eligible":`...), a.Eligible)
	b = appendJSONString(append(b, `,"tier":`...), a.Tier)
	b = append(b, `,"core_kpi":`...)
	if a.CoreKPI == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, *a.CoreKPI)
	}
	b = appendJSONString(append(b, `,"as_of":`...), a.AsOf.String())
	b = a.Catalogue.appendJSON(append(b, `,"catalogue":`...))
	b = append(b, `,"industry":`...)
	if a.Industry == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(append(b, `{"code":`...), a.Industry.Code)
		b = appendJSONString(append(b, `,"name_zh":`...), a.Industry.NameZh)
		b = appendJSONString(append(b, `,"name_en":`...), a.Industry.NameEn)
		b = append(b, '}')
	}
	b = append(b, `,"pathway":`...)
	if a.Pathway == nil {
		b = append(b, "null"...)
	} else {
		b = a.Pathway.appendJSON(b)
	}
	b = append(b, `,"checks":`...)
	if a.Checks == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range a.Checks {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(append(b, `{"rule":`...), c.Rule)
			b = appendJSONString(append(b, `,"status":`...), c.Status)
			b = appendJSONString(append(b, `,"message_zh":`...), c.MessageZh)
			b = appendJSONString(append(b, `,"message_en":`...), c.MessageEn)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (r *catalogueRefJSON) appendJSON(b []byte) []byte {
	b = appendJSONString(append(b, `{"id":`...), r.ID)
	b = appendJSONString(append(b, `,"version":`...), r.Version)
	b = appendJSONString(append(b, `,"digest":`...), r.Digest)
	return append(b, '}')
}

func (p *pathwayJSON) appendJSON(b []byte) []byte {
	b = appendJSONString(append(b, `{"id":`...), p.ID)
	b = appendJSONString(append(b, `,"name_zh":`...), p.NameZh)
	b = appendJSONString(append(b, `,"name_en":`...), p.NameEn)
	b = appendJSONString(append(b, `,"kind":`...), p.Kind)
	b = append(b, `,"metrics":`...)
	if p.Metrics == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, m := range p.Metrics {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, m)
		}
		b = append(b, ']')
	}
	b = appendJSONString(append(b, `,"min_improvement_pct":`...), p.MinImprovementPct)
	return append(b, '}')
}

// assessmentBody is writeJSON(a)'s bytes.
func assessmentBody(a assessmentJSON) []byte {
	return append(a.appendJSON(make([]byte, 0, 3072)), '\n')
}
