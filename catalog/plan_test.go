package catalog_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

// fieldCodes renders an error's field errors as "field=code" lines, or "" for
// nil, failing the test for any error that is not a tfpricing EINVALID.
func fieldCodes(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *tfpricing.Error
	if !errors.As(err, &e) || e.Code != tfpricing.EINVALID {
		t.Fatalf("error %v is not a tfpricing EINVALID error", err)
	}
	lines := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		if f.Message == "" {
			t.Errorf("%s has no message", f.Field)
		}
		lines = append(lines, f.Field+"="+f.Code)
	}
	return strings.Join(lines, "\n")
}

func validPlan() catalog.Plan {
	return plan("C2822", "C28-P01", score(72), kpi("pet_fdy_energy", "2025:88", "2026:82", "2027:76"))
}

func TestPlanValidateEveryField(t *testing.T) {
	p := catalog.Plan{
		Borrower: catalog.Borrower{
			USCC:                "91350100M000100Y44", // the valid code's check character is 3
			IndustryCode:        "c2822",
			JustTransitionScore: score(101),
		},
		KPIs: []catalog.KPI{
			{MetricID: "", Baseline: obs(1989, "-1"), Targets: []catalog.Observation{obs(2026, "5"), obs(2026, "-2")}},
			{MetricID: "fdy", Direction: "sideways", Baseline: obs(2025, "1")}, // direction: ResolveKPIs' business
			{MetricID: "fdy", Baseline: obs(2025, "1"), Targets: []catalog.Observation{obs(2025, "1")}},
		},
	}
	want := strings.Join([]string{
		"borrower.uscc=check_character",
		"borrower.industry_code=invalid",
		"borrower.just_transition_score=out_of_range",
		"pathway_id=required",
		"kpis[0].metric_id=required",
		"kpis[0].baseline.year=out_of_range",
		"kpis[0].baseline.value=out_of_range",
		"kpis[0].targets[1].year=not_increasing",
		"kpis[0].targets[1].value=out_of_range",
		"kpis[1].targets=required",
		"kpis[2].metric_id=duplicate",
		"kpis[2].targets[0].year=not_increasing",
	}, "\n")
	if got := fieldCodes(t, p.Validate()); got != want {
		t.Errorf("field errors:\n%s\nwant:\n%s", got, want)
	}
}

func TestPlanValidateCases(t *testing.T) {
	many := func(n int) []catalog.KPI {
		ks := make([]catalog.KPI, n)
		for i := range ks {
			ks[i] = kpi(fmt.Sprintf("m%d", i), "2025:1", "2026:1")
		}
		return ks
	}
	manyTargets := kpi("pet_fdy_energy", "2025:88")
	for y := 2026; y < 2026+51; y++ {
		manyTargets.Targets = append(manyTargets.Targets, obs(y, "80"))
	}
	cases := []struct {
		name string
		edit func(*catalog.Plan)
		want string
	}{
		{"valid", func(*catalog.Plan) {}, ""},
		{"score boundaries 0", func(p *catalog.Plan) { p.Borrower.JustTransitionScore = score(0) }, ""},
		{"score boundaries 100", func(p *catalog.Plan) { p.Borrower.JustTransitionScore = score(100) }, ""},
		{"no score", func(p *catalog.Plan) { p.Borrower.JustTransitionScore = nil }, ""},
		{"negative score", func(p *catalog.Plan) { p.Borrower.JustTransitionScore = score(-1) }, "borrower.just_transition_score=out_of_range"},
		{"uscc missing", func(p *catalog.Plan) { p.Borrower.USCC = "" }, "borrower.uscc=required"},
		{"uscc lower case", func(p *catalog.Plan) { p.Borrower.USCC = "91350100m000100Y43" }, "borrower.uscc=invalid"},
		{"uscc short", func(p *catalog.Plan) { p.Borrower.USCC = "91350100M000100Y4" }, "borrower.uscc=invalid"},
		{"industry code missing", func(p *catalog.Plan) { p.Borrower.IndustryCode = "" }, "borrower.industry_code=required"},
		{"industry code one digit", func(p *catalog.Plan) { p.Borrower.IndustryCode = "C2" }, "borrower.industry_code=invalid"},
		{"industry code five digits", func(p *catalog.Plan) { p.Borrower.IndustryCode = "C28221" }, "borrower.industry_code=invalid"},
		{"industry code section U", func(p *catalog.Plan) { p.Borrower.IndustryCode = "U28" }, "borrower.industry_code=invalid"},
		{"no KPIs", func(p *catalog.Plan) { p.KPIs = nil }, "kpis=required"},
		{"20 KPIs", func(p *catalog.Plan) { p.KPIs = many(20) }, ""},
		{"21 KPIs", func(p *catalog.Plan) { p.KPIs = many(21) }, "kpis=too_many"},
		{"51 targets", func(p *catalog.Plan) { p.KPIs = []catalog.KPI{manyTargets} }, "kpis[0].targets=too_many"},
		{"baseline year 2101", func(p *catalog.Plan) { p.KPIs[0].Baseline.Year = 2101 }, "kpis[0].baseline.year=out_of_range"},
		{"target year 2101", func(p *catalog.Plan) { p.KPIs[0].Targets[1].Year = 2101 }, "kpis[0].targets[1].year=out_of_range"},
		{"baseline year 1990", func(p *catalog.Plan) { p.KPIs[0].Baseline.Year = 1990 }, ""},
		{"baseline year 1989", func(p *catalog.Plan) { p.KPIs[0].Baseline.Year = 1989 }, "kpis[0].baseline.year=out_of_range"},
		{"target year 2100", func(p *catalog.Plan) { p.KPIs[0].Targets[1].Year = 2100 }, ""},
		{"target year 1989", func(p *catalog.Plan) { p.KPIs[0].Targets[0].Year = 1989 }, "kpis[0].targets[0].year=out_of_range"},
		{"target year equal to the previous", func(p *catalog.Plan) { p.KPIs[0].Targets[1].Year = 2026 }, "kpis[0].targets[1].year=not_increasing"},
		{"negative target value", func(p *catalog.Plan) { p.KPIs[0].Targets[1].Value = dec("-0.1") }, "kpis[0].targets[1].value=out_of_range"},
		{"zero values allowed", func(p *catalog.Plan) { p.KPIs[0].Targets[1].Value = dec("0") }, ""},
		{"stated direction valid", func(p *catalog.Plan) { p.KPIs[0].Direction = catalog.LowerIsBetter }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := validPlan()
			tc.edit(&p)
			if got := fieldCodes(t, p.Validate()); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPlanValidateMessages(t *testing.T) {
	p := validPlan()
	p.Borrower.USCC = "91350100m000100Y43"
	var e *tfpricing.Error
	if !errors.As(p.Validate(), &e) || len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, "upper case") {
		t.Fatalf("lower-case USCC: want one field error saying upper case is required, got %+v", e)
	}
}

func TestResolveKPIs(t *testing.T) {
	c := testCatalogue(t)
	c28, _ := c.IndustryByCode("C28")
	custom := catalog.KPI{MetricID: "solar_share", Name: "Rooftop solar share", Unit: "%", Direction: catalog.HigherIsBetter}
	cases := []struct {
		name     string
		industry *catalog.Industry
		kpi      catalog.KPI
		want     string // field errors, or "name|unit|direction|custom" of the resolved KPI
	}{
		{"industry metric", c28, kpi("fdy", "2024:90", "2025:80"), "FDY energy|kgce/t|lower_is_better|false"},
		{"catalogue-level metric", c28, kpi("carbon_intensity", "2024:2", "2025:1"), "Carbon intensity|tCO2/万元|lower_is_better|false"},
		{"catalogue-level metric, no industry", nil, kpi("carbon_intensity", "2024:2", "2025:1"), "Carbon intensity|tCO2/万元|lower_is_better|false"},
		{"matching statements accepted", c28, catalog.KPI{MetricID: "fdy", Unit: "kgce/t", Direction: catalog.LowerIsBetter}, "FDY energy|kgce/t|lower_is_better|false"},
		{"contradicting direction", c28, catalog.KPI{MetricID: "fdy", Direction: catalog.HigherIsBetter}, "kpis[0].direction=mismatch"},
		{"contradicting unit", c28, catalog.KPI{MetricID: "fdy", Unit: "kgce/100 m"}, "kpis[0].unit=mismatch"},
		{"custom KPI", c28, custom, "Rooftop solar share|%|higher_is_better|true"},
		{"custom KPI states nothing", c28, catalog.KPI{MetricID: "solar_share"}, "kpis[0].name=required\nkpis[0].unit=required\nkpis[0].direction=required"},
		{"custom KPI bad direction", c28, catalog.KPI{MetricID: "x", Name: "X", Unit: "t", Direction: "up"}, "kpis[0].direction=invalid"},
		// Another industry's metric is not a catalogue metric for this borrower.
		{"metric of another industry", c28, catalog.KPI{MetricID: "reuse"}, "kpis[0].name=required\nkpis[0].unit=required\nkpis[0].direction=required"},
		{"industry metric without industry", nil, catalog.KPI{MetricID: "fdy"}, "kpis[0].name=required\nkpis[0].unit=required\nkpis[0].direction=required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := []catalog.KPI{tc.kpi}
			out, err := c.ResolveKPIs(tc.industry, in)
			got := fieldCodes(t, err)
			if err == nil {
				k := out[0]
				got = fmt.Sprintf("%s|%s|%s|%v", k.Name, k.Unit, k.Direction, k.Custom)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if in[0].Name != tc.kpi.Name || in[0].Custom {
				t.Errorf("ResolveKPIs changed its input: %+v", in[0])
			}
		})
	}
}

func TestResolveKPIsReportsEveryKPI(t *testing.T) {
	c := testCatalogue(t)
	_, err := c.ResolveKPIs(nil, []catalog.KPI{
		kpi("carbon_intensity", "2024:2", "2025:1"),
		{MetricID: "a", Name: "A", Unit: "t"},
		{MetricID: "b", Unit: "t", Direction: catalog.LowerIsBetter},
	})
	if got, want := fieldCodes(t, err), "kpis[1].direction=required\nkpis[2].name=required"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
