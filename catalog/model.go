// Package catalog models the transition finance support catalogue
// (转型金融支持目录): carbon-intensive industries, their technical pathways
// (技术路径) and quantitative metrics with benchmark (标杆) and baseline (基准)
// levels. It loads and validates versioned catalogue documents and runs the
// eligibility rules of DESIGN.md §3.1.
//
// It imports only the standard library, shopspring/decimal, a YAML parser and
// the module's dependency-free kernel package.
package catalog

import (
	"github.com/shopspring/decimal"

	"tfpricing"
)

// Direction tells which way a metric improves.
type Direction string

// The two metric directions.
const (
	LowerIsBetter  Direction = "lower_is_better"
	HigherIsBetter Direction = "higher_is_better"
)

// AtOrBetter reports whether value is at or better than level in direction d.
func (d Direction) AtOrBetter(value, level decimal.Decimal) bool {
	if d == HigherIsBetter {
		return value.GreaterThanOrEqual(level)
	}
	return value.LessThanOrEqual(level)
}

// Valid reports whether d is one of the two known directions.
func (d Direction) Valid() bool { return d == LowerIsBetter || d == HigherIsBetter }

// Metric is a quantitative indicator with its grade-1 benchmark level (标杆水平)
// and grade-3 baseline level (基准水平, the limit), each from a named source.
type Metric struct {
	ID             string
	NameZh         string
	NameEn         string
	Unit           string
	Direction      Direction
	BenchmarkLevel decimal.Decimal
	BaselineLevel  decimal.Decimal
	Source         string
	Illustrative   bool // the levels are illustrative, not from a standard
}

// Pathway is a technical transition pathway of an industry.
type Pathway struct {
	ID                string
	NameZh            string
	NameEn            string
	Kind              string
	Metrics           []string // metric ids, industry- or catalogue-level
	MinImprovementPct decimal.Decimal
}

// Pathway kinds. A catalogue document may use no other; they classify the
// technical pathways the way the published Huzhou catalogue groups them.
const (
	KindEnergyEfficiency        = "energy_efficiency"
	KindFuelSwitch              = "fuel_switch"
	KindFeedstockSubstitution   = "feedstock_substitution"
	KindProcessUpgrade          = "process_upgrade"
	KindCircular                = "circular"
	KindDigitalEnergyManagement = "digital_energy_management"
)

// ValidKind reports whether kind is one of the pathway kinds.
func ValidKind(kind string) bool {
	switch kind {
	case KindEnergyEfficiency, KindFuelSwitch, KindFeedstockSubstitution,
		KindProcessUpgrade, KindCircular, KindDigitalEnergyManagement:
		return true
	}
	return false
}

// Industry is a catalogue industry, matched to a borrower's GB/T 4754-2017
// code by longest prefix.
type Industry struct {
	Code                   string
	NameZh                 string
	NameEn                 string
	JustTransitionRequired bool
	Pathways               []Pathway
	Metrics                []Metric
}

// Catalogue is one version of the catalogue document.
type Catalogue struct {
	ID                      string
	Version                 string
	TitleZh                 string
	TitleEn                 string
	EffectiveFrom           tfpricing.Date
	EffectiveTo             tfpricing.Date // zero: open-ended
	MaxYearsToBaselineLevel int
	MinJustTransitionScore  int
	Metrics                 []Metric // catalogue-level metrics any pathway may reference
	Industries              []Industry

	// Digest is "sha256:<hex>" over Canonical; the same document always has
	// the same digest whatever its YAML layout or comments.
	Digest string
	// Canonical is the canonical JSON form of the document. Parse accepts it
	// back (JSON is YAML), which is how stored versions are replayed.
	Canonical []byte
}

// Ref identifies the catalogue version a decision used.
type Ref struct {
	ID      string
	Version string
	Digest  string
}

// Ref returns the identifying reference of c.
func (c *Catalogue) Ref() Ref { return Ref{ID: c.ID, Version: c.Version, Digest: c.Digest} }

// Observation is a KPI value in a calendar year (a baseline or a target).
type Observation struct {
	Year  int
	Value decimal.Decimal
}

// KPI is one key performance indicator of a borrower's transition plan. For a
// catalogue metric, Name, Unit and Direction come from the catalogue (see
// Catalogue.ResolveKPIs); a custom KPI states them itself.
type KPI struct {
	MetricID  string
	Name      string
	Unit      string
	Direction Direction
	Custom    bool // not a catalogue metric
	Baseline  Observation
	Targets   []Observation // strictly increasing years after the baseline year
}

// Borrower is the company being assessed.
type Borrower struct {
	Name                string
	USCC                string // 统一社会信用代码, GB 32100-2015
	IndustryCode        string // GB/T 4754-2017, e.g. "C2822"
	JustTransitionScore *int   // 0–100, optional
	ObsoleteCapacity    bool   // 淘汰类产能
	NewCapacity         bool   // a new or expanded line, 新建或扩建项目
}

// Plan is the input of an eligibility assessment.
type Plan struct {
	Borrower  Borrower
	PathwayID string
	KPIs      []KPI
	AsOf      tfpricing.Date
}

// Rule names, in the order they are evaluated.
const (
	RuleIndustryCovered       = "industry_covered"
	RulePathwayInIndustry     = "pathway_in_industry"
	RuleCoreKPIPresent        = "core_kpi_present"
	RuleNoObsoleteCapacity    = "no_obsolete_capacity"
	RuleReachesBaselineLevel  = "reaches_baseline_level"
	RuleReachesBaselineInTime = "reaches_baseline_in_time"
	RuleAmbition              = "ambition"
	RuleJustTransition        = "just_transition"
	RuleNewCapacity           = "new_capacity_at_benchmark"
)

// Status is the outcome of one eligibility rule.
type Status string

// The rule statuses.
const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Skipped Status = "skipped" // an earlier rule it depends on failed
)

// Check is one rule's outcome with a bilingual explanation.
type Check struct {
	Rule      string
	Status    Status
	MessageZh string
	MessageEn string
}

// Tier grades an eligible borrower by its core KPI's baseline value.
type Tier string

// The tiers.
const (
	Leading       Tier = "leading"       // at or better than the benchmark level
	Advancing     Tier = "advancing"     // at or better than the baseline level
	Transitioning Tier = "transitioning" // worse than the baseline level
	Ineligible    Tier = "ineligible"
)

// Assessment is the result of an eligibility check.
type Assessment struct {
	Eligible  bool
	Tier      Tier
	CoreKPI   string // metric id; "" when the plan has none
	Catalogue Ref
	Industry  *Industry // nil when no industry covers the code
	Pathway   *Pathway  // nil when the pathway is not in the industry
	Checks    []Check
}
