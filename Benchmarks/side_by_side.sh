#!/bin/bash
# Issue 13, part B: roleaudit and the peers in one run, side by side, each case ROUNDS times.
# Usage: Benchmarks/side_by_side.sh ROLEAUDIT WORKDIR [ROUNDS]
# WORKDIR must hold h1m.json and heavy.json, made with
#   python3 ../shared/peers/gen_huntress_real.py 1000000 WORKDIR/h1m.json 5000   (realistic)
#   python3 ../shared/peers/gen_huntress.py 1000000 WORKDIR/heavy.json           (heavy)
# and WORKDIR/cortex50k with `python3 Benchmarks/gen_cortex.py 50000 2000 WORKDIR/cortex50k`.
# PYTHON (default python3) runs the Python peer, DUCKPY (default python3) the DuckDB peer, PEERS
# (default ../shared/peers) is where both are. Prints label|wall s|user s|sys s|peak KB per run.
set -eu
B=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
# Resolved before the cd below: the script's own folder may be given relative to here.
PEERS=${PEERS:-$(cd "$(dirname "$0")/../../shared/peers" && pwd)}
cd "$2"
ROUNDS=${3:-2}
N="--now 2026-11-23T00:00:00Z --fail-on never"
t() { local label="$1"; shift; /usr/bin/time -f "$label|%e|%U|%S|%M" "$@" > /dev/null 2> time.err || { cat time.err; exit 1; }; tail -1 time.err; }
for _ in $(seq "$ROUNDS"); do
  t "realistic main job" "$B" scan h1m.json --output out-main $N
  t "realistic json only" "$B" scan h1m.json --output out-json --format json $N
  t "realistic python" "${PYTHON:-python3}" "$PEERS/python_peer.py" h1m.json py.csv
  t "realistic duckdb" "${DUCKPY:-python3}" "$PEERS/duckdb_peer.py" h1m.json duck.csv
  rm -f main.db
  t "realistic main job --history (new)" "$B" scan h1m.json --output out-hist --history main.db $N
  t "realistic main job --history (second)" "$B" scan h1m.json --output out-hist --history main.db --now 2026-11-24T00:00:00Z --fail-on never
  t "heavy main job" "$B" scan heavy.json --output out-heavy $N
  t "heavy json only" "$B" scan heavy.json --output out-heavy-json --format json $N
  t "heavy python" "${PYTHON:-python3}" "$PEERS/python_peer.py" heavy.json pyh.csv
  rm -f heavy.db
  t "heavy json --history (new)" "$B" scan heavy.json --output out-heavy-hist --format json --history heavy.db $N
  t "heavy json --history (second)" "$B" scan heavy.json --output out-heavy-hist --format json --history heavy.db --now 2026-11-24T00:00:00Z --fail-on never
  t "cortex json only" "$B" scan cortex50k --output out-cortex-json --format json $N
  t "cortex main job" "$B" scan cortex50k --output out-cortex $N
done
