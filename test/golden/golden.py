#!/usr/bin/env python3
"""Independent golden figures for the pricing engine (DESIGN.md §4).

This is a second implementation of DESIGN.md §4.2-§4.5, written from the
text of the design and not from the Go code, using only Python's decimal
module (exact arithmetic, explicit ROUND_HALF_UP). It prints nothing on
success and writes the Go test tables pricing/golden_cases_a_test.go and
pricing/golden_cases_b_test.go, which pricing's golden tests compare
against line by line.

    python3 test/golden/golden.py          # from the repository root

The policy figures are those of configs/policy/2026.1.yaml (§4.1) and the
LPR history that of configs/lpr/lpr.yaml (§4.2), restated here on purpose.
"""
import calendar
import datetime as dt
import os
import sys
from decimal import ROUND_HALF_UP, Decimal as D

sys.dont_write_bytecode = True  # keep the repository free of __pycache__
from cases import CASES  # noqa: E402

POLICY = {
    "long_above": 60,
    "spread": {"AAA": 20, "AA+": 35, "AA": 50, "AA-": 70, "A+": 95, "A": 120,
               "A-": 150, "BBB+": 185, "BBB": 220},
    "tier": {"leading": -30, "advancing": -20, "transitioning": -10},
    "esg": [(80, -15), (65, -10), (50, 0), (0, 10)],
    "carbon": {1: -10, 2: -5, 3: 0, 4: 5, 5: 10},
    "step_down": 10, "step_up": 5, "max_down": 30, "max_up": 15, "grace": 120,
    "max_discount": 60, "floor": "2.2000", "cap": 400,
}

LPR = [  # effective date, 1Y, 5Y
    ("2022-08-22", "3.65", "4.30"), ("2023-06-20", "3.55", "4.20"),
    ("2023-08-21", "3.45", "4.20"), ("2024-02-20", "3.45", "3.95"),
    ("2024-07-22", "3.35", "3.85"), ("2024-10-21", "3.10", "3.60"),
    ("2025-05-20", "3.00", "3.50"),
]


def day(s):
    return dt.date.fromisoformat(s)


def add_months(d, n):
    """d + n months, the day clamped to the target month's length."""
    m0 = d.month - 1 + n
    y, m = d.year + m0 // 12, m0 % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def r2(x):
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def r4(x):
    return x.quantize(D("0.0001"), rounding=ROUND_HALF_UP)


def in_force(fixings, d):
    best = None
    for f in fixings:
        if f[0] <= d and (best is None or f[0] > best[0]):
            best = f
    return best


def determinations(case, grace, as_of):
    """(kpi index, year) -> list of (date, outcome) from the attestations
    known on as_of, then not_reported, then the projection's assumptions."""
    dets = {}
    for i, k in enumerate(case["kpis"]):
        for year, target in spts(k):
            due = dt.date(year, 12, 31) + dt.timedelta(days=grace)
            atts = [a for a in case.get("atts", [])
                    if a["metric"] == k["metric"] and a["year"] == year
                    and day(a["accepted"]) <= as_of]
            atts.sort(key=lambda a: (day(a["accepted"]), a["seq"]))
            found = []
            if atts and day(atts[0]["accepted"]) <= due:
                for a in atts:  # the on-time one, then corrections
                    v, t = D(a["value"]), D(target)
                    ok = v <= t if k["direction"] == "lower_is_better" else v >= t
                    found.append((day(a["accepted"]), "met" if ok else "missed"))
            elif as_of > due:
                found.append((due + dt.timedelta(days=1), "not_reported"))
            proj = case.get("projection", "current")
            if not found and proj != "current":
                found.append((due, "met" if proj == "all_met" else "missed"))
            dets[(i, year)] = found
    return dets


def spts(k):
    return [(int(y), v) for y, v in (t.split(":") for t in k["spts"].split())]


def ratchet(case, dets, start, policy):
    total = D(0)
    for i, k in enumerate(case["kpis"]):
        for year, _ in sorted(spts(k), reverse=True):
            hits = [o for (d, o) in dets[(i, year)] if d <= start]
            if hits:
                down = D(k.get("down", policy["step_down"]))
                up = D(k.get("up", policy["step_up"]))
                total += -down if hits[-1] == "met" else up
                break
    return max(-D(policy["max_down"]), min(D(policy["max_up"]), total))


def schedule(case):
    policy = dict(POLICY, **case.get("policy", {}))
    as_of = day(case["as_of"])
    known = [(day(e), D(a), D(b)) for e, a, b in LPR if day(e) <= as_of]
    assumed = [(day(e), D(a), D(b)) for e, a, b in case.get("assumed_lpr", [])]
    start, tenor, m = day(case["start"]), case["tenor"], case["freq"]
    n = tenor // m
    long = tenor > policy["long_above"]
    amount = D(case["amount"])
    s = D(policy["spread"][case["rating"]])
    t = D(policy["tier"][case["tier"]])
    e = next(D(bp) for lo, bp in policy["esg"] if case["esg"] >= lo)
    c = D(policy["carbon"].get(case.get("carbon", 0), 0))
    dets = determinations(case, policy["grace"], as_of)
    each = r2(amount / n) if case["repayment"] == "equal_principal" else D(0)
    sub = case.get("subsidy")
    opening, lines, tot_i, tot_s = amount, [], D(0), D(0)
    for k in range(1, n + 1):
        p_start, p_end = add_months(start, (k - 1) * m), add_months(start, k * m)
        days = (p_end - p_start).days
        anniv = add_months(start, 12 * (((k - 1) * m) // 12))
        fix = in_force(assumed, anniv) or in_force(known, min(anniv, as_of))
        b = fix[2] if long else fix[1]
        kk = ratchet(case, dets, p_start, policy)
        a = max(t + e + c + kk, -D(policy["max_discount"]))
        rate = b + (s + a) / 100
        floor_hit = rate < D(policy["floor"])
        rate = max(rate, D(policy["floor"]))
        cap = b + D(policy["cap"]) / 100
        cap_hit = rate > cap
        rate = r4(min(rate, cap))
        if k == n:
            principal = opening
        else:
            principal = min(each, opening)
        interest = r2(opening * rate * days / 36000)
        subsidy = D("0.00")
        if sub and p_start < day(sub[1]):
            subsidy = min(interest, r2(opening * D(sub[0]) * days / 3600000))
        closing = opening - principal
        flags = ("F" if floor_hit else "-") + ("C" if cap_hit else "-")
        lines.append(" ".join([
            str(k), p_start.isoformat(), p_end.isoformat(), str(days),
            f"{b:.4f}", fix[0].isoformat(), norm(a), norm(kk), f"{rate:.4f}",
            f"{opening:.2f}", f"{principal:.2f}", f"{interest:.2f}",
            f"{subsidy:.2f}", f"{interest - subsidy:.2f}", f"{closing:.2f}", flags]))
        tot_i, tot_s, opening = tot_i + interest, tot_s + subsidy, closing
    assert opening == 0, case["name"]
    return lines, tot_i, tot_s


def norm(x):
    """Basis points in their shortest exact form, as FormatBp writes them."""
    s = format(x.normalize(), "f")
    return "0" if s in ("-0", "0") else s


def go_case(case):
    lines, tot_i, tot_s = schedule(case)
    out = ["\t// " + l for l in case["why"].strip().splitlines()]
    out.append("\t{")
    out.append(f"\t\tname: {case['name']!r},".replace("'", '"'))
    out.append(f"\t\tin:   {case_literal(case)},")
    out.append("\t\tlines: []string{")
    out += [f'\t\t\t"{l}",' for l in lines]
    out.append("\t\t},")
    out.append(f'\t\ttotals: "{tot_i:.2f} {tot_s:.2f} {tot_i - tot_s:.2f}",')
    out.append("\t},")
    return out


def case_literal(case):
    """The case's inputs as a goldenInput literal (see golden_test.go)."""
    keep = {k: v for k, v in case.items() if k not in ("name", "why")}
    return "goldenInput(`" + repr_json(keep) + "`)"


def repr_json(v):
    import json
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


def write(path, name, cases):
    body = [
        "// Code generated by test/golden/golden.py from test/golden/cases.py; DO NOT EDIT.",
        "",
        "package pricing",
        "",
        f"var {name} = []goldenCase{{",
    ]
    body += cases
    body.append("}")
    with open(path, "w") as f:
        f.write("\n".join(body) + "\n")


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    appendix = next(c for c in CASES if c["name"] == "appendix_a")
    _, total, _ = schedule(appendix)
    assert total == D("3069861.11"), total  # DESIGN.md Appendix A
    # Two files of about the same length keep each within the house limit.
    blocks = [go_case(c) for c in CASES]
    total, run, cut = sum(map(len, blocks)), 0, len(blocks)
    for i, b in enumerate(blocks):
        run += len(b)
        if run * 2 >= total:
            cut = i + 1
            break
    write(os.path.join(root, "pricing", "golden_cases_a_test.go"), "goldenA",
          [l for b in blocks[:cut] for l in b])
    write(os.path.join(root, "pricing", "golden_cases_b_test.go"), "goldenB",
          [l for b in blocks[cut:] for l in b])


if __name__ == "__main__":
    main()
