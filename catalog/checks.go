package catalog

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing/canon"
)

// checker collects problems while converting a document; each method returns
// its best-effort value so that later checks can still run.
type checker struct {
	problems []Problem
}

func (k *checker) add(path, format string, args ...any) {
	k.problems = append(k.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// text requires a non-blank string.
func (k *checker) text(path, s string) string {
	if strings.TrimSpace(s) == "" {
		k.add(path, "required")
	}
	return s
}

// identifier checks a catalogue id: it becomes part of every decision record
// and of URLs, so it is kept to a lower-case slug.
func (k *checker) identifier(path, s string) string {
	if k.text(path, s) != "" && !isToken(s, false) {
		k.add(path, "%q must be lower-case letters, digits, '.', '-' or '_'", s)
	}
	return s
}

func (k *checker) version(path, s string) string {
	if k.text(path, s) != "" && !isToken(s, true) {
		k.add(path, "%q must be letters, digits, '.', '-' or '_'", s)
	}
	return s
}

func (k *checker) pathwayID(path, s string, seen map[string]string) string {
	if k.text(path, s) == "" {
		return s
	}
	if !isToken(s, true) {
		k.add(path, "%q must be letters, digits, '.', '-' or '_'", s)
	} else if first, dup := seen[s]; dup {
		k.add(path, "duplicate pathway id %q (first defined at %s)", s, first)
	} else {
		seen[s] = strings.TrimSuffix(path, ".id")
	}
	return s
}

func (k *checker) industryCode(path, s string, seen map[string]string) string {
	if k.text(path, s) == "" {
		return s
	}
	if !ValidIndustryCode(s) {
		k.add(path, "%q is not a GB/T 4754 code (a section letter A–T and 2 to 4 digits, e.g. C28 or C2822)", s)
	} else if first, dup := seen[s]; dup {
		k.add(path, "duplicate industry code %q (first defined at %s)", s, first)
	} else {
		seen[s] = strings.TrimSuffix(path, ".code")
	}
	return s
}

// metric validates one metric definition; seen makes metric ids unique
// across the whole catalogue, because plans name metrics by id alone.
func (k *checker) metric(path string, dm docMetric, seen map[string]string) Metric {
	m := Metric{
		ID:           dm.ID,
		NameZh:       k.text(path+".name_zh", dm.NameZh),
		NameEn:       k.text(path+".name_en", dm.NameEn),
		Unit:         k.text(path+".unit", dm.Unit),
		Direction:    Direction(dm.Direction),
		Source:       k.text(path+".source", dm.Source),
		Illustrative: dm.Illustrative,
	}
	switch first, dup := seen[dm.ID]; {
	case strings.TrimSpace(dm.ID) == "":
		k.add(path+".id", "required")
	case !isMetricID(dm.ID):
		k.add(path+".id", "%q must be lower-case letters, digits and '_', starting with a letter", dm.ID)
	case dup:
		k.add(path+".id", "duplicate metric id %q (first defined at %s); metric ids are unique across the catalogue", dm.ID, first)
	default:
		seen[dm.ID] = path
	}
	if dm.Direction == "" {
		k.add(path+".direction", "required")
	} else if !m.Direction.Valid() {
		k.add(path+".direction", "%q must be lower_is_better or higher_is_better", dm.Direction)
	}
	m.BenchmarkLevel = k.decimal(path+".benchmark_level", dm.BenchmarkLevel)
	m.BaselineLevel = k.decimal(path+".baseline_level", dm.BaselineLevel)
	if m.BenchmarkLevel.IsNegative() {
		k.add(path+".benchmark_level", "%s must not be negative", m.BenchmarkLevel)
	}
	if m.BaselineLevel.IsNegative() {
		k.add(path+".baseline_level", "%s must not be negative", m.BaselineLevel)
	}
	if dm.BenchmarkLevel.set && dm.BaselineLevel.set && m.Direction.Valid() &&
		!m.Direction.AtOrBetter(m.BenchmarkLevel, m.BaselineLevel) {
		k.add(path+".benchmark_level", "%s must be at or better than baseline_level %s (%s)",
			m.BenchmarkLevel, m.BaselineLevel, m.Direction)
	}
	return m
}

// decimal requires a quoted plain decimal ("85", "0.35"). Exponents, signs
// other than '-' and YAML's unquoted numbers are refused so that what the
// file shows is exactly the value used.
func (k *checker) decimal(path string, s scalar) decimal.Decimal {
	switch {
	case !s.set:
		k.add(path, "required")
	case s.tag != "!!str":
		k.add(path, "%s must be a quoted decimal string, e.g. \"%s\"", s.text, s.text)
	case !canon.IsPlainDecimal(s.text):
		k.add(path, "%q is not a decimal number (digits with an optional '-' and decimal point)", s.text)
	default:
		d, err := decimal.NewFromString(s.text)
		if err != nil {
			k.add(path, "%q is not a decimal number", s.text)
		}
		return d
	}
	return decimal.Zero
}

// date accepts a YAML timestamp or a string, either way strictly YYYY-MM-DD.
func (k *checker) date(path string, s scalar, required bool) tfpricing.Date {
	if !s.set {
		if required {
			k.add(path, "required")
		}
		return tfpricing.Date{}
	}
	if s.tag != "!!str" && s.tag != "!!timestamp" {
		k.add(path, "%q is not a date of the form YYYY-MM-DD", s.text)
		return tfpricing.Date{}
	}
	d, err := tfpricing.ParseDate(s.text)
	if err != nil {
		k.add(path, "%v", err)
	}
	return d
}

func (k *checker) intRange(path string, v *int, lo, hi int) int {
	if v == nil {
		k.add(path, "required")
		return 0
	}
	if *v < lo || *v > hi {
		k.add(path, "%d is out of range %d–%d", *v, lo, hi)
	}
	return *v
}

// isToken reports whether s is 1–64 characters of letters, digits, '.', '-'
// and '_'; upper case only when upper is set.
func isToken(s string, upper bool) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' ||
			upper && r >= 'A' && r <= 'Z'
		if !ok {
			return false
		}
	}
	return s != ""
}

// isMetricID reports whether s is a snake_case id of at most 64 characters.
func isMetricID(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
