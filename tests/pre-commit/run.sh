#!/usr/bin/env bash
# End-to-end check of .pre-commit-hooks.yaml with the real pre-commit (from PyPI), in a new git
# repository holding a kustomize base and overlay and a Helm chart:
#   - an access-mode typo (an error) is refused, shown with a serviceName typo (a warning);
#   - with the error fixed the commit is accepted, and the warning is still shown;
#   - a correct app committed in many files passes (one serial batch, the rest as context);
#   - kustomization.yaml and the chart's templates are never reported.
# Usage: tests/pre-commit/run.sh [HOOK_ID]
#   stslint-system (default): the stslint on PATH (tests put the binary cargo built there).
#   stslint: pre-commit builds the hook from this repository's HEAD (slow: a release build).
# Needs git, python3 and the package registries (for pre-commit itself).
set -euo pipefail
hook=${1:-stslint-system}
# shellcheck source=tests/pre-commit/setup.sh
source "$(dirname "$0")/setup.sh"

mkdir -p deploy/base deploy/overlays/prod charts/web/templates
cat > deploy/base/kustomization.yaml <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [service.yaml, statefulset.yaml]
YAML
cat > deploy/overlays/prod/kustomization.yaml <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
resources: [../../base]
YAML
cat > deploy/base/service.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
YAML
cat > deploy/base/statefulset.yaml <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: dbb
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:16
          ports: [{name: pg, containerPort: 5432}]
          volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnec], resources: {requests: {storage: 10Gi}}}
YAML
cat > charts/web/Chart.yaml <<'YAML'
apiVersion: v2
name: web
version: 0.1.0
YAML
cat > charts/web/values.yaml <<'YAML'
replicas: 2
YAML
cat > charts/web/templates/deployment.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
YAML

git add -A
if pre-commit run --all-files >"$logs/out.txt" 2>&1; then
    cat "$logs/out.txt"
    echo "FAIL: the access-mode typo was accepted"
    exit 1
fi
cat "$logs/out.txt"
grep -q "invalid-access-mode" "$logs/out.txt" || { echo "FAIL: the error was not shown"; exit 1; }
grep -q "statefulset-service-not-found" "$logs/out.txt" || { echo "FAIL: the warning was not shown"; exit 1; }
grep -q "deploy/base/statefulset.yaml:6:16" "$logs/out.txt" || { echo "FAIL: the position was not shown"; exit 1; }
grep -q "did you mean \`db\`" "$logs/out.txt" || { echo "FAIL: no suggestion"; exit 1; }
if grep -q "kustomization.yaml\|templates/deployment.yaml" "$logs/out.txt"; then
    echo "FAIL: a tool configuration or a chart template was reported"
    exit 1
fi

# The error fixed, the warning left: accepted, and the warning still shown.
sed -i 's/ReadWriteOnec/ReadWriteOnce/' deploy/base/statefulset.yaml
git add -A
if ! git commit --quiet -m "app" >"$logs/out.txt" 2>&1; then
    cat "$logs/out.txt"
    echo "FAIL: a commit with only a warning was refused"
    exit 1
fi
cat "$logs/out.txt"
grep -q "statefulset-service-not-found" "$logs/out.txt" || { echo "FAIL: the warning was not shown on a passing commit"; exit 1; }

sed -i 's/serviceName: dbb/serviceName: db/' deploy/base/statefulset.yaml
git add -A
if ! git commit --quiet -m "service name" >"$logs/out.txt" 2>&1; then
    cat "$logs/out.txt"
    echo "FAIL: the fixed app was refused"
    exit 1
fi
cat "$logs/out.txt"

# A later commit touching only the StatefulSet: its Service is found in the repository.
sed -i 's/storage: 10Gi/storage: 20Gi/' deploy/base/statefulset.yaml
git add -A
if ! git commit --quiet -m "grow" >"$logs/out.txt" 2>&1; then
    cat "$logs/out.txt"
    echo "FAIL: a commit of the StatefulSet alone was refused"
    exit 1
fi
echo "pre-commit ($hook): error refused with the warning shown, warning shown on an accepted commit, fixed app and partial commit accepted"
