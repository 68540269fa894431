#!/usr/bin/env bash
# Whole-CLI leak-scope benchmark (issue 5): writes the generated export as an MBOX of MIB MiB
# of decoded mail (bodies + attachments, like `scope_export`), then times
# `mimamori scope EXPORT.mbox --out DIR`: mail reading, MIME decoding, attachment extraction,
# recognition, persons, scope.json and scope.md. Prints CPU seconds, MiB of decoded mail and
# of MBOX per CPU-second, and the peak resident memory (GNU time).
#
# The export cycles a pool of ~68 generated messages, so every attachment repeats: the run
# uses `--no-reuse` (every copy read again), else the scope's reuse of identical attachments
# would answer nearly all of them from its cache. REUSE=1 measures with the reuse instead.
#
#   [REUSE=1] scripts/bench-scope.sh [MIB=1024] [SEEDS=4] [WORKDIR=/tmp/mimamori-bench-scope]
set -euo pipefail
MIB=${1:-1024}
SEEDS=${2:-4}
WORK=${3:-/tmp/mimamori-bench-scope}
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p mimamori --bin mimamori
cargo build --release -q -p pii --example write_mbox
mkdir -p "$WORK"
MBOX="$WORK/export.mbox"
"$TARGET/release/examples/write_mbox" "$MBOX" "$MIB" "$SEEDS"
rm -rf "$WORK/out"
/usr/bin/time -f "%e s wall, %U s user, %S s sys, max RSS %M KiB" -o "$WORK/time.txt" \
    "$TARGET/release/mimamori" scope "$MBOX" --out "$WORK/out" \
    $([ "${REUSE:-0}" = 1 ] || echo --no-reuse) > /dev/null
cat "$WORK/time.txt"
python3 - "$WORK/time.txt" "$MBOX" "$MIB" "$WORK/out/scope.json" <<'PY'
import json, os, re, sys
t = open(sys.argv[1]).read()
user, sys_ = (float(x) for x in re.search(r"([\d.]+) s user, ([\d.]+) s sys", t).groups())
cpu = user + sys_
mbox = os.path.getsize(sys.argv[2]) / 2**20
mib = float(sys.argv[3])
s = json.load(open(sys.argv[4]))
print(f"CPU {cpu:.1f} s: {mib / cpu:.1f} MiB of decoded mail per CPU-second "
      f"({mbox / cpu:.1f} MiB of MBOX, {mbox:.0f} MiB)")
print(f"messages {s['messages']['total']}, persons {s['persons']['count']}, "
      f"files with findings {s['files_total']}, not inspected {s['not_inspected_total']}")
PY
