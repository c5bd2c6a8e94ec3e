package catalog

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// The rule messages are built by concatenation (fmt.Sprintf was ≈ 9 % of
// an eligibility request). They are part of every eligibility response and
// of the assessments recorded in quote decisions, so they must not change
// by a byte: this test holds AssessWith to the reference written with the
// original fmt.Sprintf formats (assess_ref_test.go) on random plans drawn
// from every shipped catalogue version, reaching every branch of every rule
// (it fails if one is never reached).
func TestAssessMessagesMatchSprintf(t *testing.T) {
	paths, err := filepath.Glob("../configs/catalog/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no shipped catalogues: %v", err)
	}
	rng := rand.New(rand.NewPCG(18, 6))
	var seen []string // rule, status and message of every check compared
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Parse(p, b)
		if err != nil {
			t.Fatalf("Parse(%s): %v", p, err)
		}
		for range 3000 {
			plan := randomPlan(rng, c)
			for _, set := range []RuleSet{EightRules, RulesWithNewCapacity} {
				got, want := c.AssessWith(plan, set), refAssessWith(c, plan, set)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, rules %d, plan %+v:\n got %+v\nwant %+v", p, set, plan, got.Checks, want.Checks)
				}
				for _, ch := range got.Checks {
					seen = append(seen, ch.Rule+" "+string(ch.Status)+" "+ch.MessageEn)
				}
			}
		}
	}
	// Every rule's pass, fail and skip was compared, and each message form
	// (a rule with several fail messages counts each one, told apart by
	// how the message begins).
	for _, key := range []string{
		RuleIndustryCovered + " pass industry code C",
		RuleIndustryCovered + " fail industry code \"",
		RulePathwayInIndustry + " pass pathway C",
		RulePathwayInIndustry + " fail pathway \"",
		RulePathwayInIndustry + " skipped not assessed: it",
		RuleCoreKPIPresent + " pass the core KPI",
		RuleCoreKPIPresent + " fail no KPI of",
		RuleReachesBaselineLevel + " pass final target",
		RuleReachesBaselineLevel + " fail final target",
		RuleReachesBaselineLevel + " fail the core KPI",
		RuleReachesBaselineInTime + " pass the 20",
		RuleReachesBaselineInTime + " fail the first target",
		RuleReachesBaselineInTime + " fail no target reaches",
		RuleAmbition + " pass final target",
		RuleAmbition + " fail final target",
		RuleAmbition + " fail the core KPI",
		RuleJustTransition + " pass industry C",
		RuleJustTransition + " pass just-transition score",
		RuleJustTransition + " fail industry C",
		RuleJustTransition + " fail just-transition score",
		RuleNewCapacity + " pass the borrower declares",
		RuleNewCapacity + " pass new or expanded",
		RuleNewCapacity + " fail new or expanded",
		RuleNewCapacity + " fail the core KPI",
	} {
		if !slices.ContainsFunc(seen, func(s string) bool { return strings.HasPrefix(s, key) }) {
			t.Errorf("never reached: %s", key)
		}
	}
}

// randomPlan draws a plan around c's figures: known and unknown industry
// codes and pathways, the pathway's metrics or others, values on both sides
// of the levels (and on them), zero to three targets, any score.
func randomPlan(rng *rand.Rand, c *Catalogue) Plan {
	var p Plan
	ind := &c.Industries[rng.IntN(len(c.Industries))]
	switch rng.IntN(8) {
	case 0:
		p.Borrower.IndustryCode = "Z9" + string(rune('0'+rng.IntN(10)))
	default:
		p.Borrower.IndustryCode = ind.Code
	}
	switch rng.IntN(8) {
	case 0:
		p.PathwayID = "P-NONE"
	default:
		if len(ind.Pathways) > 0 {
			p.PathwayID = ind.Pathways[rng.IntN(len(ind.Pathways))].ID
		}
	}
	if rng.IntN(3) > 0 {
		s := rng.IntN(101)
		p.Borrower.JustTransitionScore = &s
	}
	p.Borrower.ObsoleteCapacity = rng.IntN(6) == 0
	p.Borrower.NewCapacity = rng.IntN(2) == 0
	var ids []string
	for _, pw := range ind.Pathways {
		ids = append(ids, pw.Metrics...)
	}
	ids = append(ids, "custom_metric")
	var level decimal.Decimal
	for range rng.IntN(3) + rng.IntN(2) {
		id := ids[rng.IntN(len(ids))]
		if m, ok := c.Metric(ind, id); ok {
			level = m.BaselineLevel
			if rng.IntN(2) == 0 {
				level = m.BenchmarkLevel
			}
		}
		k := KPI{MetricID: id, Baseline: Observation{Year: 2020 + rng.IntN(6), Value: near(rng, level)}}
		year := k.Baseline.Year
		for range rng.IntN(4) {
			year += 1 + rng.IntN(4)
			k.Targets = append(k.Targets, Observation{Year: year, Value: near(rng, level)})
		}
		p.KPIs = append(p.KPIs, k)
	}
	return p
}

// near is v scaled by 0.5–1.5 in steps of 0.05 (1 often, to land on it),
// or zero now and then.
func near(rng *rand.Rand, v decimal.Decimal) decimal.Decimal {
	switch rng.IntN(10) {
	case 0:
		return decimal.Zero
	case 1, 2:
		return v
	}
	return v.Mul(decimal.New(int64(50+5*rng.IntN(21)), -2))
}
