#!/bin/sh
# Issue 13: "a Cortex tenant of 50,000 users and 2,000 groups nested three deep: under 2 s".
# Generates the tenant with gen_cortex.py and times `roleaudit scan` on it, JSON only and all six
# formats, RUNS times each, then counts the grants by the depth of their `via` in entitlements.csv.
# Usage: Benchmarks/bench_cortex.sh [ROLEAUDIT] [USERS] [GROUPS] [RUNS]   (defaults /tmp/ra-cur 50000 2000 3)
set -eu
RA=${1:-/tmp/ra-cur}
NUSERS=${2:-50000}
NGROUPS=${3:-2000}
RUNS=${4:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=/tmp/cortex-bench-$NUSERS-$NGROUPS
OUT=/tmp/cortex-bench-out
NOW=2026-11-23T00:00:00Z

rm -rf "$DATA"
python3 "$HERE/gen_cortex.py" "$NUSERS" "$NGROUPS" "$DATA"
sha256sum "$DATA"/*
uptime
for mode in json all; do
    i=1
    while [ "$i" -le "$RUNS" ]; do
        rm -rf "$OUT-$mode-$i"
        if [ "$mode" = json ]; then set -- --format json; else set --; fi
        /usr/bin/time -f "$mode run $i: %e s %M KB (user %U s, sys %S s)" \
            "$RA" scan "$DATA" --output "$OUT-$mode-$i" "$@" --now "$NOW" --fail-on never >"$OUT-$mode-$i.log" 2>&1 \
            || { echo "$mode run $i: exit $?"; tail -5 "$OUT-$mode-$i.log"; exit 1; }
        tail -1 "$OUT-$mode-$i.log"
        sed -n 's/^roleaudit [^:]*: //p; /findings (/p' "$OUT-$mode-$i.log"
        i=$((i + 1))
    done
done
uptime
python3 - "$OUT-all-1/entitlements.csv" <<'EOF'
import collections, csv, sys
depth = collections.Counter()
example = {}
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.DictReader(f):
        via = row["via"]
        d = "direct" if via == "direct" else f"group depth {via.count(' > ') + 1}"
        depth[d] += 1
        example.setdefault(d, via)
for d, n in sorted(depth.items()):
    print(f"{d}: {n} grants, e.g. {example[d]}")
EOF
