"""Golden schedule cases: inputs and why each exists.

Decimals are strings; KPI targets (spts) are "YEAR:VALUE" pairs; attestations are
{metric, year, value, accepted, seq}; "projection" is current (default),
all_met or none_met; "assumed_lpr" lists scenario fixings (date, 1Y, 5Y);
"policy_version" is 2026.1 (default) or 2027.1 (grace_days 181,
late_attestation cure); "policy" overrides figures of that policy (cap,
floor in this file).
"""

PET = "pet_fdy_energy"
CI = "carbon_intensity"


def kpi(metric, targets, direction="lower_is_better", **steps):
    return dict(metric=metric, spts=targets, direction=direction, **steps)


def att(metric, year, value, accepted, seq):
    return dict(metric=metric, year=year, value=value, accepted=accepted, seq=seq)


CASES = [
    dict(name="appendix_a", why="""
DESIGN.md Appendix A, recomputed: AA (50), transitioning (-10), ESG 70 (-10),
grade 3 (0); 2023 met on 2024-03-15 (K -10 from 2024-04-01), 2024 missed on
2025-03-01 (K +5 from 2025-04-01), 2025 not_reported on 2026-05-01 after the
last period starts. Anniversaries pick up 3.45 (2024) and 3.00 (2025).""",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="50000000.00",
         start="2023-07-01", tenor=36, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2023:80 2024:74 2025:68")],
         atts=[att(PET, 2023, "79", "2024-03-15", 1), att(PET, 2024, "76", "2025-03-01", 2)],
         as_of="2026-11-27"),
    dict(name="quarterly_3y_lpr_change", why="""
3-year quarterly equal_principal loan started 2024-03-15: the 2024-07-22 and
2024-10-21 LPR cuts reach it only at the 2025-03-15 anniversary (3.10), the
2025-05-20 cut at 2026-03-15 (3.00). AA- (70), advancing (-20), ESG 82 (-15),
grade 2 (-5). 2024 met on 2025-02-10 (K -10 from 2025-03-15); 2025 has no
attestation, so not_reported on 2026-05-01 supersedes it (K +5 from
2026-06-15).""",
         tier="advancing", rating="AA-", esg=82, carbon=2, amount="30000000.00",
         start="2024-03-15", tenor=36, freq=3, repayment="equal_principal",
         kpis=[kpi(CI, "2024:1.20 2025:1.10 2026:1.00")],
         atts=[att(CI, 2024, "1.15", "2025-02-10", 1)], as_of="2026-11-27"),
    dict(name="seven_year_lpr5y", why="""
A 7-year (84-month) semiannual loan: above long_above_months (60), so the
5-year LPR (3.50) applies; quoted before the start, every anniversary reads
the fixing in force on as_of. A+ (95), leading (-30), ESG 60 (0), no grade.""",
         tier="leading", rating="A+", esg=60, carbon=0, amount="100000000.00",
         start="2026-12-20", tenor=84, freq=6, repayment="equal_principal",
         kpis=[kpi(PET, "2027:80 2028:76")], as_of="2026-11-27"),
    dict(name="monthly_jan31", why="""
Monthly periods from 2024-01-31: ends clamp to 2024-02-29 (leap year) and
2025-02-28, and since every end counts from the start, March ends on the
31st again. The 2025-01-31 anniversary picks up 3.10. BBB (220),
transitioning (-10), ESG 40 (+10), grade 5 (+10).""",
         tier="transitioning", rating="BBB", esg=40, carbon=5, amount="1200000.00",
         start="2024-01-31", tenor=14, freq=1, repayment="equal_principal",
         kpis=[], as_of="2025-06-30"),
    dict(name="bullet_subsidy_capped", why="""
A 2-year semiannual bullet loan: principal only in the last period. A 500 bp
subsidy until 2027-12-01 exceeds the 2.65 % rate, so it is capped at the
interest (net 0) for the two periods starting before its end. AAA (20),
leading (-30), ESG 90 (-15), grade 1 (-10): A = -55.""",
         tier="leading", rating="AAA", esg=90, carbon=1, amount="20000000.00",
         start="2026-12-01", tenor=24, freq=6, repayment="bullet",
         subsidy=["500", "2027-12-01"], kpis=[], as_of="2026-11-27"),
    dict(name="floor_binds", why="""
A scenario LPR path (1Y 2.40 from 2027-06-20) applies at the 2027-12-01
anniversary: 2.40 + (20 - 60)/100 = 2.00 is floored at 2.2000. all_met
makes A = -55 - 10 = -65 from the 2026 due date (2027-04-30), limited to
-60.""",
         tier="leading", rating="AAA", esg=90, carbon=1, amount="10000000.00",
         start="2026-12-01", tenor=24, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2026:80 2027:76")], projection="all_met",
         assumed_lpr=[["2027-06-20", "2.40", "2.90"]], as_of="2026-11-27"),
    dict(name="cap_binds", why="""
A policy variant with cap_over_benchmark_bp 150: BBB (220) with +10 of
adjustments and none_met's +5 would be 3.00 + 2.35; the cap holds it at
4.5000.""",
         tier="transitioning", rating="BBB", esg=40, carbon=5, amount="8000000.00",
         start="2026-12-01", tenor=12, freq=3, repayment="bullet",
         kpis=[kpi(PET, "2026:80")], projection="none_met",
         policy={"cap": "150"}, as_of="2026-11-27"),
    dict(name="discount_limit_binds", why="""
T + E + C = -30 - 15 - 10 = -55; the 2024 SPT met on 2025-03-20 adds -10,
and A = -65 is limited to -60 from the period starting 2025-04-15. AA (50).""",
         tier="leading", rating="AA", esg=85, carbon=1, amount="12000000.00",
         start="2025-01-15", tenor=24, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2024:80 2025:76")],
         atts=[att(PET, 2024, "78.5", "2025-03-20", 1)], as_of="2026-11-27"),
    dict(name="ratchet_floor_all_met", why="""
Four KPIs all met (assumed on each due date): -40 is clamped to
max_step_down_bp, K = -30. A = -10 - 10 + 0 - 30 = -50.""",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="40000000.00",
         start="2026-12-01", tenor=36, freq=6, repayment="equal_principal",
         kpis=[kpi(PET, "2027:80 2028:76"), kpi(CI, "2027:1.1 2028:1.0"),
               kpi("water_reuse", "2027:40 2028:45", "higher_is_better"),
               kpi("fresh_water", "2027:1.6 2028:1.5")],
         projection="all_met", as_of="2026-11-27"),
    dict(name="ratchet_ceiling_none_met", why="""
The same four KPIs all missed: +20 is clamped to max_step_up_bp, K = +15.""",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="40000000.00",
         start="2026-12-01", tenor=36, freq=6, repayment="equal_principal",
         kpis=[kpi(PET, "2027:80 2028:76"), kpi(CI, "2027:1.1 2028:1.0"),
               kpi("water_reuse", "2027:40 2028:45", "higher_is_better"),
               kpi("fresh_water", "2027:1.6 2028:1.5")],
         projection="none_met", as_of="2026-11-27"),
    dict(name="subsidy_ends_mid_loan", why="""
DESIGN.md §7's quote example: 100 bp subsidy until 2027-12-01 on a 2-year
quarterly loan; the four periods starting before that date are subsidised,
the rest are not. AA, transitioning, ESG 70, grade 3: 3.00 + 0.30 = 3.30.""",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="50000000.00",
         start="2026-12-01", tenor=24, freq=3, repayment="equal_principal",
         subsidy=["100", "2027-12-01"], kpis=[kpi(PET, "2027:82 2028:76")],
         as_of="2026-11-27"),
    dict(name="on_time_on_the_due_date", why="""
Boundary of on_time: the 2026 attestation (value 80 = target 80, met: at
the target is met) is accepted on due(2026) = 2026-12-31 + 120 days =
2027-04-30 itself, so it is on_time and K = -10 from the period starting
2027-06-01: 3.00 + (50 - 20 - 10)/100 = 3.2000. Read as late it would leave
not_reported (+5) from 2027-05-01 instead.""",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="10000000.00",
         start="2026-12-01", tenor=12, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2026:80")],
         atts=[att(PET, 2026, "80", "2027-04-30", 1)], as_of="2027-12-01"),
    dict(name="half_cent_tie", why="""
An exact half-cent tie rounds half-up: AAA (20), leading (-30), ESG 90 (-15),
grade 1 (-10): 3.00 + (20 - 55)/100 = 2.6500. One 90-day period
(2026-12-01 to 2027-03-01) on a bullet of 100,000,040.00:
100000040 x 2.65 x 90 / 36000 = 662,500.265 -> 662,500.27 (half-even
would give .26).""",
         tier="leading", rating="AAA", esg=90, carbon=1, amount="100000040.00",
         start="2026-12-01", tenor=3, freq=3, repayment="bullet",
         kpis=[], as_of="2026-11-27"),
    dict(name="fractional_step_rounds_rate", why="""
A per-KPI step_down of 7.125 bp: 2026 met on 2027-03-10 (on time), so from
the period starting 2027-06-01 A = -20 - 7.125 = -27.125 and the rate is
3.00 + (50 - 27.125)/100 = 3.22875, rounded to 4 places: 3.2288.""",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="10000000.00",
         start="2026-12-01", tenor=12, freq=3, repayment="bullet",
         kpis=[kpi(PET, "2026:80", down="7.125")],
         atts=[att(PET, 2026, "79", "2027-03-10", 1)], as_of="2027-12-01"),
    dict(name="rate_exactly_at_floor", why="""
AAA (20), leading (-30), ESG 65 (-10), grade 3 (0): S + A = -20. A scenario
LPR of 2.40 from 2027-06-20 reaches the 2027-12-01 anniversary:
2.40 - 0.20 = 2.2000, exactly the floor, so the floor is not applied (the
flag stays off; only a rate below the floor is floored).""",
         tier="leading", rating="AAA", esg=65, carbon=3, amount="10000000.00",
         start="2026-12-01", tenor=24, freq=3, repayment="equal_principal",
         kpis=[], assumed_lpr=[["2027-06-20", "2.40", "2.90"]], as_of="2026-11-27"),
    dict(name="rate_exactly_at_cap", why="""
A policy variant with cap_over_benchmark_bp 230: BBB (220), transitioning
(-10), ESG 40 (+10), grade 5 (+10): 3.00 + 2.30 = 5.3000, exactly the cap
3.00 + 230/100, so the cap is not applied.""",
         tier="transitioning", rating="BBB", esg=40, carbon=5, amount="8000000.00",
         start="2026-12-01", tenor=6, freq=3, repayment="bullet",
         kpis=[], policy={"cap": "230"}, as_of="2026-11-27"),
    dict(name="late_certificates_2026_1_ignore", why="""
Policy 2026.1 (grace 120, ignore). 2027: a met certificate (78 <= 80)
accepted 2028-08-10, after due(2027) = 2028-04-29, then a correction that
misses (81) on 2028-11-20: both late, both ignored; not_reported on
2028-04-30 gives +5 from 2028-07-15. 2028's met attestation of 2029-05-20
is late too (due 2029-04-30): not_reported on 2029-05-01, +5 from
2029-07-15. A = -20 + 5 = -15, rate 3.35 from period 7.""",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="36000000.00",
         start="2027-01-15", tenor=36, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2027:80 2028:76")],
         atts=[att(PET, 2027, "78", "2028-08-10", 1), att(PET, 2027, "81", "2028-11-20", 2),
               att(PET, 2028, "75", "2029-05-20", 3)], as_of="2029-12-31"),
    dict(name="late_certificates_2027_1_cure", why="""
The same loan and events under policy 2027.1 (grace 181, cure).
due(2027) = 2028-06-29: not_reported on 2028-06-30 (+5 from 2028-07-15),
the late met certificate of 2028-08-10 cures it (-10 from 2028-10-15), the
late correction of 2028-11-20 misses (+5 from 2029-01-15). due(2028) =
2029-06-30, so 2028's met attestation of 2029-05-20 is on time: -10 from
2029-07-15.""",
         policy_version="2027.1",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="36000000.00",
         start="2027-01-15", tenor=36, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2027:80 2028:76")],
         atts=[att(PET, 2027, "78", "2028-08-10", 1), att(PET, 2027, "81", "2028-11-20", 2),
               att(PET, 2028, "75", "2029-05-20", 3)], as_of="2029-12-31"),
    dict(name="cure_boundaries_2027_1", why="""
Policy 2027.1, due(2027) = 2027-12-31 + 181 = 2028-06-29. pet_fdy_energy's
2027 met attestation is accepted on 2028-06-30 = due + 1: late, and on the
day of not_reported it supersedes it (-10, not +5). carbon_intensity's
(0.9 <= 1.0) is accepted on 2028-06-29 = due: on time (-10). From the
period starting 2028-07-15: K = -20, A = -40, rate 3.00 + 0.10 = 3.1000.""",
         policy_version="2027.1",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="24000000.00",
         start="2027-04-15", tenor=24, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2027:80"), kpi(CI, "2027:1.0")],
         atts=[att(PET, 2027, "79", "2028-06-30", 1), att(CI, 2027, "0.9", "2028-06-29", 2)],
         as_of="2028-12-31"),
    dict(name="all_met_2026_1", why="""
A quote's all_met projection under 2026.1: 2027 assumed met on due(2027) =
2028-04-29, so K = -10 from the period starting 2028-05-01.""",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="16000000.00",
         start="2027-02-01", tenor=24, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2027:80")], projection="all_met", as_of="2027-01-10"),
    dict(name="all_met_2027_1", why="""
The same projection under 2027.1: assumed met on due(2027) = 2028-06-29,
so K = -10 only from the period starting 2028-08-01.""",
         policy_version="2027.1",
         tier="transitioning", rating="AA", esg=70, carbon=3, amount="16000000.00",
         start="2027-02-01", tenor=24, freq=3, repayment="equal_principal",
         kpis=[kpi(PET, "2027:80")], projection="all_met", as_of="2027-01-10"),
]
