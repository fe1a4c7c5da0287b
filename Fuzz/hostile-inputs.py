#!/usr/bin/env python3
"""Writes the hostile inputs of issue 11 (part B) and, beside each, a clean export of about the
same size, for the README's time and memory figures:

    python3 Fuzz/hostile-inputs.py OUT_DIR
    for d in OUT_DIR/*/; do /usr/bin/time -v roleaudit scan "$d" --format json --output /tmp/r --fail-on never; done

Each case is a folder (a Cortex tenant, or a Huntress export). Deterministic: same output every run.
The tests generate the same shapes themselves (Tests/*/Bounded*Tests.swift, HostileInputTests.swift).
"""
import json, os, sys

out = sys.argv[1]
ROLES = ["Viewer", "Investigator", "Responder"]


def write(case, name, text):
    os.makedirs(os.path.join(out, case), exist_ok=True)
    with open(os.path.join(out, case, name), "w") as f:
        f.write(text)


def groups(items):
    data = [{"group_id": name, "group_name": name, "pretty_role_name": role, "users": members,
             "nested_groups": [{"group_name": n} for n in nested], "group_type": "custom"}
            for name, role, members, nested in items]
    return json.dumps({"data": data, "metadata": {"total_count": len(data)}}, separators=(",", ":"))


# 2,000 groups nested in a cycle, 20 members each (1.3 MB): every member gets all three roles.
# Clean: the same groups and members, each nested in three groups that give the three roles (the
# same access, no cycle).
n = 2000
members = lambda i: [f"u{i}-{k}@corp.example" for k in range(20)]
write("cycle-2000", "user-groups.json", groups([(f"G{i}", ROLES[i % 3], members(i), [f"G{(i + 1) % n}"]) for i in range(n)]))
write("cycle-2000-clean", "user-groups.json",
      groups([(f"G{i}", ROLES[i % 3], members(i), []) for i in range(n)]
             + [(f"All {r}", r, [], [f"G{i}" for i in range(n)]) for r in ROLES]))

# 8,000 groups in a chain, a member in each, the role at the top; clean: 8,000 groups side by side.
n = 8000
write("chain-8000", "user-groups.json", groups([(f"G{i}", "Investigator" if i == 0 else None, [f"u{i}@corp.example"],
                                                  [f"G{i + 1}"] if i + 1 < n else []) for i in range(n)]))
write("chain-8000-clean", "user-groups.json", groups([(f"G{i}", "Investigator", [f"u{i}@corp.example"], [])
                                                        for i in range(n)]))

# The console's users table: 20,000 users of one group; clean: each user in a group of their own.
rows = "".join(f"user{i}@corp.example,Viewer,SOC,Responder\n" for i in range(20000))
write("group-20000-users", "users.csv", "Email,Direct XDR Role,Groups,Group Roles\n" + rows)
rows = "".join(f"user{i}@corp.example,Viewer,S{i:05d},Responder\n" for i in range(20000))
write("group-20000-users-clean", "users.csv", "Email,Direct XDR Role,Groups,Group Roles\n" + rows)


# One person with organization-level Admin in 4,000 organizations plus Finance; clean: 4,001 people.
def memberships(people):
    ms = []
    for i, (email, role, org) in enumerate(people):
        ms.append({"id": i + 1, "permissions": role, "account": {"id": 1, "name": "MSP"},
                   "organization": None if org is None else {"id": 1000 + org, "name": f"Org {org}"},
                   "user": {"id": 1 if email == "boss@msp.example" else i + 1, "email": email, "name": "User"},
                   "created_at": "2025-01-01 00:00:00 UTC"})
    return json.dumps({"memberships": ms, "pagination": {"next_page_token": None}}, separators=(",", ":"))


write("person-4000-orgs", "memberships.json",
      memberships([("boss@msp.example", "Finance", None)] + [("boss@msp.example", "Admin", o) for o in range(4000)]))
write("person-4000-orgs-clean", "memberships.json",
      memberships([("fin@msp.example", "Finance", None)] + [(f"admin{o}@c{o}.example", "Admin", o) for o in range(4000)]))

# A roleaudit XML snapshot of 40,000 grants; clean: the same snapshot as JSON.
grants = [(f"user{i}@corp.example", i % 400) for i in range(40000)]
xml = '<roleaudit-snapshot version="1">\n' + "".join(
    f'  <grant platform="huntress" principal="{p}" role="Read-only" level="organization" target="{t}"/>\n' for p, t in grants
) + "</roleaudit-snapshot>\n"
write("xml-40000-grants", "snapshot.xml", xml)
write("xml-40000-grants-clean", "snapshot.json", json.dumps({"roleaudit_snapshot": 1, "grants": [
    {"platform": "huntress", "principal": p, "role": "Read-only", "level": "organization", "target": str(t)} for p, t in grants]}))
