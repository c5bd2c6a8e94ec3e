"""Golden cases of DESIGN.md §5.1: plan versions and declassification.

Each is the Appendix A loan (golden case appendix_a) with an approved
amendment or declassification; "versions" and "declassified" are read by
versions.py.
"""
from cases import CASES, PET, CI, att, kpi

APPENDIX = {k: v for k, v in next(c for c in CASES if c["name"] == "appendix_a").items() if k not in ("name", "why")}


def appendix(**changes):
    return dict(APPENDIX, **changes)


LIFECYCLE_CASES = [
    dict(name="restated_baseline_third_year", why="""
The 2022 baseline restated (88 to 82: advancing) from 2025-07-01, the start
of the third year; targets kept. Periods 1-8 keep version 1; from period 9
T = -20 with the same 2024 miss (+5): A = -25, rate 3.00 + 0.25 = 3.2500.""",
         **appendix(versions=[dict({"from": "2025-07-01"}, tier="advancing", kpis=[kpi(PET, "2023:80 2024:74 2025:68")])])),
    dict(name="declassified_mid_loan", why="""
Declassified from 2024-12-15: from period 7 (2025-01-01) T = 0 and K = +15
(A = +5, rate B + 0.55), and the met 2025 attestation of 2026-03-01 changes
nothing.""",
         **appendix(declassified="2024-12-15",
                    atts=APPENDIX["atts"] + [att(PET, 2025, "60", "2026-03-01", 3)])),
    dict(name="amended_targets_new_kpi", why="""
Version 2 from 2024-10-01 relaxes the 2024 target to 77 (its deadline
2025-04-30 is after 2024-10-01) and adds carbon_intensity (2024: 1.2, step
down 5). Under version 2 the 2024 value 76 is met (version 1 says missed),
and carbon_intensity's 1.1 of 2025-02-01 is met: from period 8 K = -15.""",
         **appendix(versions=[dict({"from": "2024-10-01"}, tier="transitioning",
                                   kpis=[kpi(PET, "2023:80 2024:77 2025:68"), kpi(CI, "2024:1.2", down="5")])],
                    atts=APPENDIX["atts"] + [att(CI, 2024, "1.1", "2025-02-01", 3)])),
    dict(name="kpi_removed", why="""
Version 2 from 2025-01-01 keeps only a carbon_intensity KPI whose 2025
target is never attested before the last period: pet_fdy_energy, absent
from the version in force, contributes nothing, so K = 0 from period 7.""",
         **appendix(versions=[dict({"from": "2025-01-01"}, tier="transitioning", kpis=[kpi(CI, "2025:1.1")])])),
]
