package audit

import (
	"fmt"

	"tfpricing/catalog"
	"tfpricing/pricing"
)

// lifecycleRecord is pricing.Lifecycle inside loan inputs (DESIGN.md
// §5.1). It is written only when the loan has an approved amendment or
// declassification, so the inputs of every other loan keep their bytes.
type lifecycleRecord struct {
	DeclassifiedFrom string              `json:"declassified_from,omitempty"`
	PlanVersions     []planVersionRecord `json:"plan_versions,omitempty"`
}

// planVersionRecord is one amended plan: its KPIs as terms record them
// (with their own step sizes), its tier and where it starts.
type planVersionRecord struct {
	EffectiveFrom string      `json:"effective_from"`
	KPIs          []kpiRecord `json:"kpis"`
	Tier          string      `json:"tier"`
	Version       int         `json:"version"`
}

func newLifecycleRecord(l pricing.Lifecycle) *lifecycleRecord {
	if l.Empty() {
		return nil
	}
	rec := &lifecycleRecord{PlanVersions: make([]planVersionRecord, len(l.Amendments))}
	if !l.DeclassifiedFrom.IsZero() {
		rec.DeclassifiedFrom = l.DeclassifiedFrom.String()
	}
	for i, v := range l.Amendments {
		rec.PlanVersions[i] = planVersionRecord{EffectiveFrom: v.EffectiveFrom.String(), Tier: string(v.Tier),
			Version: v.Version, KPIs: newPricedKPIRecords(v.KPIs)}
	}
	return rec
}

func (rec *lifecycleRecord) lifecycle(r *recReader, prefix string) pricing.Lifecycle {
	if rec == nil {
		return pricing.Lifecycle{}
	}
	var l pricing.Lifecycle
	if rec.DeclassifiedFrom != "" {
		l.DeclassifiedFrom = r.date(prefix+"declassified_from", rec.DeclassifiedFrom)
	}
	for i, v := range rec.PlanVersions {
		p := fmt.Sprintf("%splan_versions[%d]", prefix, i)
		pv := pricing.PlanVersion{Version: v.Version, EffectiveFrom: r.date(p+".effective_from", v.EffectiveFrom),
			Tier: catalog.Tier(v.Tier), KPIs: make([]pricing.KPI, len(v.KPIs))}
		for j, k := range v.KPIs {
			pv.KPIs[j] = k.pricedKPI(r, p+".kpis", j)
		}
		l.Amendments = append(l.Amendments, pv)
	}
	return l
}

// newPricedKPIRecords records priced KPIs as terms do.
func newPricedKPIRecords(ks []pricing.KPI) []kpiRecord {
	out := make([]kpiRecord, len(ks))
	for i, k := range ks {
		out[i] = newKPIRecord(k.KPI)
		out[i].StepDownBp, out[i].StepUpBp = optBp(k.StepDownBp), optBp(k.StepUpBp)
	}
	return out
}

// pricedKPI reads the i-th priced KPI of a list at prefix.
func (rec kpiRecord) pricedKPI(r *recReader, prefix string, i int) pricing.KPI {
	p := fmt.Sprintf("%s[%d]", prefix, i)
	return pricing.KPI{KPI: rec.kpi(r, p), StepDownBp: r.optDecimal(p+".step_down_bp", rec.StepDownBp),
		StepUpBp: r.optDecimal(p+".step_up_bp", rec.StepUpBp)}
}
