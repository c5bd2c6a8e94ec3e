#!/usr/bin/env python3
"""Independent golden figures for the pricing engine (DESIGN.md §4).

This is a second implementation of DESIGN.md §4.2-§4.5, written from the
text of the design and not from the Go code, using only Python's decimal
module (exact arithmetic, explicit ROUND_HALF_UP). It prints nothing on
success and writes the Go test tables pricing/golden_cases_{a,b,c}_test.go
(and golden_cases_d_test.go: plan versions and declassification, DESIGN.md
§5.1, from cases_lifecycle.py with versions.py),
which pricing's golden tests compare against line by line (schedule lines,
SPT statuses and attestation statuses).

    python3 test/golden/golden.py              # from the repository root
    python3 test/golden/golden.py --out DIR    # write the tables into DIR

.ci/run writes them into a temporary directory and fails when they differ
from the checked-in tables, so the two implementations cannot drift apart.

The policy figures are those of configs/policy/2026.1.yaml and 2027.1.yaml
(§4.1: 2027.1 is 2026.1 with grace_days 181 and late_attestation cure) and
the LPR history that of configs/lpr/lpr.yaml (§4.2), restated here on
purpose.
"""
import calendar
import datetime as dt
import os
import sys
from decimal import ROUND_HALF_UP, Decimal as D

sys.dont_write_bytecode = True  # keep the repository free of __pycache__
from cases import CASES  # noqa: E402
from cases_lifecycle import LIFECYCLE_CASES  # noqa: E402
from versions import declassified, in_force as version_in_force, plan_versions, union  # noqa: E402

POLICY = {
    "long_above": 60,
    "spread": {"AAA": 20, "AA+": 35, "AA": 50, "AA-": 70, "A+": 95, "A": 120,
               "A-": 150, "BBB+": 185, "BBB": 220},
    "tier": {"leading": -30, "advancing": -20, "transitioning": -10},
    "esg": [(80, -15), (65, -10), (50, 0), (0, 10)],
    "carbon": {1: -10, 2: -5, 3: 0, 4: 5, 5: 10},
    "step_down": 10, "step_up": 5, "max_down": 30, "max_up": 15, "grace": 120,
    "max_discount": 60, "floor": "2.2000", "cap": 400, "late": "ignore",
}

POLICIES = {
    "2026.1": POLICY,
    "2027.1": dict(POLICY, grace=181, late="cure"),
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


def met(k, value, target):
    v, t = D(value), D(target)
    return v <= t if k["direction"] == "lower_is_better" else v >= t


def determinations(case, policy, as_of):
    """(kpi index, year) -> list of (date, outcome) in date order, from the
    attestations known on as_of, not_reported, and the projection's
    assumptions; and the status of every known attestation, in
    (accepted_on, arrival) order: (metric, year, accepted, status, outcome)."""
    grace, cure = policy["grace"], policy["late"] == "cure"
    dets, statuses = {}, []
    for i, k in enumerate(case["kpis"]):
        for year, target in spts(k):
            due = dt.date(year, 12, 31) + dt.timedelta(days=grace)
            atts = [a for a in case.get("atts", [])
                    if a["metric"] == k["metric"] and a["year"] == year
                    and day(a["accepted"]) <= as_of]
            atts.sort(key=lambda a: (day(a["accepted"]), a["seq"]))
            found = []
            on_time = bool(atts) and day(atts[0]["accepted"]) <= due
            if on_time:
                for n, a in enumerate(atts):  # the on-time one, then corrections
                    o = "met" if met(k, a["value"], target) else "missed"
                    found.append((day(a["accepted"]), o))
                    statuses.append((k["metric"], year, a["accepted"], a["seq"],
                                     "on_time" if n == 0 else "correction", o))
            else:
                if as_of > due:
                    # a late attestation is accepted after due, so on or
                    # after due + 1: not_reported comes first, and on the
                    # same day the attestation supersedes it.
                    found.append((due + dt.timedelta(days=1), "not_reported"))
                for a in atts:
                    o = "met" if met(k, a["value"], target) else "missed"
                    if cure:
                        found.append((day(a["accepted"]), o))
                    statuses.append((k["metric"], year, a["accepted"], a["seq"],
                                     "late", o if cure else "-"))
            proj = case.get("projection", "current")
            if not found and proj != "current":
                found.append((due, "met" if proj == "all_met" else "missed"))
            dets[(i, year)] = found
    statuses.sort(key=lambda s: (s[2], s[3]))
    return dets, [((acc, seq), " ".join([m, str(y), acc, st, o])) for m, y, acc, seq, st, o in statuses]


def spt_lines(case, dets):
    """Every SPT's latest determination: metric year outcome date."""
    out = []
    for i, k in enumerate(case["kpis"]):
        for year, _ in spts(k):
            found = dets[(i, year)]
            if found:
                out.append(f"{k['metric']} {year} {found[-1][1]} {found[-1][0].isoformat()}")
            else:
                out.append(f"{k['metric']} {year} pending -")
    return out


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
    policy = dict(POLICIES[case.get("policy_version", "2026.1")], **case.get("policy", {}))
    as_of = day(case["as_of"])
    known = [(day(e), D(a), D(b)) for e, a, b in LPR if day(e) <= as_of]
    assumed = [(day(e), D(a), D(b)) for e, a, b in case.get("assumed_lpr", [])]
    start, tenor, m = day(case["start"]), case["tenor"], case["freq"]
    n = tenor // m
    long = tenor > policy["long_above"]
    amount = D(case["amount"])
    s = D(policy["spread"][case["rating"]])
    e = next(D(bp) for lo, bp in policy["esg"] if case["esg"] >= lo)
    c = D(policy["carbon"].get(case.get("carbon", 0), 0))
    versions = plan_versions(case)
    per_version = [determinations(cv, policy, as_of) for _, _, cv in versions]
    each = r2(amount / n) if case["repayment"] == "equal_principal" else D(0)
    sub = case.get("subsidy")
    opening, lines, tot_i, tot_s = amount, [], D(0), D(0)
    for k in range(1, n + 1):
        p_start, p_end = add_months(start, (k - 1) * m), add_months(start, k * m)
        days = (p_end - p_start).days
        anniv = add_months(start, 12 * (((k - 1) * m) // 12))
        fix = in_force(assumed, anniv) or in_force(known, min(anniv, as_of))
        b = fix[2] if long else fix[1]
        v = version_in_force(versions, p_start)
        t = D(policy["tier"][versions[v][1]])
        kk = ratchet(versions[v][2], per_version[v][0], p_start, policy)
        if declassified(case, p_start):
            t, kk = D(0), D(policy["max_up"])
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
    spt_out, statuses = union(versions, per_version, spt_lines)
    return lines, tot_i, tot_s, spt_out, statuses


def norm(x):
    """Basis points in their shortest exact form, as FormatBp writes them."""
    s = format(x.normalize(), "f")
    return "0" if s in ("-0", "0") else s


def go_case(case):
    lines, tot_i, tot_s, spt_out, statuses = schedule(case)
    out = ["\t// " + l for l in case["why"].strip().splitlines()]
    out.append("\t{")
    out.append(f"\t\tname: {case['name']!r},".replace("'", '"'))
    out.append(f"\t\tin:   {case_literal(case)},")
    out.append("\t\tlines: []string{")
    out += [f'\t\t\t"{l}",' for l in lines]
    out.append("\t\t},")
    out.append(f'\t\ttotals: "{tot_i:.2f} {tot_s:.2f} {tot_i - tot_s:.2f}",')
    if spt_out:
        out.append("\t\tspts: []string{")
        out += [f'\t\t\t"{l}",' for l in spt_out]
        out.append("\t\t},")
    if statuses:
        out.append("\t\tstatuses: []string{")
        out += [f'\t\t\t"{l}",' for l in statuses]
        out.append("\t\t},")
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


FILES = "abc"  # golden_cases_{a,b,c}_test.go: each within the house limit


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    out_dir = os.path.join(root, "pricing")
    if len(sys.argv) == 3 and sys.argv[1] == "--out":
        out_dir = sys.argv[2]
    elif len(sys.argv) != 1:
        sys.exit("usage: golden.py [--out DIR]")
    appendix = next(c for c in CASES if c["name"] == "appendix_a")
    _, total, _, _, _ = schedule(appendix)
    assert total == D("3069861.11"), total  # DESIGN.md Appendix A
    # Files of about the same length keep each within the house limit.
    blocks = [go_case(c) for c in CASES]
    total, parts, run = sum(map(len, blocks)), [[] for _ in FILES], 0
    for b in blocks:
        part = min(len(FILES) - 1, run * len(FILES) // total)
        parts[part] += b
        run += len(b)
    for letter, lines in zip(FILES, parts):
        write(os.path.join(out_dir, f"golden_cases_{letter}_test.go"),
              "golden" + letter.upper(), lines)
    # DESIGN.md §5.1: plan versions and declassification.
    write(os.path.join(out_dir, "golden_cases_d_test.go"), "goldenD",
          [line for c in LIFECYCLE_CASES for line in go_case(c)])


if __name__ == "__main__":
    main()
