package catalog

import (
	"fmt"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"tfpricing/pricing/canon"
)

// document is the YAML shape of a catalogue. It is kept apart from the model
// so that decimals and dates are held as raw text until validation, which can
// then report a bad value with its path instead of aborting the decode.
type document struct {
	ID                      string        `yaml:"id"`
	Version                 string        `yaml:"version"`
	TitleZh                 string        `yaml:"title_zh"`
	TitleEn                 string        `yaml:"title_en"`
	EffectiveFrom           scalar        `yaml:"effective_from"`
	EffectiveTo             scalar        `yaml:"effective_to"` // null or absent: open-ended
	MaxYearsToBaselineLevel *int          `yaml:"max_years_to_baseline_level"`
	MinJustTransitionScore  *int          `yaml:"min_just_transition_score"`
	Metrics                 []docMetric   `yaml:"metrics"`
	Industries              []docIndustry `yaml:"industries"`
}

type docIndustry struct {
	Code                   string       `yaml:"code"`
	NameZh                 string       `yaml:"name_zh"`
	NameEn                 string       `yaml:"name_en"`
	JustTransitionRequired bool         `yaml:"just_transition_required"`
	Pathways               []docPathway `yaml:"pathways"`
	Metrics                []docMetric  `yaml:"metrics"`
}

type docPathway struct {
	ID                string   `yaml:"id"`
	NameZh            string   `yaml:"name_zh"`
	NameEn            string   `yaml:"name_en"`
	Kind              string   `yaml:"kind"`
	Metrics           []string `yaml:"metrics"`
	MinImprovementPct scalar   `yaml:"min_improvement_pct"`
}

type docMetric struct {
	ID             string `yaml:"id"`
	NameZh         string `yaml:"name_zh"`
	NameEn         string `yaml:"name_en"`
	Unit           string `yaml:"unit"`
	Direction      string `yaml:"direction"`
	BenchmarkLevel scalar `yaml:"benchmark_level"`
	BaselineLevel  scalar `yaml:"baseline_level"`
	Source         string `yaml:"source"`
	Illustrative   bool   `yaml:"illustrative"`
}

// scalar is a YAML scalar kept as written, with its resolved tag, so that
// validation can insist on quoted decimals: an unquoted 0.10 would be a YAML
// float, and we never let a float near a benchmark level.
type scalar struct {
	text string
	tag  string
	line int
	set  bool // false when the key is absent or null
}

// UnmarshalYAML records the scalar; a list or mapping in its place is a type
// error that the decoder collects with the others.
func (s *scalar) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{
			fmt.Sprintf("line %d: a %s is not allowed here: a single value expected", n.Line, kindName(n.Kind)),
		}}
	}
	*s = scalar{text: n.Value, tag: n.ShortTag(), line: n.Line, set: true}
	return nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	default:
		return "node"
	}
}

// build validates the document and converts it to the model, collecting
// every problem in document order (catalogue fields, catalogue-level
// metrics, then each industry).
func (d *document) build() (*Catalogue, []Problem) {
	var k checker
	c := &Catalogue{
		ID:      k.identifier("id", d.ID),
		Version: k.version("version", d.Version),
		TitleZh: k.text("title_zh", d.TitleZh),
		TitleEn: d.TitleEn,
	}
	c.EffectiveFrom = k.date("effective_from", d.EffectiveFrom, true)
	c.EffectiveTo = k.date("effective_to", d.EffectiveTo, false)
	if !c.EffectiveFrom.IsZero() && !c.EffectiveTo.IsZero() && !c.EffectiveTo.After(c.EffectiveFrom) {
		k.add("effective_to", "%s must be after effective_from %s", c.EffectiveTo, c.EffectiveFrom)
	}
	c.MaxYearsToBaselineLevel = k.intRange("max_years_to_baseline_level", d.MaxYearsToBaselineLevel, 1, 50)
	c.MinJustTransitionScore = k.intRange("min_just_transition_score", d.MinJustTransitionScore, 0, 100)

	seenMetric := map[string]string{} // metric id → path of its first definition
	global := map[string]bool{}
	for _, m := range d.Metrics {
		global[m.ID] = true
	}
	for i, m := range d.Metrics {
		c.Metrics = append(c.Metrics, k.metric(fmt.Sprintf("metrics[%d]", i), m, seenMetric))
	}

	if len(d.Industries) == 0 {
		k.add("industries", "at least one industry is required")
	}
	seenCode := map[string]string{}
	seenPathway := map[string]string{}
	for i, di := range d.Industries {
		path := fmt.Sprintf("industries[%d]", i)
		ind := Industry{
			Code:                   k.industryCode(path+".code", di.Code, seenCode),
			NameZh:                 k.text(path+".name_zh", di.NameZh),
			NameEn:                 k.text(path+".name_en", di.NameEn),
			JustTransitionRequired: di.JustTransitionRequired,
		}
		local := map[string]bool{}
		for _, m := range di.Metrics {
			local[m.ID] = true
		}
		if len(di.Pathways) == 0 {
			k.add(path+".pathways", "at least one pathway is required")
		}
		for j, dp := range di.Pathways {
			pp := fmt.Sprintf("%s.pathways[%d]", path, j)
			ind.Pathways = append(ind.Pathways, k.pathway(pp, dp, seenPathway, func(id string) bool {
				return local[id] || global[id]
			}))
		}
		for j, m := range di.Metrics {
			ind.Metrics = append(ind.Metrics, k.metric(fmt.Sprintf("%s.metrics[%d]", path, j), m, seenMetric))
		}
		c.Industries = append(c.Industries, ind)
	}
	return c, k.problems
}

func (k *checker) pathway(path string, dp docPathway, seen map[string]string, resolves func(string) bool) Pathway {
	p := Pathway{
		ID:     k.pathwayID(path+".id", dp.ID, seen),
		NameZh: k.text(path+".name_zh", dp.NameZh),
		NameEn: k.text(path+".name_en", dp.NameEn),
		Kind:   dp.Kind,
	}
	if dp.Kind == "" {
		k.add(path+".kind", "required")
	} else if !ValidKind(dp.Kind) {
		k.add(path+".kind", "%q is not a pathway kind (energy_efficiency, fuel_switch, feedstock_substitution, process_upgrade, circular, digital_energy_management)", dp.Kind)
	}
	if len(dp.Metrics) == 0 {
		k.add(path+".metrics", "at least one metric is required")
	}
	listed := map[string]bool{}
	for i, id := range dp.Metrics {
		mp := fmt.Sprintf("%s.metrics[%d]", path, i)
		switch {
		case id == "":
			k.add(mp, "required")
		case listed[id]:
			k.add(mp, "metric %q is listed twice", id)
		case !resolves(id):
			k.add(mp, "metric %q is not defined in this industry or at catalogue level", id)
		}
		listed[id] = true
	}
	p.Metrics = append([]string(nil), dp.Metrics...)
	p.MinImprovementPct = k.decimal(path+".min_improvement_pct", dp.MinImprovementPct)
	if p.MinImprovementPct.IsNegative() {
		k.add(path+".min_improvement_pct", "%s must not be negative", p.MinImprovementPct)
	}
	return p
}

// canonicalJSON renders the validated model as canonical JSON: keys sorted
// (encoding/json sorts map keys), no insignificant whitespace, decimals as
// normalised strings ("85.0" and "85" are the same level), dates YYYY-MM-DD,
// null for an open effective_to, and every optional key present so that
// leaving out a default and writing it out give the same digest. Slices keep
// document order. The keys are the document's, so the output parses back.
func canonicalJSON(c *Catalogue) ([]byte, error) {
	var to any
	if !c.EffectiveTo.IsZero() {
		to = c.EffectiveTo.String()
	}
	industries := make([]any, 0, len(c.Industries))
	for _, ind := range c.Industries {
		pathways := make([]any, 0, len(ind.Pathways))
		for _, p := range ind.Pathways {
			pathways = append(pathways, map[string]any{
				"id":                  p.ID,
				"name_zh":             p.NameZh,
				"name_en":             p.NameEn,
				"kind":                p.Kind,
				"metrics":             append([]string{}, p.Metrics...),
				"min_improvement_pct": decimalText(p.MinImprovementPct),
			})
		}
		industries = append(industries, map[string]any{
			"code":                     ind.Code,
			"name_zh":                  ind.NameZh,
			"name_en":                  ind.NameEn,
			"just_transition_required": ind.JustTransitionRequired,
			"pathways":                 pathways,
			"metrics":                  metricsJSON(ind.Metrics),
		})
	}
	doc := map[string]any{
		"id":                          c.ID,
		"version":                     c.Version,
		"title_zh":                    c.TitleZh,
		"title_en":                    c.TitleEn,
		"effective_from":              c.EffectiveFrom.String(),
		"effective_to":                to,
		"max_years_to_baseline_level": c.MaxYearsToBaselineLevel,
		"min_just_transition_score":   c.MinJustTransitionScore,
		"metrics":                     metricsJSON(c.Metrics),
		"industries":                  industries,
	}
	b, err := canon.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return b, nil
}

func metricsJSON(ms []Metric) []any {
	out := make([]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, map[string]any{
			"id":              m.ID,
			"name_zh":         m.NameZh,
			"name_en":         m.NameEn,
			"unit":            m.Unit,
			"direction":       string(m.Direction),
			"benchmark_level": decimalText(m.BenchmarkLevel),
			"baseline_level":  decimalText(m.BaselineLevel),
			"source":          m.Source,
			"illustrative":    m.Illustrative,
		})
	}
	return out
}

// decimalText is d in the normal form the catalogue is digested in, written
// without decimal's String (whose output follows package-level settings).
func decimalText(d decimal.Decimal) string {
	return canon.TrimDecimal(d.StringFixed(max(0, -d.Exponent())))
}
