#!/usr/bin/env bash
# Fuzz stslint with cargo-fuzz (libFuzzer; needs the nightly toolchain and `cargo install
# cargo-fuzz`). Seeds each target's corpus from the repository's own manifests, rule examples
# and configurations, then runs every target for SECONDS (default 60) with one job each.
# Inputs that crash are written under fuzz/artifacts/TARGET/: minimise one with
# `cargo +nightly fuzz tmin TARGET FILE`, fix the bug, and copy it to fuzz/regressions/TARGET/,
# which `cargo test --test fuzz_regressions` replays on stable.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pipeline fix stream config)
mkdir -p corpus/pipeline corpus/fix corpus/stream corpus/config
for f in ../examples/*/*.yaml ../examples/*/*/*.yaml ../tests/fixtures/input/*.y*ml ../tests/fixtures/input/*.json regressions/pipeline/*; do
    [ -f "$f" ] && cp "$f" "corpus/pipeline/$(basename "$(dirname "$f")")-$(basename "$f")"
done
python3 - <<'PY'
import glob, os, tomllib
for path in glob.glob("../rules/*.toml"):
    doc = tomllib.load(open(path, "rb"))
    name = os.path.basename(path)[:-5]
    for key in ("invalid", "valid"):
        if key in doc:
            text = doc[key]
            if "previous" in doc:
                text = text + "\n#previous\n" + doc["previous"]
            open(f"corpus/pipeline/rule-{name}-{key}.yaml", "w").write(text)
PY
# The stream and fix targets start from the pipeline's seeds (the stream's first byte picks the
# batch size).
cp corpus/pipeline/* corpus/stream/ 2>/dev/null || true
cp corpus/pipeline/* corpus/fix/ 2>/dev/null || true
for f in regressions/fix/*; do
    [ -f "$f" ] && cp "$f" "corpus/fix/regression-$(basename "$f")"
done
for f in regressions/stream/*; do
    [ -f "$f" ] && cp "$f" "corpus/stream/regression-$(basename "$f")"
done
for f in seeds/config/* regressions/config/*; do
    [ -f "$f" ] && cp "$f" "corpus/config/$(basename "$(dirname "$f")")-$(basename "$f")"
done
for target in "${targets[@]}"; do
    echo "== $target: $seconds s"
    cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
