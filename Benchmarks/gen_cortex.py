#!/usr/bin/env python3
"""Deterministic generator of a large Cortex XDR tenant export (platform IAM API shape).

Usage: python3 Benchmarks/gen_cortex.py USERS GROUPS OUTDIR

Why: issue 13 asks for "a Cortex tenant of 50,000 users and 2,000 groups nested three deep:
under 2 s". The bundled samples (samples/cortex-birchwood) hold 7 users and 5 groups, far too
few to measure roleaudit's import, group resolution, rules and reports at that size.

What it writes into OUTDIR (laid out as samples/cortex-birchwood, the platform IAM family,
which is the one that carries `nested_groups`):

  roleaudit-source.json  platform cortex-xdr, tenant "bench-xdr", customer "Bench Holdings"
  roles.json             GET /platform/iam/v1/role: the predefined roles used (catalog names)
  user-groups.json       GET /platform/iam/v1/user-group: GROUPS groups, in three levels:
                           top (~5%)  lists middle groups under `nested_groups`,
                           middle (~20%) lists leaf groups under `nested_groups`,
                           leaf (the rest) hold most members.
                         Each group has a predefined role (`role_id` + `pretty_role_name`);
                         ~3% have none (empty strings, as the sample's "MSSP Analysts").
  users.json             GET /platform/iam/v1/user: USERS users; each in 1-2 leaf groups, ~10%
                         also in a middle group (listed both in the user's `groups` and the
                         group's `users`, as the API does); ~5% with a direct `role_name`,
                         ~4% `Inactive`, ~2% never logged in (`last_logged_in: null`),
                         ~15% last seen over 90 days before 2026-11-23.

Deterministic: a fixed seed and nothing taken from the clock or the environment, so the same
arguments give the same bytes.
"""
import json
import os
import random
import sys

SEED = 13
NOW_MS = 1795392000000  # 2026-11-23T00:00:00Z, the --now used in the benchmark
DAY_MS = 86_400_000
TENANT_DOMAIN = "bench-holdings.example"

# Predefined Cortex XDR roles (names from Sources/RoleAuditCatalog cortex-xdr.yml, as in samples).
ROLES = [
    ("r-inst", "Instance Administrator"),
    ("r-depl", "Deployment Admin"),
    ("r-itadm", "IT Admin"),
    ("r-privit", "Privileged IT Admin"),
    ("r-scag", "Scoped Agent Admin"),
    ("r-inv", "Investigator"),
    ("r-privinv", "Privileged Investigator"),
    ("r-resp", "Responder"),
    ("r-privresp", "Privileged Responder"),
    ("r-invadm", "Investigation Admin"),
    ("r-secadm", "Security Admin"),
    ("r-psa", "Privileged Security Admin"),
    ("r-view", "Viewer"),
    ("r-dev", "Developer"),
    ("r-appsec", "AppSec Admin"),
    ("r-comp", "Compliance Administrator"),
    ("r-idview", "Identity Security Viewer"),
    ("r-idadm", "Identity Security Administrator"),
]
ROLE_NAME = dict(ROLES)

# Which roles each level tends to give (weights): broad/low at the top, specific at the leaves.
TOP_ROLES = [("r-view", 6), ("r-inv", 3), ("r-comp", 1)]
MIDDLE_ROLES = [("r-inv", 4), ("r-resp", 4), ("r-view", 2), ("r-itadm", 2), ("r-dev", 2), ("r-idview", 1),
                ("r-secadm", 1)]
LEAF_ROLES = [("r-view", 5), ("r-inv", 5), ("r-resp", 4), ("r-dev", 3), ("r-scag", 2), ("r-itadm", 2),
              ("r-privinv", 1), ("r-privresp", 1), ("r-appsec", 1), ("r-idadm", 1), ("r-invadm", 1),
              ("r-depl", 1), ("r-privit", 1), ("r-psa", 1), ("r-inst", 1)]
DIRECT_ROLES = [("Viewer", 8), ("Investigator", 6), ("Responder", 4), ("Instance Administrator", 1),
                ("Privileged Security Admin", 1), ("Security Admin", 1), ("Developer", 2), ("IT Admin", 1)]

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jon", "Kira", "Luis", "Mina",
         "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wei", "Yara", "Zane"]
LAST = ["Abbott", "Bauer", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kaur",
        "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Silva", "Tanaka", "Ueda",
        "Varga", "Weber", "Xu", "Young", "Zimmer"]
DEPTS = ["SOC", "IT", "AppSec", "Identity", "Cloud", "Endpoint", "Network", "Compliance", "DevOps", "Helpdesk"]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.randrange(total)
    for value, w in pairs:
        if x < w:
            return value
        x -= w
    raise AssertionError


def build(n_users, n_groups):
    rng = random.Random(SEED)
    n_top = max(1, n_groups // 20) if n_groups >= 3 else min(1, n_groups)
    n_mid = max(1, n_groups // 5) if n_groups >= 3 else (1 if n_groups >= 2 else 0)
    n_leaf = n_groups - n_top - n_mid

    groups = []  # dicts in output order
    for i in range(n_groups):
        if i < n_top:
            level, pool = "top", TOP_ROLES
        elif i < n_top + n_mid:
            level, pool = "middle", MIDDLE_ROLES
        else:
            level, pool = "leaf", LEAF_ROLES
        dept = DEPTS[i % len(DEPTS)]
        role_id = "" if rng.random() < 0.03 else weighted(rng, pool)
        created = NOW_MS - rng.randrange(400, 1400) * DAY_MS
        g = {
            "group_id": f"g-{i + 1:05d}",
            "group_name": f"{dept} {level} {i + 1:05d}",
            "description": f"{dept} {level}-level group",
            "role_id": role_id,
            "pretty_role_name": ROLE_NAME.get(role_id, ""),
            "created_by": f"iam.admin@{TENANT_DOMAIN}",
            "updated_by": f"iam.admin@{TENANT_DOMAIN}",
            "created_ts": created,
            "updated_ts": created + rng.randrange(0, 300) * DAY_MS,
            "users": [],
            "group_type": "ad_type" if rng.random() < 0.25 else "custom",
            "nested_groups": [],
            "idp_groups": [f"IDP-{dept}-{i + 1:05d}"] if rng.random() < 0.4 else [],
        }
        groups.append(g)

    tops = groups[:n_top]
    mids = groups[n_top:n_top + n_mid]
    leaves = groups[n_top + n_mid:]
    # Every middle group is nested in one top group, every leaf in one middle group (round robin,
    # so the tree is balanced); ~5% of leaves also sit in a second middle group.
    for j, m in enumerate(mids):
        tops[j % len(tops)]["nested_groups"].append({"group_id": m["group_id"], "group_name": m["group_name"]})
    for j, leaf in enumerate(leaves):
        parents = [mids[j % len(mids)]]
        if len(mids) > 1 and rng.random() < 0.05:
            other = mids[rng.randrange(len(mids))]
            if other is not parents[0]:
                parents.append(other)
        for p in parents:
            p["nested_groups"].append({"group_id": leaf["group_id"], "group_name": leaf["group_name"]})

    users = []
    member_pool = leaves or mids or tops
    for u in range(n_users):
        first, last = FIRST[u % len(FIRST)], LAST[(u // len(FIRST)) % len(LAST)]
        email = f"{first.lower()}.{last.lower()}.{u + 1:06d}@{TENANT_DOMAIN}"
        mine = [member_pool[rng.randrange(len(member_pool))]]
        if rng.random() < 0.35:
            second = member_pool[rng.randrange(len(member_pool))]
            if second is not mine[0]:
                mine.append(second)
        if mids and member_pool is leaves and rng.random() < 0.10:
            mine.append(mids[rng.randrange(len(mids))])
        for g in mine:
            g["users"].append(email)
        r = rng.random()
        if r < 0.02:
            last_login = None
        elif r < 0.17:
            last_login = NOW_MS - rng.randrange(91, 700) * DAY_MS - rng.randrange(DAY_MS)
        else:
            last_login = NOW_MS - rng.randrange(0, 90) * DAY_MS - rng.randrange(DAY_MS)
        users.append({
            "user_email": email,
            "user_first_name": first,
            "user_last_name": last,
            "phone_number": "",
            "status": "Inactive" if rng.random() < 0.04 else "Active",
            "role_name": weighted(rng, DIRECT_ROLES) if rng.random() < 0.05 else "",
            "last_logged_in": last_login,
            "is_hidden": False,
            "user_type": "CSP" if rng.random() < 0.03 else "SSO",
            "groups": [{"group_id": g["group_id"], "group_name": g["group_name"]} for g in mine],
        })

    used = {g["role_id"] for g in groups if g["role_id"]} | {u["role_name"] for u in users if u["role_name"]}
    roles = [{
        "role_id": rid,
        "pretty_name": name,
        "description": "",
        "is_custom": False,
        "created_by": "system",
        "created_ts": 1650000000000,
        "updated_ts": 1650000000000,
    } for rid, name in ROLES if rid in used or name in used]
    return users, groups, roles


def write(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def main(argv):
    if len(argv) != 4 or not argv[1].isdigit() or not argv[2].isdigit():
        sys.stderr.write("usage: gen_cortex.py USERS GROUPS OUTDIR\n")
        return 64
    n_users, n_groups, out = int(argv[1]), int(argv[2]), argv[3]
    if n_users > 0 and n_groups == 0:
        sys.stderr.write("gen_cortex.py: users need at least one group\n")
        return 64
    users, groups, roles = build(n_users, n_groups)
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "roleaudit-source.json"), {
        "platform": "cortex-xdr",
        "tenant": "bench-xdr",
        "customer": "Bench Holdings",
        "fetched_at": "2026-11-20T02:00:00Z",
    })
    write(os.path.join(out, "roles.json"), {"data": roles, "metadata": {"total_count": len(roles)}})
    write(os.path.join(out, "user-groups.json"), {"data": groups, "metadata": {"total_count": len(groups)}})
    write(os.path.join(out, "users.json"), {"data": users, "metadata": {"total_count": len(users)}})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
