#!/usr/bin/env bash
# End-to-end benchmark: lints ../shared/corpus and the ~100 MB corpus built by make_big.py with
# the release build, and prints wall time, documents per second and peak RSS for each.
# Usage: benches/corpus.sh [OUT_DIR]   (OUT_DIR keeps the generated corpus between runs)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "skipped: $corpus is absent"; exit 0; }
out=${1:-${TMPDIR:-/tmp}/stslint-bench}
if [ ! -d "$out/big" ]; then
    mkdir -p "$out"
    python3 "$corpus/make_big.py" --corpus "$corpus" --out "$out" >/dev/null
fi
cargo build --release --quiet
bin=target/release/stslint
run() {
    local label=$1; shift
    local stats
    stats=$( { /usr/bin/time -f '%e %M' "$bin" check --format json "$@" >"$out/result.json"; } 2>&1 | tail -1) || true
    local wall=${stats% *} rss=${stats#* }
    local docs
    docs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['documents'])" "$out/result.json")
    python3 - "$label" "$wall" "$rss" "$docs" <<'PY'
import sys
label, wall, rss, docs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rate = docs / wall if wall > 0 else float("inf")
print(f"{label:<24} {docs:>7} documents  {wall:6.2f} s  {rate:>9,.0f} documents/s  peak RSS {rss / 1024:,.0f} MB")
PY
}
run "shared corpus" "$corpus"
run "big/ (~100 MB)" "$out/big"
run "big-one.yaml (~50 MB)" "$out/big-one.yaml"
