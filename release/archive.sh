#!/usr/bin/env bash
# Packs one release archive, as `.github/workflows/release.yml` publishes them and `action.yml`
# downloads them: `stslint-<target>.tar.gz` (`.zip` for Windows) holding the binary at its
# root with README.md, LICENSE and CHANGELOG.md, and beside it `<archive>.sha256` in
# `sha256sum` format (the release job joins them into SHA256SUMS).
#
# Usage: release/archive.sh BINARY TARGET OUTDIR
set -euo pipefail
if [ $# -ne 3 ]; then
    echo "usage: $0 BINARY TARGET OUTDIR" >&2
    exit 2
fi
binary=$1 target=$2 out=$3
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
case $target in
    *windows*) exe=stslint.exe ;;
    *) exe=stslint ;;
esac
cp "$binary" "$stage/$exe"
chmod +x "$stage/$exe"
cp "$root/README.md" "$root/LICENSE" "$root/CHANGELOG.md" "$stage/"
case $target in
    *windows*)
        name=stslint-$target.zip
        (cd "$stage" && rm -f "$out/$name" && zip -q "$out/$name" "$exe" README.md LICENSE CHANGELOG.md)
        ;;
    *)
        name=stslint-$target.tar.gz
        tar -czf "$out/$name" -C "$stage" "$exe" README.md LICENSE CHANGELOG.md
        ;;
esac
(cd "$out" && if command -v sha256sum >/dev/null; then sha256sum "$name"; else shasum -a 256 "$name"; fi) >"$out/$name.sha256"
echo "$out/$name"
