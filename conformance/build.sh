#!/usr/bin/env bash
# Builds the test equipment into conformance/bin/, from the Go module proxy only:
#   - from this module (go.mod pins k8s.io/kubernetes; go.sum is committed): cluster (etcd and
#     kube-apiserver in one process), kube-controller-manager, kube-scheduler and the judge;
#   - third-party tools at the versions below, each with its own go.mod and go.sum (checked by
#     the Go checksum database): kwok, Helm v3 and v4, kustomize, and the peers the report
#     compares stslint with (kube-score, kubeconform), and actionlint for the workflows.
# Go's module and build caches make a second run take seconds.
set -euo pipefail
cd "$(dirname "$0")"
KWOK=v0.8.0
HELM3=v3.22.0
HELM4=v4.3.1
KUSTOMIZE=v5.8.1
KUBE_SCORE=v1.20.0
KUBECONFORM=v0.8.0
ACTIONLINT=v1.7.12

bin=$PWD/bin
mkdir -p "$bin"
go build -o "$bin/" ./cmd/... \
    k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler

# `go install` names a binary after its package; two are called helm, so each tool is built
# into its own directory and moved beside the others under the name used here. A stamp beside
# it records the package and version it was built from (linking again takes a while).
install() {
    local name=$1 package=$2
    local stamp=$bin/.$name.built dir
    if [ -x "$bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$package" ]; then
        return
    fi
    dir=$(mktemp -d)
    GOBIN=$dir go install "$package"
    mv "$dir"/* "$bin/$name"
    rmdir "$dir"
    echo "$package" >"$stamp"
}
install kwok sigs.k8s.io/kwok/cmd/kwok@$KWOK
install helm3 helm.sh/helm/v3/cmd/helm@$HELM3
install helm4 helm.sh/helm/v4/cmd/helm@$HELM4
install kustomize sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE
install kube-score github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE
install kubeconform github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM
# Checks the repository's workflows and action.yml (tests/workflows.rs).
install actionlint github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT

# kwok's stages, from its module at that version: nodes become Ready at once, pods Running and
# Ready (Job pods complete), deleted pods go away. One more, made from its pod-complete stage:
# Helm hook Pods complete too (Helm waits for a hook Pod to succeed; kwok's own stage completes
# only Pods owned by a Job).
stages=$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK/kustomize/stage
{
    for f in "$stages"/node/fast/node-initialize.yaml "$stages"/pod/fast/pod-ready.yaml \
        "$stages"/pod/fast/pod-complete.yaml "$stages"/pod/fast/pod-delete.yaml; do
        echo "---"
        cat "$f"
    done
    echo "---"
    # The owner (a Job) becomes the annotation: its selector's last three lines are replaced.
    sed -e 's/name: pod-complete$/name: pod-hook-complete/' \
        -e "/key: '.metadata.ownerReferences/,/- 'Job'/c\\
    - key: '.metadata.annotations[\"helm.sh/hook\"]'\\
      operator: 'Exists'" "$stages"/pod/fast/pod-complete.yaml
} >"$bin/kwok-stages.yaml"
