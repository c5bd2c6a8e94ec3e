package pricing

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing/canon"
)

var policyKeys = []string{
	"version", "effective_from", "benchmark", "credit_spread_bp", "tier_adjustment_bp",
	"esg_adjustment_bp", "carbon_grade_adjustment_bp", "ratchet", "limits", "quote_validity_days",
}

// pricedTiers are the tiers every policy must price; an ineligible borrower
// is refused before pricing, so it has no adjustment.
var pricedTiers = []catalog.Tier{catalog.Leading, catalog.Advancing, catalog.Transitioning}

// maxBp bounds every basis-point figure of a policy at 100 percentage
// points: far beyond any real figure, and it keeps arithmetic small.
var maxBp = decimal.NewFromInt(10000)

// ParsePolicy parses and validates a policy document (YAML, or the JSON of
// Policy.Canonical). Unknown keys are refused and every problem is listed
// with its path in one EINVALID error; name only labels the message.
func ParsePolicy(name string, data []byte) (*Policy, error) {
	root, err := parseRoot(data)
	if err != nil {
		return nil, tfpricing.Errorf(tfpricing.EINVALID, "policy document %q: %v", name, err)
	}
	r := &docReader{}
	f := r.fieldsOf(root, "", policyKeys...)
	p := &Policy{
		Version:           r.text(f["version"], "version"),
		EffectiveFrom:     r.date(f["effective_from"], "effective_from"),
		QuoteValidityDays: r.integer(f["quote_validity_days"], "quote_validity_days", 1, 366),
	}
	if b := r.fieldsOf(f["benchmark"], "benchmark", "short", "long", "long_above_months"); b != nil {
		p.Benchmark = Benchmark{
			Short:           r.text(b["short"], "benchmark.short"),
			Long:            r.text(b["long"], "benchmark.long"),
			LongAboveMonths: r.integer(b["long_above_months"], "benchmark.long_above_months", 1, 600),
		}
	}
	p.CreditSpreadBp = r.creditSpreads(f["credit_spread_bp"])
	p.TierAdjustmentBp = r.tierAdjustments(f["tier_adjustment_bp"])
	p.ESGBands = r.esgBands(f["esg_adjustment_bp"])
	p.CarbonGradeAdjustmentBp = r.carbonGrades(f["carbon_grade_adjustment_bp"])
	if x := r.fieldsWithOptional(f["ratchet"], "ratchet", []string{"late_attestation"}, "step_down_bp", "step_up_bp",
		"max_step_down_bp", "max_step_up_bp", "grace_days"); x != nil {
		p.Ratchet = Ratchet{
			StepDownBp:      r.bp(x["step_down_bp"], "ratchet.step_down_bp", false),
			StepUpBp:        r.bp(x["step_up_bp"], "ratchet.step_up_bp", false),
			MaxStepDownBp:   r.bp(x["max_step_down_bp"], "ratchet.max_step_down_bp", false),
			MaxStepUpBp:     r.bp(x["max_step_up_bp"], "ratchet.max_step_up_bp", false),
			GraceDays:       r.integer(x["grace_days"], "ratchet.grace_days", 0, 365),
			LateAttestation: r.lateAttestation(x["late_attestation"], "ratchet.late_attestation"),
		}
	}
	if x := r.fieldsOf(f["limits"], "limits", "max_total_discount_bp", "floor_rate",
		"cap_over_benchmark_bp"); x != nil {
		p.Limits = Limits{
			MaxTotalDiscountBp: r.bp(x["max_total_discount_bp"], "limits.max_total_discount_bp", false),
			FloorRate:          r.rate(x["floor_rate"], "limits.floor_rate"),
			CapOverBenchmarkBp: r.bp(x["cap_over_benchmark_bp"], "limits.cap_over_benchmark_bp", false),
		}
	}
	if err := r.invalidDoc("policy", name); err != nil {
		return nil, err
	}
	p.Canonical = canonicalJSON(p.canonicalForm())
	p.Digest = canon.Digest(p.Canonical)
	return p, nil
}

// bp reads a basis-point figure of at most 4 decimals within ±maxBp;
// signed allows negative values (adjustments), otherwise it must be ≥ 0.
func (r *docReader) bp(n *yaml.Node, path string, signed bool) decimal.Decimal {
	if n == nil {
		return decimal.Zero
	}
	d := r.decimal(n, path)
	switch {
	case d.Exponent() < -4:
		r.fail(path, "scale", "must have at most 4 decimal places")
	case !signed && d.IsNegative():
		r.fail(path, "range", "must not be negative")
	case d.Abs().GreaterThan(maxBp):
		r.fail(path, "range", "must be within ±%s bp", maxBp)
	}
	return d
}

// rate reads a percentage rate from 0 to 100 with at most 4 decimals.
func (r *docReader) rate(n *yaml.Node, path string) decimal.Decimal {
	if n == nil {
		return decimal.Zero
	}
	d := r.decimal(n, path)
	if d.Exponent() < -4 || d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
		r.fail(path, "range", "must be a rate from 0 to 100 percent with at most 4 decimals")
	}
	return d
}

func (r *docReader) creditSpreads(n *yaml.Node) map[string]decimal.Decimal {
	if n == nil {
		return nil
	}
	before := len(r.fields)
	es := r.entries(n, "credit_spread_bp", nil)
	if len(es) == 0 && len(r.fields) == before {
		r.fail("credit_spread_bp", "required", "must price at least one rating")
	}
	out := make(map[string]decimal.Decimal, len(es))
	for _, e := range es {
		if e.key == "" {
			r.fail("credit_spread_bp", "required", "a rating must not be empty")
			continue
		}
		out[e.key] = r.bp(e.val, "credit_spread_bp."+e.key, false)
	}
	return out
}

func (r *docReader) tierAdjustments(n *yaml.Node) map[catalog.Tier]decimal.Decimal {
	if n == nil {
		return nil
	}
	keys := make([]string, len(pricedTiers))
	for i, t := range pricedTiers {
		keys[i] = string(t)
	}
	f := r.fieldsOf(n, "tier_adjustment_bp", keys...)
	out := make(map[catalog.Tier]decimal.Decimal, len(keys))
	for _, t := range pricedTiers {
		if f[string(t)] != nil {
			out[t] = r.bp(f[string(t)], "tier_adjustment_bp."+string(t), true)
		}
	}
	return out
}

func (r *docReader) esgBands(n *yaml.Node) []ESGBand {
	if n == nil {
		return nil
	}
	var bands []ESGBand
	seen := map[int]bool{}
	for i, item := range r.sequence(n, "esg_adjustment_bp") {
		path := fmt.Sprintf("esg_adjustment_bp[%d]", i)
		f := r.fieldsOf(item, path, "min_score", "bp")
		if f == nil {
			continue
		}
		before := len(r.fields)
		b := ESGBand{MinScore: r.integer(f["min_score"], path+".min_score", 0, 100)}
		if len(r.fields) == before && f["min_score"] != nil {
			if seen[b.MinScore] {
				r.fail(path+".min_score", "duplicate", "another band has the same min_score")
			}
			seen[b.MinScore] = true
		}
		b.Bp = r.bp(f["bp"], path+".bp", true)
		bands = append(bands, b)
	}
	if !seen[0] {
		r.fail("esg_adjustment_bp", "required", "needs a band with min_score 0 so every score is priced")
	}
	sort.SliceStable(bands, func(i, j int) bool { return bands[i].MinScore > bands[j].MinScore })
	return bands
}

func (r *docReader) carbonGrades(n *yaml.Node) map[int]decimal.Decimal {
	if n == nil {
		return nil
	}
	f := r.fieldsOf(n, "carbon_grade_adjustment_bp", "1", "2", "3", "4", "5")
	out := make(map[int]decimal.Decimal, 5)
	for g := 1; g <= 5; g++ {
		k := strconv.Itoa(g)
		if f[k] != nil {
			out[g] = r.bp(f[k], "carbon_grade_adjustment_bp."+k, true)
		}
	}
	return out
}

// PolicySet holds every loaded policy version; the one in force on a date is
// the one with the latest effective_from on or before it.
type PolicySet struct {
	byDate []*Policy // ascending effective_from
}

// NewPolicySet builds a set, refusing two versions with the same name or
// the same effective_from (either would make the choice ambiguous).
func NewPolicySet(policies ...*Policy) (*PolicySet, error) {
	s := &PolicySet{byDate: make([]*Policy, 0, len(policies))}
	for _, p := range policies {
		if p == nil {
			continue
		}
		for _, q := range s.byDate {
			if q.Version == p.Version || q.EffectiveFrom == p.EffectiveFrom {
				return nil, tfpricing.Errorf(tfpricing.EINVALID,
					"policy versions %q and %q clash on version or effective_from", q.Version, p.Version)
			}
		}
		s.byDate = append(s.byDate, p)
	}
	sort.Slice(s.byDate, func(i, j int) bool { return s.byDate[i].EffectiveFrom.Before(s.byDate[j].EffectiveFrom) })
	return s, nil
}

// InForce returns the policy in force on d.
func (s *PolicySet) InForce(d tfpricing.Date) (*Policy, bool) {
	i := sort.Search(len(s.byDate), func(i int) bool { return s.byDate[i].EffectiveFrom.After(d) })
	if i == 0 {
		return nil, false
	}
	return s.byDate[i-1], true
}

// Version returns the policy with the given version name.
func (s *PolicySet) Version(v string) (*Policy, bool) {
	for _, p := range s.byDate {
		if p.Version == v {
			return p, true
		}
	}
	return nil, false
}

// All returns the policies by ascending effective_from.
func (s *PolicySet) All() []*Policy {
	return append([]*Policy(nil), s.byDate...)
}

// ByDigest returns the policy whose document has the given digest, without
// the copy All makes (the loan book looks a loan's policy up twice per
// attestation).
func (s *PolicySet) ByDigest(digest string) (*Policy, bool) {
	for _, p := range s.byDate {
		if p.Digest == digest {
			return p, true
		}
	}
	return nil, false
}
