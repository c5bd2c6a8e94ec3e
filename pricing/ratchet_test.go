package pricing

import (
	"strings"
	"testing"

	"tfpricing/catalog"
)

// The ratchet loan: 3 years quarterly from 2024-01-01, so periods start on
// 2024-01-01, 04-01, 07-01, 10-01, 2025-01-01, … 2026-10-01. The due date
// of year 2023 is 2024-04-29 (2023-12-31 + 120 days), of 2024 2025-04-30.
func ratchetInput(t testing.TB, asOf string, kpis []KPI, atts ...Attestation) Input {
	terms := appendixTerms()
	terms.Facility.StartDate = day("2024-01-01")
	terms.KPIs = kpis
	return Input{Terms: terms, Policy: shippedPolicy(t), Curve: shippedCurve(t), Attestations: atts, AsOf: day(asOf)}
}

func lowerKPI(metric string, targets ...string) KPI {
	return kpiOf(metric, catalog.LowerIsBetter, targets...)
}

// kpiOf builds a KPI from "YEAR:VALUE" targets.
func kpiOf(metric string, dir catalog.Direction, targets ...string) KPI {
	k := KPI{KPI: catalog.KPI{MetricID: metric, Direction: dir}}
	for _, s := range targets {
		y, v, _ := strings.Cut(s, ":")
		year := 0
		for _, c := range y {
			year = year*10 + int(c-'0')
		}
		k.Targets = append(k.Targets, catalog.Observation{Year: year, Value: dec(v)})
	}
	return k
}

func att(id string, seq uint64, metric string, year int, value, accepted string) Attestation {
	return Attestation{ID: id, Seq: seq, MetricID: metric, Year: year, Value: dec(value), AcceptedOn: day(accepted)}
}

// ks lists K of every period.
func ks(t testing.TB, in Input) string {
	t.Helper()
	s, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(s.Lines))
	for i, l := range s.Lines {
		out[i] = FormatBp(l.RatchetBp)
	}
	return strings.Join(out, " ")
}

func TestRatchet(t *testing.T) {
	pet := lowerKPI("pet", "2023:80", "2024:74")
	own := lowerKPI("own", "2023:80", "2024:74")
	down, up := dec("20"), dec("8")
	own.StepDownBp, own.StepUpBp = &down, &up
	water := kpiOf("water_reuse", catalog.HigherIsBetter, "2023:40")
	cases := []struct {
		name string
		in   Input
		want string
	}{
		// A value equal to the target is met ("at or better"): -10 from the
		// first period starting on or after 2024-02-15, until 2024, never
		// attested, is not_reported on 2025-05-01: +5 from 2025-07-01.
		{"met", ratchetInput(t, "2026-11-27", []KPI{pet}, att("a", 1, "pet", 2023, "80", "2024-02-15")),
			"0 -10 -10 -10 -10 -10 5 5 5 5 5 5"},
		// Just worse than the target is missed: +5; 2024 then not_reported
		// on 2025-05-01 keeps +5 from 2025-07-01.
		{"missed", ratchetInput(t, "2026-11-27", []KPI{pet}, att("a", 1, "pet", 2023, "80.01", "2024-02-15")),
			"0 5 5 5 5 5 5 5 5 5 5 5"},
		// Accepted 2024-05-10, after the 2024-04-29 due date: late, no
		// effect even though the value meets the target; 2023 is
		// not_reported on 2024-04-30, so +5 from 2024-07-01.
		{"late first attestation", ratchetInput(t, "2026-11-27", []KPI{lowerKPI("pet", "2023:80")},
			att("a", 1, "pet", 2023, "70", "2024-05-10")),
			"0 0 5 5 5 5 5 5 5 5 5 5"},
		// As of the due date itself the year is still pending: no change.
		{"pending until due", ratchetInput(t, "2024-04-29", []KPI{lowerKPI("pet", "2023:80")}),
			"0 0 0 0 0 0 0 0 0 0 0 0"},
		// On time but missed (2024-03-01), then a correction to met on
		// 2024-08-15, well after the due date: corrections count whatever
		// their date, from the first period starting after them.
		{"correction after due date", ratchetInput(t, "2026-11-27", []KPI{lowerKPI("pet", "2023:80")},
			att("a", 1, "pet", 2023, "85", "2024-03-01"), att("b", 2, "pet", 2023, "79", "2024-08-15")),
			"0 5 5 -10 -10 -10 -10 -10 -10 -10 -10 -10"},
		// Two KPIs with their own steps: own (20 down, 8 up) met and pet
		// (policy 10/5) missed for 2023 → -20 + 5 = -15 from 2024-04-01; for
		// 2024 own missed and pet met on 2025-02-01 → 8 - 10 = -2 from
		// 2025-04-01.
		{"two KPIs with different steps", ratchetInput(t, "2026-11-27", []KPI{own, pet},
			att("o23", 1, "own", 2023, "79", "2024-03-01"), att("p23", 2, "pet", 2023, "81", "2024-03-01"),
			att("o24", 3, "own", 2024, "75", "2025-02-01"), att("p24", 4, "pet", 2024, "74", "2025-02-01")),
			"0 -15 -15 -15 -15 -2 -2 -2 -2 -2 -2 -2"},
		// Accepted exactly on a period's start date: it governs that period.
		{"determination on a period start", ratchetInput(t, "2026-11-27", []KPI{lowerKPI("pet", "2023:80")},
			att("a", 1, "pet", 2023, "70", "2024-04-01")),
			"0 -10 -10 -10 -10 -10 -10 -10 -10 -10 -10 -10"},
		// As of 2024-03-31 the attestation of 2024-04-01 is not known yet.
		{"as of before the attestation", ratchetInput(t, "2024-03-31", []KPI{lowerKPI("pet", "2023:80")},
			att("a", 1, "pet", 2023, "70", "2024-04-01")),
			"0 0 0 0 0 0 0 0 0 0 0 0"},
		// Higher is better: 40 against a target of 40 is met.
		{"higher is better met", ratchetInput(t, "2026-11-27", []KPI{water},
			att("a", 1, "water_reuse", 2023, "40", "2024-02-01")),
			"0 -10 -10 -10 -10 -10 -10 -10 -10 -10 -10 -10"},
		// …and 39.99 is missed.
		{"higher is better missed", ratchetInput(t, "2026-11-27", []KPI{water},
			att("a", 1, "water_reuse", 2023, "39.99", "2024-02-01")),
			"0 5 5 5 5 5 5 5 5 5 5 5"},
		// 2023 met, 2024 missed (2025-03-01), then a 2023 correction to
		// missed on 2025-06-01: 2024 is the latest year with a
		// determination, so the 2023 correction changes nothing.
		{"latest year governs", ratchetInput(t, "2026-11-27", []KPI{pet},
			att("a", 1, "pet", 2023, "79", "2024-03-01"), att("b", 2, "pet", 2024, "75", "2025-03-01"),
			att("c", 3, "pet", 2023, "90", "2025-06-01")),
			"0 -10 -10 -10 -10 5 5 5 5 5 5 5"},
		// Same day, given out of order: seq 3 (missed) is the on-time one,
		// seq 5 (met) its correction, so met governs.
		{"same day ordered by seq", ratchetInput(t, "2026-11-27", []KPI{lowerKPI("pet", "2023:80")},
			att("late-seq", 5, "pet", 2023, "79", "2024-03-01"), att("early-seq", 3, "pet", 2023, "81", "2024-03-01")),
			"0 -10 -10 -10 -10 -10 -10 -10 -10 -10 -10 -10"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ks(t, c.in); got != c.want {
				t.Errorf("K\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestRatchetStatuses(t *testing.T) {
	in := ratchetInput(t, "2026-11-27", []KPI{lowerKPI("pet", "2023:80", "2024:74")},
		att("c", 3, "pet", 2023, "79", "2024-09-01"), // correction, after due
		att("a", 1, "pet", 2023, "81", "2024-03-01"), // on time, missed
		att("l", 2, "pet", 2024, "70", "2025-05-02"), // after 2025-04-30: late
		att("m", 4, "pet", 2024, "70", "2025-06-01"), // after a late one: late
		att("f", 5, "pet", 2024, "70", "2027-01-05")) // after as_of: unknown
	s, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range s.Attestations {
		got = append(got, a.ID+":"+string(a.Status)+":"+string(a.Outcome))
	}
	if want := "a:on_time:missed c:correction:met l:late: m:late:"; strings.Join(got, " ") != want {
		t.Errorf("statuses %s, want %s", strings.Join(got, " "), want)
	}
	var spts []string
	for _, p := range s.SPTs {
		spts = append(spts, string(p.Outcome)+"@"+p.DeterminedOn.String()+"#"+p.AttestationID)
	}
	if want := "met@2024-09-01#c not_reported@2025-05-01#"; strings.Join(spts, " ") != want {
		t.Errorf("SPTs %s, want %s", strings.Join(spts, " "), want)
	}
}
