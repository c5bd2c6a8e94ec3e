package catalog

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"tfpricing"
)

// Field error codes used by Plan.Validate and Catalogue.ResolveKPIs.
const (
	CodeRequired       = "required"
	CodeInvalid        = "invalid"
	CodeCheckCharacter = "check_character"
	CodeOutOfRange     = "out_of_range"
	CodeNotIncreasing  = "not_increasing"
	CodeDuplicate      = "duplicate"
	CodeTooMany        = "too_many"
	CodeMismatch       = "mismatch"
)

// Plan limits. They bound the work one request can cause, and years outside
// 1990–2100 are typing errors rather than plans.
const (
	MaxKPIs    = 20
	MaxTargets = 50
	MinYear    = 1990
	MaxYear    = 2100
)

// Validate checks the plan's shape and returns tfpricing.Invalid listing
// every bad field by the JSON path the client sent, or nil. It does not
// consult the catalogue, so a KPI's name, unit and direction are left to
// ResolveKPIs (which knows whether they are the catalogue's or the client's),
// and whether the plan qualifies is Assess's business.
func (p Plan) Validate() error {
	var fe fieldErrors
	b := p.Borrower
	var uerr *USCCError
	switch err := ValidateUSCC(b.USCC); {
	case err == nil:
	case errors.As(err, &uerr) && uerr.Code == USCCRequired:
		fe.add("borrower.uscc", CodeRequired, "the unified social credit code is required")
	case errors.As(err, &uerr) && uerr.Code == USCCCheckCharacter:
		fe.add("borrower.uscc", CodeCheckCharacter, uerr.Message)
	case errors.As(err, &uerr):
		fe.add("borrower.uscc", CodeInvalid, uerr.Message)
	}
	switch {
	case b.IndustryCode == "":
		fe.add("borrower.industry_code", CodeRequired, "the GB/T 4754 industry code is required")
	case !ValidIndustryCode(b.IndustryCode):
		fe.add("borrower.industry_code", CodeInvalid, fmt.Sprintf(
			"%q is not a GB/T 4754 code: an upper-case section letter A–T and 2 to 4 digits, e.g. C2822", b.IndustryCode))
	}
	if s := b.JustTransitionScore; s != nil && (*s < 0 || *s > 100) {
		fe.add("borrower.just_transition_score", CodeOutOfRange, fmt.Sprintf("%d is outside 0–100", *s))
	}
	if strings.TrimSpace(p.PathwayID) == "" {
		fe.add("pathway_id", CodeRequired, "the technical pathway id is required")
	}
	switch {
	case len(p.KPIs) == 0:
		fe.add("kpis", CodeRequired, "at least one KPI is required")
	case len(p.KPIs) > MaxKPIs:
		fe.add("kpis", CodeTooMany, fmt.Sprintf("at most %d KPIs, got %d", MaxKPIs, len(p.KPIs)))
	}
	first := map[string]int{}
	for i, k := range p.KPIs {
		path := kpiPath(i)
		switch j, dup := first[k.MetricID]; {
		case strings.TrimSpace(k.MetricID) == "":
			fe.add(path+".metric_id", CodeRequired, "the metric id is required")
		case utf8.RuneCountInString(k.MetricID) > 64:
			fe.add(path+".metric_id", CodeInvalid, "a metric id has at most 64 characters")
		case dup:
			fe.add(path+".metric_id", CodeDuplicate, fmt.Sprintf("metric %q is already kpis[%d]", k.MetricID, j))
		default:
			first[k.MetricID] = i
		}
		fe.observations(path, k)
	}
	return tfpricing.Invalid(fe)
}

// observations checks a KPI's baseline and targets: years in range and
// increasing, values not negative. The paths are written only for a bad
// value (two concatenations per target were a tenth of Validate).
func (fe *fieldErrors) observations(path string, k KPI) {
	// An out-of-range baseline year would make every target look misordered.
	baselineOK := yearInRange(k.Baseline.Year)
	if !baselineOK {
		fe.yearOutOfRange(path+".baseline.year", k.Baseline.Year)
	}
	if k.Baseline.Value.IsNegative() {
		fe.add(path+".baseline.value", CodeOutOfRange, fmt.Sprintf("%s must not be negative", k.Baseline.Value))
	}
	switch {
	case len(k.Targets) == 0:
		fe.add(path+".targets", CodeRequired, "at least one target is required")
	case len(k.Targets) > MaxTargets:
		fe.add(path+".targets", CodeTooMany, fmt.Sprintf("at most %d targets, got %d", MaxTargets, len(k.Targets)))
	}
	// prev is the last in-range year to compare against: an out-of-range year
	// is reported once, not again as misordering its neighbour.
	prev, prevName, prevOK := k.Baseline.Year, "the baseline year", baselineOK
	for j, t := range k.Targets {
		if yearInRange(t.Year) {
			if prevOK && t.Year <= prev {
				fe.add(targetPath(path, j)+".year", CodeNotIncreasing, fmt.Sprintf("%d must be after %s %d", t.Year, prevName, prev))
			}
			prev, prevName, prevOK = t.Year, "the previous target's year", true
		} else {
			fe.yearOutOfRange(targetPath(path, j)+".year", t.Year)
		}
		if t.Value.IsNegative() {
			fe.add(targetPath(path, j)+".value", CodeOutOfRange, fmt.Sprintf("%s must not be negative", t.Value))
		}
	}
}

func yearInRange(y int) bool { return y >= MinYear && y <= MaxYear }

// yearOutOfRange records the field error of a year outside the range.
func (fe *fieldErrors) yearOutOfRange(path string, y int) {
	fe.add(path, CodeOutOfRange, fmt.Sprintf("%d is outside %d–%d", y, MinYear, MaxYear))
}

// ResolveKPIs returns a copy of kpis with each KPI resolved against the
// catalogue. A KPI whose metric_id is a metric of industry or of the
// catalogue level takes its name (name_en), unit and direction from the
// catalogue; a stated direction or unit that contradicts the catalogue is an
// error, since the values would then mean something other than the metric.
// Any other KPI is custom and must state its name, unit and direction.
// industry may be nil when no catalogue industry covers the borrower.
func (c *Catalogue) ResolveKPIs(industry *Industry, kpis []KPI) ([]KPI, error) {
	var fe fieldErrors
	out := make([]KPI, len(kpis))
	for i, k := range kpis {
		path := kpiPath(i)
		k.Targets = append([]Observation(nil), k.Targets...)
		if m, ok := c.Metric(industry, k.MetricID); ok {
			if k.Direction != "" && k.Direction != m.Direction {
				fe.add(path+".direction", CodeMismatch, fmt.Sprintf(
					"metric %s is %s in the catalogue, not %s", m.ID, m.Direction, k.Direction))
			}
			if k.Unit != "" && k.Unit != m.Unit {
				fe.add(path+".unit", CodeMismatch, fmt.Sprintf(
					"metric %s is measured in %s in the catalogue, not %s", m.ID, m.Unit, k.Unit))
			}
			k.Name, k.Unit, k.Direction, k.Custom = m.NameEn, m.Unit, m.Direction, false
			out[i] = k
			continue
		}
		k.Custom = true
		if strings.TrimSpace(k.Name) == "" {
			fe.add(path+".name", CodeRequired, fmt.Sprintf("%q is not a catalogue metric here, so a custom KPI must state its name", k.MetricID))
		}
		if strings.TrimSpace(k.Unit) == "" {
			fe.add(path+".unit", CodeRequired, fmt.Sprintf("%q is not a catalogue metric here, so a custom KPI must state its unit", k.MetricID))
		}
		switch {
		case k.Direction == "":
			fe.add(path+".direction", CodeRequired, fmt.Sprintf("%q is not a catalogue metric here, so a custom KPI must state lower_is_better or higher_is_better", k.MetricID))
		case !k.Direction.Valid():
			fe.add(path+".direction", CodeInvalid, fmt.Sprintf("%q must be lower_is_better or higher_is_better", k.Direction))
		}
		out[i] = k
	}
	if err := tfpricing.Invalid(fe); err != nil {
		return nil, err
	}
	return out, nil
}

// fieldErrors collects field errors in the order the fields appear.
type fieldErrors []tfpricing.FieldError

func (fe *fieldErrors) add(field, code, message string) {
	*fe = append(*fe, tfpricing.FieldError{Field: field, Code: code, Message: message})
}
