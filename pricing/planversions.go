package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// PlanVersion is an approved amendment of a loan's plan (DESIGN.md §5.1):
// the complete KPI list, with their targets and step sizes, and the tier of
// the amended plan, in force for the periods starting on or after
// EffectiveFrom. Version 1 is the booked plan (Terms.KPIs and Terms.Tier),
// in force from the start date; it is never a PlanVersion.
type PlanVersion struct {
	Version       int
	EffectiveFrom tfpricing.Date
	Tier          catalog.Tier
	KPIs          []KPI
}

// Lifecycle is what happened to a loan's plan after booking: approved
// amendments (versions 2, 3, … in approval order, effective dates never
// decreasing) and an approved declassification. The zero Lifecycle prices
// exactly as the booked terms alone.
type Lifecycle struct {
	Amendments []PlanVersion
	// DeclassifiedFrom is the effective date of an approved
	// declassification; zero when the loan was not declassified. From the
	// first period starting on or after it, T = 0 and K = max_step_up_bp,
	// whatever is attested later.
	DeclassifiedFrom tfpricing.Date
}

// Empty reports whether l changes nothing.
func (l Lifecycle) Empty() bool { return len(l.Amendments) == 0 && l.DeclassifiedFrom.IsZero() }

// planTerms is one plan version as the engine prices it: the booked terms
// with the version's KPIs and tier, in force from `from`.
type planTerms struct {
	version int
	from    tfpricing.Date
	terms   Terms
}

// Versions returns every plan version of a loan with terms t, version 1
// first.
func (l Lifecycle) versions(t Terms) []planTerms {
	out := []planTerms{{version: 1, from: t.Facility.StartDate, terms: t}}
	for _, v := range l.Amendments {
		vt := t
		vt.KPIs, vt.Tier = v.KPIs, v.Tier
		out = append(out, planTerms{version: v.Version, from: v.EffectiveFrom, terms: vt})
	}
	return out
}

// VersionTerms returns the terms of the plan version in force on d (the
// latest with effective_from ≤ d; version 1 before any other), and its
// number.
func (l Lifecycle) VersionTerms(t Terms, d tfpricing.Date) (Terms, int) {
	vs := l.versions(t)
	return vs[inForce(vs, d)].terms, vs[inForce(vs, d)].version
}

// TermsWithSPT returns the terms of the latest plan version that has an SPT
// for metric and year, and false when no version has one.
func (l Lifecycle) TermsWithSPT(t Terms, metric string, year int) (Terms, bool) {
	vs := l.versions(t)
	for i := len(vs) - 1; i >= 0; i-- {
		for _, k := range vs[i].terms.KPIs {
			if k.MetricID != metric {
				continue
			}
			for _, tg := range k.Targets {
				if tg.Year == year {
					return vs[i].terms, true
				}
			}
		}
	}
	return t, false
}

// inForce returns the index of the version in force on d: the latest whose
// effective date is on or before d (a later version wins a tie), version 1
// when none is.
func inForce(vs []planTerms, d tfpricing.Date) int {
	at := 0
	for i := 1; i < len(vs); i++ {
		if !vs[i].from.After(d) {
			at = i
		}
	}
	return at
}

// versionProblems validates every amended plan and the attestations against
// the union of the versions' SPTs.
func (l Lifecycle) problems(t Terms, r Ratchet, atts []Attestation) []tfpricing.FieldError {
	var fs []tfpricing.FieldError
	vs := l.versions(t)
	ledgers := make([]*ledger, len(vs))
	for i, v := range vs {
		ledgers[i] = newLedger(v.terms, r)
		if i == 0 {
			continue
		}
		if err, ok := v.terms.Validate().(*tfpricing.Error); ok && err != nil {
			for _, f := range err.Fields {
				f.Field = fmt.Sprintf("plan_versions[%d].%s", i-1, f.Field)
				fs = append(fs, f)
			}
		}
		if v.from.IsZero() {
			fs = append(fs, fieldErr(fmt.Sprintf("plan_versions[%d].effective_from", i-1), "required", "is required"))
		}
	}
	for i, a := range atts {
		p := fmt.Sprintf("attestations[%d].", i)
		known := false
		for _, lg := range ledgers {
			if _, ok := lg.index[sptKey{a.MetricID, a.Year}]; ok {
				known = true
			}
		}
		if !known {
			fe := fieldErr(p+"metric_id", "unknown", "is not a KPI of any plan version of this loan")
			for _, v := range vs {
				if ledgers[0].unknownSPT(v.terms, a.MetricID, p).Field == p+"year" {
					fe = fieldErr(p+"year", "unknown", "is not a target year of this KPI in any plan version")
				}
			}
			fs = append(fs, fe)
		}
		if a.AcceptedOn.IsZero() {
			fs = append(fs, fieldErr(p+"accepted_on", "required", "is required"))
		}
	}
	return fs
}

// declassified returns m without the tier adjustment (T = 0).
func (m margin) declassified() margin {
	m.tier = decimal.Zero
	m.fixed = m.esg.Add(m.carbon)
	return m
}
