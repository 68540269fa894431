#!/usr/bin/env bash
# Whole-program ingest benchmark: generate a large synthetic tenant (default ≥1 GB), ingest it
# into a fresh SQLite store and report records/s, MB/s and peak memory (GNU time's max RSS).
#
#   scripts/bench-ingest.sh [USERS] [DAYS] [WORKDIR]
#
# Defaults: 5000 users × 30 days in target/bench-ingest. Peak memory is measured for two input
# sizes (a quarter of the data, then all of it) to show it does not grow with input size.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-5000}
DAYS=${2:-30}
WORK=${3:-target/bench-ingest}
BIN=target/release/mimamori

cargo build --release -q -p mimamori
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK"
echo "== generating $USERS users × $DAYS days into $WORK/tenant"
$TIME -f "generate: %e s, peak RSS %M KiB" "$BIN" generate --out "$WORK/tenant" --users "$USERS" --days "$DAYS" >/dev/null
BYTES=$(du -sb "$WORK/tenant" | cut -f1)
echo "input: $((BYTES / 1024 / 1024)) MiB"

run() { # name, db, inputs…
  local name=$1 db=$2; shift 2
  rm -f "$db" "$db"-wal "$db"-shm
  local t0 t1 ms
  t0=$(date +%s%N)
  $TIME -o "$WORK/$name.time" -f "%M %e %U %S" "$BIN" --db "$db" ingest --json "$@" > "$WORK/$name.json"
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  python3 - "$WORK/$name.json" "$ms" "$name" "$WORK/$name.time" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); ms = int(sys.argv[2])
rss, wall, user, sys_ = open(sys.argv[4]).read().split()[-4:]
cpu = float(user) + float(sys_)
read = sum(f["read"] for f in r["files"]); stored = sum(f["stored"] for f in r["files"])
print(f"{sys.argv[3]}: {read} records read, {stored} stored; {ms/1000:.1f} s wall, "
      f"{cpu:.1f} s CPU (user+sys); {read/(ms/1000):,.0f} records/s wall, "
      f"{read/cpu:,.0f} records per CPU-second; peak RSS {int(rss)//1024} MiB")
PY
}

# A quarter of the sign-in pages, then everything: peak memory must stay flat.
mapfile -t PAGES < <(find "$WORK/tenant" -path '*signins/graph*' -name '*.json' | sort)
QUARTER=("${PAGES[@]:0:$(( ${#PAGES[@]} / 4 ))}")
run signins-quarter "$WORK/q.db" "${QUARTER[@]}"
run signins-all "$WORK/s.db" "${PAGES[@]}"
run everything "$WORK/all.db" "$WORK/tenant"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
