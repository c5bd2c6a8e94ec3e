#!/usr/bin/env python3
"""Independent hand-check of the loan-life end-to-end test (test/lifecycle_test.go).

The Appendix A loan of DESIGN.md: CNY 50,000,000.00 from 2023-07-01, 36 months,
quarterly, equal_principal, AA (S=50), ESG 70 (E=-10), carbon grade 3 (C=0),
tier transitioning (T=-10), one KPI pet_fdy_energy (lower is better) with SPTs
2023: 80, 2024: 74, 2025: 68. Step down 10, step up 5. This script prints the
rate and interest of every period for the K (ratchet) and LPR paths given
below, using Python's decimal module with ROUND_HALF_UP, independently of the
Go code. Run: python3 test/golden/lifecycle.py
"""
from decimal import Decimal as D, ROUND_HALF_UP
import datetime as dt

def addm(d, m):
    y, mo = divmod(d.month - 1 + m, 12)
    y += d.year; mo += 1
    import calendar
    return dt.date(y, mo, min(d.day, calendar.monthrange(y, mo)[1]))

start = dt.date(2023, 7, 1)
amount = D("50000000.00")
n = 12
inst = (amount / n).quantize(D("0.01"), ROUND_HALF_UP)

def schedule(lpr_by_period, k_by_period):
    opening = amount
    total = D(0)
    rows = []
    for k in range(1, n + 1):
        s, e = addm(start, 3 * (k - 1)), addm(start, 3 * k)
        days = (e - s).days
        A = D(-20) + k_by_period[k - 1]
        A = max(A, D(-60))
        rate = D(lpr_by_period[k - 1]) + (D(50) + A) / 100
        rate = max(rate, D("2.2"))
        rate = min(rate, D(lpr_by_period[k - 1]) + D(4))
        rate = rate.quantize(D("0.0001"), ROUND_HALF_UP)
        interest = (opening * rate * days / D(36000)).quantize(D("0.01"), ROUND_HALF_UP)
        principal = inst if k < n else opening
        rows.append((k, s, days, lpr_by_period[k - 1], A, rate, opening, interest))
        total += interest
        opening -= principal
    return rows, total

def show(title, lpr, K):
    rows, total = schedule(lpr, K)
    print(title)
    for r in rows:
        print("  %2d %s %3d LPR %s A %s rate %s opening %s interest %s" % r)
    print("  total", total)

# Step 1, booked on 2023-06-25: every period on the 3.55 fixing of 2023-06-20
# (future anniversaries use the fixing in force on min(r, as_of)); no ratchet.
show("booked 2023-06-25", ["3.55"] * 12, [D(0)] * 12)
# Step 2, 2024-03-15, 2023 met: K=-10 from period 4 (2024-04-01). Anniversary
# 2024-07-01 reads the LPR in force on 2024-03-15: 3.45 (2024-02-20).
show("2024-03-15", ["3.55"] * 4 + ["3.45"] * 8, [D(0)] * 3 + [D(-10)] * 9)
# Step 3, 2025-03-01, 2024 missed: K=+5 from period 8 (2025-04-01); the
# 2025-07-01 anniversary reads the LPR in force on 2025-03-01: 3.10 (2024-10-21).
show("2025-03-01", ["3.55"] * 4 + ["3.45"] * 4 + ["3.10"] * 4, [D(0)] * 3 + [D(-10)] * 4 + [D(5)] * 5)
# Step 4, 2025-06-15, correction of 2024 to met: K=-10 from period 9
# (2025-07-01), whose LPR is now the 3.00 of 2025-05-20.
show("2025-06-15", ["3.55"] * 4 + ["3.45"] * 4 + ["3.00"] * 4, [D(0)] * 3 + [D(-10)] * 4 + [D(5)] + [D(-10)] * 4)
# Step 5, 2025-06-25, a fixing of 2.90 effective 2025-06-24 is published: the
# 2025-07-01 anniversary now reads 2.90.
show("2025-06-25", ["3.55"] * 4 + ["3.45"] * 4 + ["2.90"] * 4, [D(0)] * 3 + [D(-10)] * 4 + [D(5)] + [D(-10)] * 4)
# Appendix A itself (no correction, no published fixing), as of 2026-11-27.
show("appendix A", ["3.55"] * 4 + ["3.45"] * 4 + ["3.00"] * 4, [D(0)] * 3 + [D(-10)] * 4 + [D(5)] * 5)
