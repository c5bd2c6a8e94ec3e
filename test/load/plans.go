package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// plan draws a borrower, a pathway of its industry and 1–3 of the
// pathway's metrics, with a baseline in baseYear and yearly targets that
// pass every eligibility rule (at or better than the baseline level from
// the first target year, improvement above the pathway's minimum).
func (g *generator) plan(r *rand.Rand, baseYear, years int) quoteBody {
	w := r.IntN(g.total)
	var s segment
	for _, s = range g.segs {
		if w < s.weight {
			break
		}
		w -= s.weight
	}
	pw := s.ind.Pathways[r.IntN(len(s.ind.Pathways))]
	minImp, _ := strconv.ParseFloat(pw.MinImprovementPct, 64)
	code := s.borrowers[r.IntN(len(s.borrowers))]
	b := borrowerBody{
		Name:         nameParts[r.IntN(len(nameParts))] + "某" + map[bool]string{true: "化纤", false: "实业"}[s.industry == "C28"] + "有限公司",
		USCC:         uscc(r),
		IndustryCode: code,
	}
	if s.ind.JustTransitionRequired || r.IntN(2) == 0 {
		jt := 60 + r.IntN(36)
		b.JustTransitionScore = &jt
	}
	n := 1 + r.IntN(3)
	ms := append([]string(nil), pw.Metrics...)
	r.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	if n > len(ms) {
		n = len(ms)
	}
	q := quoteBody{Borrower: b, PathwayID: pw.ID}
	for _, id := range ms[:n] {
		q.KPIs = append(q.KPIs, g.kpi(r, g.metrics[id], minImp, baseYear, years))
	}
	return q
}

func (g *generator) kpi(r *rand.Rand, m metricDef, minImp float64, baseYear, years int) kpiBody {
	bench, _ := strconv.ParseFloat(m.BenchmarkLevel, 64)
	limit, _ := strconv.ParseFloat(m.BaselineLevel, 64)
	lower := m.Direction != "higher_is_better"
	// better(a, b): the better of two values in the metric's direction.
	better := func(a, b float64) float64 {
		if lower == (a < b) {
			return a
		}
		return b
	}
	u := 0.02 + 0.98*r.Float64()
	var base float64
	switch t := r.IntN(20); {
	case t < 12: // transitioning: up to 10 % worse than the limit
		base = limit * (1 + sign(lower)*0.10*u)
	case t < 17: // advancing: between the benchmark and the limit
		base = bench + (limit-bench)*u
	default: // leading: up to 10 % better than the benchmark
		base = bench * (1 - sign(lower)*0.10*u)
	}
	if !lower && strings.Contains(m.Unit, "%") {
		base = math.Min(base, 80)
	}
	imp := (minImp + 2 + 6*r.Float64()) / 100
	final := better(limit, base*(1-sign(lower)*imp))
	if !lower && strings.Contains(m.Unit, "%") {
		final = math.Min(final, 99)
	}
	dec := decimalsFor(limit)
	k := kpiBody{MetricID: m.ID, Baseline: obsBody{Year: baseYear, Value: fmtDec(base, dec)}}
	if years < 1 {
		years = 1
	}
	for j := 1; j <= years; j++ {
		v := base + (final-base)*float64(j)/float64(years)
		v = better(round(v, dec), limit) // every target at or better than the limit
		k.Targets = append(k.Targets, obsBody{Year: baseYear + j, Value: fmtDec(v, dec)})
	}
	return k
}

func sign(lower bool) float64 {
	if lower {
		return 1
	}
	return -1
}

func decimalsFor(level float64) int {
	switch {
	case level >= 100:
		return 1
	case level >= 10:
		return 2
	}
	return 3
}

func round(v float64, dec int) float64 {
	p := math.Pow10(dec)
	return math.Round(v*p) / p
}

func fmtDec(v float64, dec int) string { return strconv.FormatFloat(round(v, dec), 'f', dec, 64) }

var tenors = []int{12, 24, 36, 36, 48, 60, 60, 72, 84}

// priced adds the pricing fields and a facility starting on start.
func (g *generator) priced(r *rand.Rand, q quoteBody, start time.Time) quoteBody {
	rating := ratings[r.IntN(len(ratings))]
	esg := 40 + r.IntN(56)
	q.Borrower.CreditRating, q.Borrower.ESGScore = rating, &esg
	if r.IntN(4) != 0 {
		grade := 1 + r.IntN(5)
		q.Borrower.CarbonEfficiencyGrade = &grade
	}
	tenor := tenors[r.IntN(len(tenors))]
	f := &facilityBody{
		Amount:      strconv.Itoa(500+r.IntN(19500)) + "0000.00", // CNY 5 m – 200 m
		Currency:    "CNY",
		StartDate:   start.Format(time.DateOnly),
		TenorMonths: tenor,
		Repayment:   "equal_principal",
		// Monthly for a third of the book, quarterly for the rest.
		PaymentFrequency: "quarterly",
	}
	if r.IntN(3) == 0 {
		f.PaymentFrequency = "monthly"
	}
	if r.IntN(10) < 3 {
		f.Repayment = "bullet"
	}
	if r.IntN(10) < 3 {
		f.Subsidy = &subsidyBody{RateBp: strconv.Itoa(50 + 25*r.IntN(5)), EndDate: start.AddDate(1, 0, 0).Format(time.DateOnly)}
	}
	q.Facility = f
	return q
}

// quote draws a priced plan starting after today (as_of defaults to the
// business date), with baseline year today.Year()-1.
func (g *generator) quote(r *rand.Rand, today time.Time) quoteBody {
	start := today.AddDate(0, 0, 5+r.IntN(90))
	years := min(5, 1+r.IntN(5))
	q := g.plan(r, today.Year()-1, years)
	return g.priced(r, q, start)
}

// eligibility is a plan without pricing fields.
func (g *generator) eligibility(r *rand.Rand, today time.Time) quoteBody {
	return g.plan(r, today.Year()-1, 1+r.IntN(5))
}

// standardQuote is the reference quote: 5-year quarterly, 2 KPIs
// (PET FDY energy and carbon intensity), three projections.
func standardQuote(today time.Time) quoteBody {
	y := today.Year()
	jt, esg, grade := 72, 70, 3
	return quoteBody{
		Borrower: borrowerBody{Name: "湖州某化纤有限公司", USCC: "91350100M000100Y43", IndustryCode: "C2822",
			JustTransitionScore: &jt, CreditRating: "AA", ESGScore: &esg, CarbonEfficiencyGrade: &grade},
		PathwayID: "C28-P01",
		KPIs: []kpiBody{
			{MetricID: "pet_fdy_energy", Baseline: obsBody{y - 1, "88"}, Targets: []obsBody{{y, "82"}, {y + 1, "78"}, {y + 2, "74"}, {y + 3, "70"}, {y + 4, "66"}}},
			{MetricID: "carbon_intensity", Baseline: obsBody{y - 1, "1.6"}, Targets: []obsBody{{y, "1.5"}, {y + 1, "1.4"}, {y + 2, "1.3"}, {y + 3, "1.2"}, {y + 4, "1.1"}}},
		},
		Facility: &facilityBody{Amount: "50000000.00", Currency: "CNY", StartDate: today.AddDate(0, 0, 21).Format(time.DateOnly),
			TenorMonths: 60, Repayment: "equal_principal", PaymentFrequency: "quarterly",
			Subsidy: &subsidyBody{RateBp: "100", EndDate: today.AddDate(1, 0, 21).Format(time.DateOnly)}},
	}
}

// bookingTerms is a loan to migrate in with full terms: priced as of a day
// in the business date's previous year, starting soon after, with its
// baseline the year before that — so every loan has an SPT for last year
// that a verifier can attest now, and none has matured yet.
func (g *generator) bookingTerms(r *rand.Rand, today time.Time) (quoteBody, []string, []string) {
	prev := today.Year() - 1
	asOf := time.Date(prev, time.June, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(150))
	start := asOf.AddDate(0, 0, 1+r.IntN(60))
	q := g.priced(r, quoteBody{}, start)
	years := max(1, min(5, q.Facility.TenorMonths/12))
	plan := g.plan(r, prev-1, years)
	plan.Borrower.CreditRating, plan.Borrower.ESGScore, plan.Borrower.CarbonEfficiencyGrade =
		q.Borrower.CreditRating, q.Borrower.ESGScore, q.Borrower.CarbonEfficiencyGrade
	plan.Facility = q.Facility
	plan.AsOf = asOf.Format(time.DateOnly)
	var ids, first []string
	for _, k := range plan.KPIs {
		ids = append(ids, k.MetricID)
		first = append(first, k.Targets[0].Value)
	}
	return plan, ids, first
}

// attestation is a verified value near the target (within ±6 %), so
// outcomes mix met and missed.
func attestation(r *rand.Rand, metric, target string, year int) []byte {
	t, _ := strconv.ParseFloat(target, 64)
	dec := 3
	if i := strings.IndexByte(target, '.'); i >= 0 {
		dec = len(target) - i - 1
	} else {
		dec = 0
	}
	v := t * (0.94 + 0.12*r.Float64())
	ev := make([]byte, 32)
	for i := range ev {
		ev[i] = byte(r.UintN(256))
	}
	body := map[string]any{
		"metric_id": metric, "year": year, "value": fmtDec(v, dec),
		"verifier":        map[string]string{"name": verifiers[r.IntN(len(verifiers))], "accreditation": fmt.Sprintf("CNAS C%03d-M", 1+r.IntN(300))},
		"evidence_sha256": fmt.Sprintf("%x", ev),
	}
	b, _ := json.Marshal(body)
	return b
}

var verifiers = []string{"浙江某认证有限公司", "中环联合（北京）认证中心", "杭州某碳核查中心", "中国质量认证中心浙江分中心"}

// uscc draws a valid unified social credit code (GB 32100-2015): 91
// (enterprise, industrial and commercial registration), a Huzhou division
// code, nine organisation-code characters and the check character.
func uscc(r *rand.Rand) string {
	const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	var b strings.Builder
	b.WriteString("91")
	b.WriteString(cityCodes[r.IntN(len(cityCodes))])
	for i := 0; i < 9; i++ {
		if i == 8 || r.IntN(4) != 0 {
			b.WriteByte(charset[r.IntN(10)])
		} else {
			b.WriteByte(charset[10+r.IntN(21)])
		}
	}
	s := b.String()
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(charset, s[i]) * weights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return s + string(charset[c])
}
