"""Plan versions and declassification for golden.py (DESIGN.md §5.1).

A case may carry "versions": [{"from": date, "tier": tier, "kpis": [...]}]
(approved amendments, versions 2, 3, ... in order) and "declassified": the
effective date of an approved declassification. Period p uses the version
in force on its start date (the latest whose "from" is on or before it;
version 1, the case's own tier and KPIs, from the start date): its KPIs,
step sizes and targets for K and its tier for T; each version's
determinations come from its own targets and the case's attestations. From
the first period starting on or after "declassified": T = 0 and K =
max_step_up_bp.
"""
import datetime as dt


def plan_versions(case):
    """[(from, tier, case_of_version)], version 1 first."""
    out = [(dt.date.fromisoformat(case["start"]), case["tier"], case)]
    for v in case.get("versions", []):
        out.append((dt.date.fromisoformat(v["from"]), v["tier"], dict(case, kpis=v["kpis"])))
    return out


def in_force(versions, start):
    at = 0
    for i, (frm, _, _) in enumerate(versions):
        if i and frm <= start:
            at = i
    return at


def declassified(case, start):
    d = case.get("declassified")
    return d is not None and start >= dt.date.fromisoformat(d)


def union(versions, per_version, spt_lines):
    """The SPT lines of the latest version, then those of earlier versions
    that it no longer has (newest version first); the attestation statuses
    of the latest version that has their SPT, in (accepted_on, arrival)
    order. per_version is [(dets, statuses_with_keys)]."""
    spts, seen = [], set()
    statuses, taken = [], set()
    for (_, _, cv), (dets, sts) in reversed(list(zip(versions, per_version))):
        for line in spt_lines(cv, dets):
            key = tuple(line.split()[:2])
            if key not in seen:
                seen.add(key)
                spts.append(line)
        for key, line in sts:
            if key[1] not in taken:
                taken.add(key[1])
                statuses.append((key, line))
    statuses.sort(key=lambda s: s[0])
    return spts, [line for _, line in statuses]
