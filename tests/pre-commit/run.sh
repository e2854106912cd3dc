#!/usr/bin/env bash
# End-to-end check of .pre-commit-hooks.yaml with the real pre-commit (from PyPI): a temporary
# git repository uses this repository as its hook repository; committing a broken StatefulSet
# must be refused with the finding shown, committing the fixed one must pass.
# Usage: tests/pre-commit/run.sh   (needs git, python3 and the package registries)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
cache=${STSLINT_PRE_COMMIT_CACHE:-$repo/target/pre-commit}
mkdir -p "$cache"
if [ ! -x "$cache/venv/bin/pre-commit" ]; then
    python3 -m venv "$cache/venv"
    "$cache/venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==4.*"
fi
export PATH="$cache/venv/bin:$PATH"
export PRE_COMMIT_HOME="$cache/home"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init --quiet
git config user.email ci@example.com
git config user.name CI
git config commit.gpgsign false
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: stslint
YAML
pre-commit --version
pre-commit install --install-hooks >/dev/null

cat > db.yaml <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  podManagementPolicy: parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:16
          volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}
YAML
git add .pre-commit-config.yaml db.yaml
if git commit --quiet -m "broken" >"$work/out.txt" 2>&1; then
    cat "$work/out.txt"
    echo "FAIL: the commit of a broken StatefulSet was accepted"
    exit 1
fi
cat "$work/out.txt"
grep -q "invalid-pod-management-policy" "$work/out.txt" || { echo "FAIL: the finding was not shown"; exit 1; }
grep -q "db.yaml:7:24" "$work/out.txt" || { echo "FAIL: the position was not shown"; exit 1; }

sed -i 's/podManagementPolicy: parallel/podManagementPolicy: Parallel/' db.yaml
git add db.yaml
if ! git commit --quiet -m "fixed" >"$work/out.txt" 2>&1; then
    cat "$work/out.txt"
    echo "FAIL: the commit of the fixed StatefulSet was refused"
    exit 1
fi
cat "$work/out.txt"
echo "pre-commit: broken commit refused with the finding, fixed commit accepted"
