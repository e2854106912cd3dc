#!/usr/bin/env bash
# The conformance run: builds the test equipment (etcd, kube-apiserver, the controller manager,
# the scheduler, kwok and the judge, from Go modules: go.mod pins k8s.io/kubernetes), starts a
# control plane on loopback, and judges stslint's findings on the examples, the test fixtures,
# the shared corpus, every rule's examples and 5,000 seeded single-field mutations: on create,
# on update (each mutation against its base) and at run time (scenes deployed for real).
# Writes conformance/REPORT.md.
#
#   conformance/run.sh [STSLINT_BINARY]           default target/release/stslint (built if absent)
#   conformance/run.sh --check [STSLINT_BINARY]   also fail when REPORT.md differs from the
#                                                 committed one (CI: agreement may not drift)
# Exit 1 when a finding claims what the cluster contradicts, an error-severity rule's claim is not
# confirmed on its invalid example, or (with --check) on drift or agreement below the committed.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
if [ "${1:-}" = "--check" ]; then
    check=true
    shift
fi
stslint=${1:-target/release/stslint}
if [ ! -x "$stslint" ]; then
    cargo build --release --locked
fi
corpus=../shared/corpus
if [ ! -d "$corpus" ]; then
    if [ "${CI:-}" = true ]; then
        echo "conformance: $corpus is missing" >&2
        exit 1
    fi
    echo "conformance: skipped, $corpus is missing" >&2
    exit 0
fi
started=$(date +%s)
conformance/build.sh
echo "conformance: equipment built in $(( $(date +%s) - started )) s"
report=conformance/REPORT.md
fresh=$(mktemp --suffix=.md)
# The fresh report is the evidence when the run fails: kept then, and its path printed.
keep_on_failure() {
    local status=$?
    if [ "$status" -ne 0 ] && [ -s "$fresh" ]; then
        echo "conformance: the report of this run is kept in $fresh" >&2
    else
        rm -f "$fresh"
    fi
    exit "$status"
}
trap keep_on_failure EXIT
baseline=()
if $check; then
    baseline=(--baseline "$report")
fi
conformance/bin/judge --stslint "$stslint" --mutate 5000 --seed 1 "${baseline[@]}" --report "$fresh" \
    examples tests/fixtures "$corpus"
# What is deterministic must not drift: the dry-run verdicts on create and on update. The run
# time (and the per-rule counts it feeds) depends on timing; the judge itself fails when its
# agreement falls below the committed report's (--baseline) or a finding claims what the cluster
# did not show.
steady() { sed '/^## Agreement at run time/,/^## Not served/{/^## Not served/!d}' "$1"; }
if $check && ! diff -u <(steady "$report") <(steady "$fresh"); then
    echo "conformance: $report drifted from what the judge finds now; run conformance/run.sh and commit it" >&2
    exit 1
fi
cp "$fresh" "$report"
