#!/usr/bin/env bash
# End-to-end check of the `stslint-upgrade-system` hook with the real pre-commit: in a new
# repository, the first commit passes (nothing to compare with), a commit growing a claim
# template's storage is refused with the finding and the previous line shown, and a commit
# changing only the image and replicas is accepted.
# Usage: tests/pre-commit/upgrade.sh (the stslint on PATH is used; see run.sh for the rest).
set -euo pipefail
hook=stslint-upgrade-system
# shellcheck source=tests/pre-commit/setup.sh
source "$(dirname "$0")/setup.sh"
mkdir -p deploy
cat > deploy/db.yaml <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:16
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 10Gi}}
YAML
git add -A
if ! git commit --quiet -m "db" >"$logs/out.txt" 2>&1; then
    cat "$logs/out.txt"
    echo "FAIL: the first commit was refused"
    exit 1
fi

sed -i 's/storage: 10Gi/storage: 20Gi/' deploy/db.yaml
git add -A
if git commit --quiet -m "grow" >"$logs/out.txt" 2>&1; then
    cat "$logs/out.txt"
    echo "FAIL: growing the claim template was accepted"
    exit 1
fi
cat "$logs/out.txt"
grep -q "claim-template-immutable" "$logs/out.txt" || { echo "FAIL: the finding was not shown"; exit 1; }
grep -q "deploy/db.yaml:19:41" "$logs/out.txt" || { echo "FAIL: the new line was not shown"; exit 1; }
grep -q "HEAD:deploy/db.yaml:19:41" "$logs/out.txt" || { echo "FAIL: the previous line was not shown"; exit 1; }

sed -i 's/storage: 20Gi/storage: 10Gi/; s/postgres:16/postgres:17/; s/replicas: 3/replicas: 5/' deploy/db.yaml
git add -A
if ! git commit --quiet -m "upgrade postgres" >"$logs/out.txt" 2>&1; then
    cat "$logs/out.txt"
    echo "FAIL: an image and replicas change was refused"
    exit 1
fi
echo "pre-commit (stslint-upgrade-system): first commit accepted, grown claim template refused with both lines, image change accepted"
