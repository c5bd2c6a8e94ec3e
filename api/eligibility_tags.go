package api

import (
	"unicode/utf8"

	"tfpricing"
)

// tagsPass reports whether every validate tag of an eligibility request
// passes, without validator/v10's reflection (about a sixth of a clean
// request's instructions). It only ever answers "nothing to report": when
// it says no, or cannot say, validateStruct runs as before and words the
// errors, so refusals never change. TestEligibilityTagsPassAgrees holds it
// to the validator on random requests: it must never say yes where the
// validator reports anything.
func (r *eligibilityRequest) tagsPass() bool {
	b := r.Borrower
	if b == nil || // required
		utf8.RuneCountInString(b.Name) > 200 || b.USCC == "" || b.IndustryCode == "" ||
		b.JustTransitionScore != nil && (*b.JustTransitionScore < 0 || *b.JustTransitionScore > 100) {
		return false
	}
	if r.PathwayID == "" || utf8.RuneCountInString(r.PathwayID) > 64 ||
		r.KPIs == nil || len(r.KPIs) < 1 || len(r.KPIs) > 20 {
		return false
	}
	if r.AsOf != "" {
		if _, err := tfpricing.ParseDate(r.AsOf); err != nil {
			return false
		}
	}
	for i := range r.KPIs {
		if !r.KPIs[i].tagsPass() {
			return false
		}
	}
	return true
}

func (k *kpiDTO) tagsPass() bool {
	if k.MetricID == "" || utf8.RuneCountInString(k.MetricID) > 64 ||
		utf8.RuneCountInString(k.Name) > 200 || utf8.RuneCountInString(k.Unit) > 64 {
		return false
	}
	switch k.Direction {
	case "", "lower_is_better", "higher_is_better":
	default:
		return false
	}
	if k.Baseline == nil || !k.Baseline.tagsPass() ||
		k.Targets == nil || len(k.Targets) < 1 || len(k.Targets) > 50 {
		return false
	}
	for i := range k.Targets {
		if !k.Targets[i].tagsPass() {
			return false
		}
	}
	for _, p := range []*string{k.StepDownBp, k.StepUpBp} {
		if p != nil { // omitempty does not skip a pointer to ""
			if !isPlainDecimal(*p) {
				return false
			}
		}
	}
	return true
}

func (o *observationDTO) tagsPass() bool {
	if o.Year < 1990 || o.Year > 2100 || o.Value == "" {
		return false
	}
	return isPlainDecimal(o.Value)
}
