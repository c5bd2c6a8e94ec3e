package pricing

import (
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

// line is a period of a hand-made schedule: the builder only reads dates,
// opening principal, rate, ratchet and interest.
func pline(start, end, opening, rate, ratchet, interest string) Line {
	return Line{Start: day(start), End: day(end), OpeningPrincipal: dec(opening), Rate: dec(rate),
		RatchetBp: dec(ratchet), Interest: dec(interest)}
}

func withInterest(s Schedule, interest ...string) Schedule {
	out := s
	out.Lines = append([]Line(nil), s.Lines...)
	for i, v := range interest {
		out.Lines[i].Interest = dec(v)
	}
	return out
}

// threeLoanBook: A and B active on 2027-01-15, C matured in 2026.
func threeLoanBook() []PortfolioLoan {
	a := Schedule{Lines: []Line{
		pline("2026-07-01", "2026-10-01", "1000000.00", "3.5000", "0", "8944.44"),
		pline("2026-10-01", "2027-04-01", "500000.00", "3.3999", "-10", "100.00"),
		pline("2027-04-01", "2028-04-01", "250000.00", "3.3999", "-10", "50.00"),
	}, SPTs: []SPTStatus{
		{MetricID: "m1", Year: 2026, Outcome: Met, AttestationID: "A-1"},
		{MetricID: "m1", Year: 2027, Outcome: Pending, DueDate: day("2027-04-30")},
	}, Attestations: []AttestationStatus{{ID: "A-0", Status: OnTime}, {ID: "A-1", Status: Correction}}}
	b := Schedule{Lines: []Line{
		pline("2026-01-15", "2027-01-15", "400000.00", "3.1000", "0", "7777.77"),
		pline("2027-01-15", "2028-01-15", "300000.00", "3.0003", "5", "9000.00"),
	}, SPTs: []SPTStatus{
		{MetricID: "m2", Year: 2026, Outcome: Missed, AttestationID: "A-2"},
		{MetricID: "m2", Year: 2027, Outcome: Pending, DueDate: day("2027-05-16")},
		{MetricID: "m3", Year: 2026, Outcome: NotReported},
		{MetricID: "m3", Year: 2027, Outcome: Pending, DueDate: day("2027-05-15")},
	}, Attestations: []AttestationStatus{{ID: "A-2", Status: Late}}}
	c := Schedule{Lines: []Line{pline("2025-01-01", "2026-01-01", "100000.00", "3.0000", "0", "3000.00")},
		SPTs: []SPTStatus{{MetricID: "m9", Year: 2025, Outcome: Met}}}
	return []PortfolioLoan{
		{LoanID: "L-A", IndustryCode: "C2822", PathwayID: "P1", Tier: "transitioning", CreditRating: "AA",
			PolicyVersion: "2026.1", Current: a, AllMet: withInterest(a, "8944.44", "90.00", "40.00"),
			NoneMet:   withInterest(a, "8944.44", "110.00", "60.00"),
			Emissions: &LoanEmissions{Year: 2026, Attributed: dec("6000.000"), DataQuality: 1}},
		{LoanID: "L-B", IndustryCode: "C2822", PathwayID: "P2", Tier: "advancing", CreditRating: "AAA",
			PolicyVersion: "2027.1", Current: b, AllMet: withInterest(b, "7777.77", "8500.00"),
			NoneMet: withInterest(b, "7777.77", "9500.00"), Emissions: &LoanEmissions{Year: 2026, Missing: true}},
		{LoanID: "L-C", IndustryCode: "C3011", PathwayID: "P9", Tier: "transitioning", CreditRating: "A",
			PolicyVersion: "2026.1", Current: c, AllMet: c, NoneMet: c},
	}
}

// The three-loan book on 2027-01-15, worked by hand:
//   - A is in its second period (ends 2027-04-01): 500,000.00 outstanding at
//     3.3999 % with a −10 bp ratchet. B's first period ends on the date itself,
//     so its second is in force: 300,000.00 at 3.0003 %, +5 bp. C matured.
//   - Outstanding 800,000.00; C2822 holds both.
//   - Weighted rate (500,000 × 3.3999 + 300,000 × 3.0003) ÷ 800,000 =
//     (1,699,950 + 900,090) ÷ 800,000 = 3.25005 exactly: the tie rounds up to
//     3.2501. Ratchet (−5,000,000 + 1,500,000) ÷ 800,000 = −4.375, a tie
//     rounded away from zero: −4.38.
//   - Income, the window (2027-01-15, 2028-01-15]: A's period 2 (100.00) is
//     in it, period 3 (ends 2028-04-01) only to maturity; B's period 1 ends on
//     the date (out), period 2 ends on the horizon (in). Current 100 + 9,000 =
//     9,100.00 / to maturity 150 + 9,000 = 9,150.00; all met 90 + 8,500 =
//     8,590.00 / 8,630.00; none met 110 + 9,500 = 9,610.00 / 9,670.00.
//   - KPIs: 2026 met 1 (corrected), missed 1 (late), not reported 1; 2027
//     three pending. C's are not counted: it is matured.
//   - Deadlines within 120 days (to 2027-05-15 inclusive): m1 2027 of A on
//     2027-04-30 and m3 2027 of B on 2027-05-15; B's m2, due 2027-05-16, is a
//     day outside.
func TestPortfolioThreeLoans(t *testing.T) {
	b := NewPortfolioBuilder(PortfolioOptions{AsOf: day("2027-01-15"), DueWithinDays: 120})
	for _, l := range threeLoanBook() {
		b.Add(l)
	}
	p := b.Result()
	eq := func(name string, got decimal.Decimal, want string) {
		t.Helper()
		if got.String() != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if p.Loans != 2 || p.Matured != 1 {
		t.Errorf("loans %d matured %d, want 2 and 1", p.Loans, p.Matured)
	}
	eq("outstanding", p.Outstanding, "800000")
	eq("weighted rate", p.WeightedRate, "3.2501")
	eq("weighted ratchet", p.WeightedRatchetBp, "-4.38")
	if len(p.ByIndustry) != 1 || p.ByIndustry[0].Key != "C2822" || p.ByIndustry[0].Loans != 2 {
		t.Errorf("by industry %+v", p.ByIndustry)
	}
	if len(p.ByTier) != 2 || p.ByTier[0].Key != "advancing" || p.ByTier[1].Outstanding.String() != "500000" {
		t.Errorf("by tier %+v", p.ByTier)
	}
	if len(p.ByPolicy) != 2 || p.ByPolicy[0].Key != "2026.1" || p.ByPolicy[0].Outstanding.String() != "500000" {
		t.Errorf("by policy %+v", p.ByPolicy)
	}
	for proj, want := range map[Projection][2]string{Current: {"9100", "9150"}, AllMet: {"8590", "8630"}, NoneMet: {"9610", "9670"}} {
		eq(string(proj)+" next 12 months", p.Income[proj].Next12Months, want[0])
		eq(string(proj)+" to maturity", p.Income[proj].ToMaturity, want[1])
	}
	// Financed emissions: A has 6,000 t attributed on 500,000.00 outstanding
	// (50 万元): 6,000 ÷ 50 = 120 t per 万元, PCAF 1; B has no attestation and
	// is counted missing, not estimated; C is matured.
	if fe := p.Emissions; fe.Loans != 2 || fe.Missing != 1 || fe.Attributed.String() != "6000" ||
		fe.Intensity.StringFixed(6) != "120.000000" || fe.DataQuality.StringFixed(2) != "1.00" {
		t.Errorf("financed emissions %+v", fe)
	}
	if len(p.EmissionsBy) != 1 || p.EmissionsBy[0].IndustryCode != "C2822" || p.EmissionsBy[0].Missing != 1 {
		t.Errorf("financed emissions by industry %+v", p.EmissionsBy)
	}
	wantYears := []KPIYear{{Year: 2026, Met: 1, Missed: 1, NotReported: 1, Late: 1, Corrected: 1}, {Year: 2027, Pending: 3}}
	if !reflect.DeepEqual(p.KPIStatus, wantYears) {
		t.Errorf("KPI status %+v, want %+v", p.KPIStatus, wantYears)
	}
	wantDue := []Deadline{{DueDate: day("2027-04-30"), MetricID: "m1", Year: 2027, LoanIDs: []string{"L-A"}},
		{DueDate: day("2027-05-15"), MetricID: "m3", Year: 2027, LoanIDs: []string{"L-B"}}}
	if !reflect.DeepEqual(p.Deadlines, wantDue) {
		t.Errorf("deadlines %+v, want %+v", p.Deadlines, wantDue)
	}
}

// An empty book has zero averages rather than a division by zero.
func TestPortfolioEmpty(t *testing.T) {
	p := NewPortfolioBuilder(PortfolioOptions{AsOf: day("2027-01-15")}).Result()
	if p.Loans != 0 || !p.WeightedRate.IsZero() || !p.WeightedRatchetBp.IsZero() || len(p.Deadlines) != 0 {
		t.Errorf("empty portfolio %+v", p)
	}
}
