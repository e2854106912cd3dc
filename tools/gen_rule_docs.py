#!/usr/bin/env python3
"""One-off generator for the first rules/*.toml files (kept for reference; edit the TOML now)."""
import json, subprocess, sys

SVC = """apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
    - name: pg
      port: 5432
      targetPort: pg
"""
STS = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  podManagementPolicy: Parallel
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: postgres
          image: postgres:16
          ports:
            - name: pg
              containerPort: 5432
          readinessProbe:
            tcpSocket:
              port: pg
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: ssd
        resources:
          requests:
            storage: 10Gi
"""
BASE = SVC + "---\n" + STS
HOOK = """apiVersion: v1
kind: Pod
metadata:
  name: db-migrate
  annotations:
    helm.sh/hook: pre-install
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  containers:
    - name: migrate
      image: postgres:16
"""

def sub(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)

K8S = "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/"
R = [
 ("statefulset-no-volume-claim-templates","warning","storage",True,
  "A StatefulSet without `volumeClaimTemplates`: its pods keep no storage of their own.",
  "A StatefulSet's point is stable identity *and* stable storage. Without claim templates, data goes to an emptyDir or the container filesystem and is lost when a pod is rescheduled, evicted or its node fails. Stateless pods that only need stable names (coordinating or arbiter nodes) may do without; ignore the rule for them with a reason.",
  "Add `spec.volumeClaimTemplates` with a claim per pod and mount it, or use a Deployment when the pods keep no state.",
  sub(sub(BASE, """          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
""", ""), STS[STS.index("  volumeClaimTemplates:"):], ""), BASE, [K8S+"#stable-storage"]),
 ("claim-template-missing-storage","error","storage",True,
  "A claim template without `spec.resources.requests.storage`.",
  "The PersistentVolumeClaim made from the template has no size: the API server rejects it, the StatefulSet controller cannot create the pod's claim, and the pod stays Pending.",
  "Add `resources: {requests: {storage: 10Gi}}` with the size the pod needs.",
  sub(BASE, """        resources:
          requests:
            storage: 10Gi
""", """        resources:
          limits: {}
"""), BASE, ["https://kubernetes.io/docs/concepts/storage/persistent-volumes/#resources"]),
 ("invalid-storage-quantity","error","storage",True,
  "A storage request that is not a Kubernetes quantity (`10Gb`, `1 Gi`, `ten`), or is zero or negative.",
  "The API server rejects a claim whose size does not parse as a quantity (`10Gb` and `1 Gi` do not: the suffixes are `Ki Mi Gi Ti Pi Ei` and `k M G T P E`, with no space and no `B`) or is not positive. Quantities are parsed exactly as Kubernetes does.",
  "Write a quantity such as `10Gi`; the message suggests the likely intended one.",
  sub(BASE, "storage: 10Gi", "storage: 10Gb"), BASE, ["https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/"]),
 ("storage-decimal-suffix","info","storage",False,
  "A storage request with a decimal suffix (`1G`) where a binary one (`1Gi`) is almost certainly meant.",
  "`1G` is 1,000,000,000 bytes, 7% less than `1Gi`; disks and filesystems are sized in binary units, so the volume is smaller than it reads. Opt-in: some teams use decimal units on purpose.",
  "Write the binary suffix: `1Gi`, `500Mi`.",
  sub(BASE, "storage: 10Gi", "storage: 10G"), BASE, ["https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/"]),
 ("claim-template-missing-access-modes","error","storage",True,
  "A claim template with no `accessModes`.",
  "The API server rejects a PersistentVolumeClaim without at least one access mode, so the pod's claim is never created and the pod stays Pending.",
  "Add `accessModes: [ReadWriteOnce]` (one pod per volume, what a per-pod claim needs).",
  sub(BASE, "        accessModes: [ReadWriteOnce]\n", ""), BASE, ["https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes"]),
 ("invalid-access-mode","error","storage",True,
  "An access mode that does not exist (`ReadWriteOnly`, `RWO`, wrong case).",
  "The API server accepts only `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` and `ReadWriteOncePod`, case-sensitive. The abbreviations `RWO`/`RWX` seen in docs and `kubectl get pv` output are not values.",
  "Use one of the four modes; the message names the likely intended one.",
  sub(BASE, "accessModes: [ReadWriteOnce]", "accessModes: [ReadWriteOnly]"), BASE, ["https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes"]),
 ("claim-template-shared-access-mode","info","storage",False,
  "`ReadWriteMany` or `ReadOnlyMany` on a per-pod claim template.",
  "Each pod gets its own claim from a template, so a shared mode buys nothing, and many storage classes (most block storage) cannot provision it: the claim stays Pending. Opt-in: on file storage it is harmless.",
  "Use `ReadWriteOnce` (or `ReadWriteOncePod`).",
  sub(BASE, "accessModes: [ReadWriteOnce]", "accessModes: [ReadWriteMany]"), BASE, ["https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes"]),
 ("claim-template-no-storage-class","info","storage",False,
  "A claim template without `storageClassName`.",
  "Without a class the cluster's default StorageClass decides speed, replication and reclaim policy, which differ between clusters. Opt-in: relying on the default is a common, deliberate choice.",
  "Name the class the data needs: `storageClassName: ssd`.",
  sub(BASE, "        storageClassName: ssd\n", ""), BASE, ["https://kubernetes.io/docs/concepts/storage/persistent-volumes/#class-1"]),
 ("volume-mount-not-found","error","storage",True,
  "A container `volumeMount` whose name matches neither a pod volume nor a claim template.",
  "The API server rejects a pod template that mounts a volume it does not define. In a StatefulSet the claim templates count as volumes; a typo in either name is the usual cause.",
  "Fix the name, or add the volume under `volumes` (or a claim template).",
  sub(BASE, "            - name: data\n              mountPath", "            - name: date\n              mountPath"), BASE, ["https://kubernetes.io/docs/concepts/storage/volumes/"]),
 ("claim-template-not-mounted","warning","storage",True,
  "A claim template that no container mounts.",
  "Each pod gets a claim, the cluster provisions a disk for it, and nothing writes to it: the state goes to the container filesystem or an emptyDir and is lost on restart. Usually the mount names another volume by mistake.",
  "Mount the claim in the container that keeps the state (`volumeMounts: [{name: data, mountPath: /data}]`), or remove the template.",
  sub(BASE, """          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
""", """          volumeMounts:
            - name: scratch
              mountPath: /var/lib/postgresql/data
      volumes:
        - name: scratch
          emptyDir: {}
"""), BASE, [K8S+"#stable-storage"]),
 ("claim-template-volume-name-conflict","error","storage",True,
  "A claim template whose name is also a pod volume's.",
  "The StatefulSet controller adds a volume per claim template to each pod; a pod volume of the same name makes the pod spec invalid and the pods are never created.",
  "Rename the claim template or the pod volume.",
  sub(BASE, """              mountPath: /var/lib/postgresql/data
""", """              mountPath: /var/lib/postgresql/data
      volumes:
        - name: data
          emptyDir: {}
"""), BASE, [K8S+"#volume-claim-templates"]),
 ("statefulset-missing-service-name","warning","service",True,
  "A StatefulSet without `spec.serviceName`.",
  "The governing Service gives each pod a stable DNS name (`db-0.db.ns.svc`). Without it, peers cannot find each other by name and clustering, replication and leader election break. Optional since Kubernetes 1.32, but stateful apps almost always need it. Like kube-score's `statefulset-has-servicename`.",
  "Add a headless Service (`clusterIP: None`) selecting the pods and name it in `serviceName`.",
  sub(BASE, "  serviceName: db\n", ""), BASE, [K8S+"#stable-network-id"]),
 ("statefulset-service-not-found","warning","service",True,
  "`serviceName` names no Service of the same namespace among the linted objects.",
  "Pods get no DNS records until the governing Service exists. A Service kept in another file or chart is fine: lint it too, or pass it with `--context`. Objects without a namespace match any namespace (unless `--namespace` says where they go); a Service of that name in another explicit namespace is reported as a namespace mistake.",
  "Create the headless Service, fix the name, or lint the file that has it.",
  sub(BASE, "  serviceName: db\n", "  serviceName: db-headless\n"), BASE, [K8S+"#stable-network-id"]),
 ("governing-service-not-headless","warning","service",True,
  "The StatefulSet's governing Service is not headless.",
  "Per-pod DNS records (`db-0.db`) are only created for a headless Service (`clusterIP: None`). A ClusterIP, NodePort or LoadBalancer Service named in `serviceName` load-balances instead, and peers cannot address each other.",
  "Add a separate headless Service for `serviceName` and keep the other one for clients.",
  sub(BASE, "  clusterIP: None\n", "  type: ClusterIP\n"), BASE, [K8S+"#stable-network-id", "https://kubernetes.io/docs/concepts/services-networking/service/#headless-services"]),
 ("governing-service-selector-mismatch","warning","service",True,
  "The governing Service's selector does not select the StatefulSet's pods.",
  "DNS records of a headless Service are made for the pods it selects. If its selector misses the StatefulSet's pod labels, the pods get no names.",
  "Make the Service's selector a subset of the pod template's labels.",
  sub(BASE, "  selector:\n    app: db\n", "  selector:\n    app: postgres\n"), BASE, [K8S+"#stable-network-id"]),
 ("service-selects-no-pods","warning","service",True,
  "A Service whose selector matches no pod template among the linted objects.",
  "A Service that selects nothing has no endpoints: clients get connection refused or time out. Checked only when the linted objects include at least one workload (so a Service linted without its pods is not flagged); ExternalName and selector-less Services are skipped. Pods whose template has some of the selector's labels with the same values and lacks the others (labels a controller adds at run time, such as Vault's `vault-active`) count as selected: fewer false positives than kube-linter's `dangling-service`.",
  "Make the selector match the pod template labels, or lint the workload too (`--context`).",
  sub(BASE, "  selector:\n    app: db\n", "  selector:\n    app: dbx\n").replace("  serviceName: db\n", "  serviceName: db\n", 1), BASE, ["https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service"]),
 ("service-target-port-not-found","warning","service",True,
  "A Service `targetPort` given by name that no container port of the selected pods carries.",
  "A named targetPort is resolved against the selected pods' container ports; when none has that name, the endpoint has no port and traffic is refused. Numeric target ports are not checked (containerPort is informational). Like kube-linter's `invalid-target-ports`, but resolved against the pods actually selected.",
  "Use a port name the container declares, or the port number.",
  sub(BASE, "      targetPort: pg\n", "      targetPort: postgres\n"), BASE, ["https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports"]),
 ("service-port-invalid","error","service",True,
  "Service ports the API server rejects: an unnamed port among several, duplicate names or port/protocol pairs, numbers out of range.",
  "Each is a validation error: the Service is not created and nothing routes to the pods.",
  "Name every port of a multi-port Service, keep names and port/protocol pairs unique, use 1–65535.",
  sub(BASE, """    - name: pg
      port: 5432
      targetPort: pg
""", """    - name: pg
      port: 5432
      targetPort: pg
    - port: 9187
      targetPort: 9187
"""), BASE, ["https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services"]),
 ("pod-management-policy-not-set","warning","controller",True,
  "A StatefulSet that does not declare `podManagementPolicy` (or leaves it empty).",
  "The default, OrderedReady, creates, replaces and deletes pods one at a time and waits for each to be Ready: a slow or crash-looping pod 0 blocks the rest, and scaling takes replicas × start-up time. Pods that do not depend on each other (like the lab chart's web app) should say `Parallel`; ordered start-up should be a deliberate `OrderedReady`.",
  "Declare `podManagementPolicy: Parallel` or `podManagementPolicy: OrderedReady`.",
  sub(BASE, "  podManagementPolicy: Parallel\n", ""), BASE, [K8S+"#pod-management-policies"]),
 ("invalid-pod-management-policy","error","controller",True,
  "`podManagementPolicy` with a value other than `OrderedReady` or `Parallel`.",
  "The API server rejects the StatefulSet; the values are case-sensitive, so `parallel` is rejected too.",
  "Write `Parallel` or `OrderedReady`.",
  sub(BASE, "podManagementPolicy: Parallel", "podManagementPolicy: parallel"), BASE, [K8S+"#pod-management-policies"]),
 ("workload-selector-mismatch","error","controller",True,
  "`spec.selector` missing, or not matching `spec.template.metadata.labels` (apps/v1 workloads).",
  "apps/v1 StatefulSets, Deployments, DaemonSets and ReplicaSets require a selector, and the API server rejects one that does not select the object's own pod template. Like kube-linter's `mismatching-selector`; `matchExpressions` are not evaluated.",
  "Make every `matchLabels` entry a label of the pod template.",
  sub(BASE, "    matchLabels:\n      app: db\n", "    matchLabels:\n      app: database\n"), BASE, ["https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#pod-selector"]),
 ("invalid-update-strategy","error","controller",True,
  "A StatefulSet `updateStrategy.type` other than `RollingUpdate` or `OnDelete`.",
  "The API server rejects it. `Recreate` is a Deployment strategy and is not valid here.",
  "Use `RollingUpdate` (the default) or `OnDelete`.",
  sub(BASE, "  podManagementPolicy: Parallel\n", "  podManagementPolicy: Parallel\n  updateStrategy:\n    type: Recreate\n"), BASE, [K8S+"#update-strategies"]),
 ("partition-exceeds-replicas","info","controller",True,
  "`updateStrategy.rollingUpdate.partition` greater than `replicas`.",
  "Only pods with an ordinal at or above the partition are updated, so a partition above the replica count means a rollout changes nothing: usually a canary left in place.",
  "Lower the partition (0 updates every pod).",
  sub(BASE, "  podManagementPolicy: Parallel\n", "  podManagementPolicy: Parallel\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 5\n"), BASE, [K8S+"#partitions"]),
 ("negative-replicas","error","controller",True,
  "A negative `replicas`.",
  "The API server rejects it.",
  "Use 0 to scale down, or a positive count.",
  sub(BASE, "replicas: 3", "replicas: -1"), BASE, [K8S]),
 ("invalid-pvc-retention-policy","error","controller",True,
  "`persistentVolumeClaimRetentionPolicy` values other than `Retain` or `Delete`.",
  "The API server rejects the StatefulSet; the values are case-sensitive.",
  "Use `Retain` (the default: claims outlive the pods) or `Delete`.",
  sub(BASE, "  podManagementPolicy: Parallel\n", "  podManagementPolicy: Parallel\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Remove\n"), BASE, [K8S+"#persistentvolumeclaim-retention"]),
 ("invalid-restart-policy","error","pod",True,
  "A StatefulSet, Deployment, DaemonSet or ReplicaSet pod template with `restartPolicy` other than `Always`.",
  "These controllers keep pods running; the API server rejects `OnFailure` or `Never` in their templates.",
  "Remove `restartPolicy` or set it to `Always`; use a Job for run-to-completion pods.",
  sub(BASE, "    spec:\n      containers:", "    spec:\n      restartPolicy: Never\n      containers:"), BASE, ["https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy"]),
 ("removed-api-version","error","schema",True,
  "An object on an API version that the target Kubernetes version no longer serves.",
  "The API server answers `no matches for kind` and nothing is applied. Checked against `--kubernetes-version` (default: the version stslint's schemas are built for).",
  "Move to the replacement version the message names, and review that version's schema changes.",
  sub(BASE, "apiVersion: apps/v1", "apiVersion: apps/v1beta2"), BASE, ["https://kubernetes.io/docs/reference/using-api/deprecation-guide/"]),
 ("duplicate-container-name","error","pod",True,
  "Two containers (init containers included) of one pod with the same name.",
  "The API server rejects the pod template.",
  "Give every container a unique name.",
  sub(BASE, "    spec:\n      containers:", "    spec:\n      initContainers:\n        - name: postgres\n          image: busybox:1.36\n      containers:"), BASE, ["https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Container"]),
 ("invalid-container-port-name","error","pod",True,
  "A container port name longer than 15 characters, or used twice in a pod.",
  "Port names are IANA service names: at most 15 characters, and unique within the pod so that a named `targetPort` or probe port is unambiguous. The API server rejects the pod otherwise.",
  "Shorten the name (`http-metrics`), and keep names unique.",
  sub(sub(BASE, "- name: pg\n              containerPort", "- name: postgres-primary-port\n              containerPort"), "port: pg\n          volumeMounts", "port: 5432\n          volumeMounts").replace("targetPort: pg", "targetPort: 5432"), BASE, ["https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports"]),
 ("probe-port-not-found","error","pod",True,
  "A probe whose port is a name that its container does not declare.",
  "The API server rejects a probe port name that is not one of the container's named ports.",
  "Name the container port, or use its number.",
  sub(BASE, "              port: pg\n          volumeMounts", "              port: postgres\n          volumeMounts"), BASE, ["https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/"]),
 ("helm-hook-missing-delete-policy","warning","helm",True,
  "A Helm hook (`helm.sh/hook`) without `helm.sh/hook-delete-policy`.",
  "Helm does not delete hook resources by itself: a completed hook Pod or Job stays in the namespace forever, and the next install or upgrade fails because an object of that name already exists.",
  "Add `\"helm.sh/hook-delete-policy\": before-hook-creation,hook-succeeded`.",
  sub(HOOK, "    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n", ""), HOOK, ["https://helm.sh/docs/topics/charts_hooks/#hook-deletion-policies"]),
 ("invalid-helm-hook-annotation","error","helm",True,
  "A `helm.sh/hook` or `helm.sh/hook-delete-policy` value that Helm does not know.",
  "Helm ignores unknown items, so a typo (or a stray quote, as in `hook-succeeded\"`) silently disables the hook or its clean-up. The finding points inside the annotation at the bad item.",
  "Use the values Helm documents; the message suggests the closest one.",
  sub(HOOK, "before-hook-creation,hook-succeeded", "before-hook-creation,hook-succeded"), HOOK, ["https://helm.sh/docs/topics/charts_hooks/#the-available-hooks", "https://helm.sh/docs/topics/charts_hooks/#hook-deletion-policies"]),
]

def toml_str(s):
    return json.dumps(s, ensure_ascii=False)

def ml(s):
    assert '"""' not in s
    return '"""\n' + s.replace('\\', '\\\\') + '"""'

PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: db
"""
SPREAD = sub(BASE, """    spec:
      containers:""", """    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: db
      containers:""")
REQUESTS = sub(BASE, """          volumeMounts:
            - name: data""", """          resources:
            requests:
              cpu: 500m
              memory: 1Gi
          volumeMounts:
            - name: data""")
R += [
 ("service-target-port-not-exposed","info","service",False,
  "A numeric Service `targetPort` that no container of the selected pods declares.",
  "`containerPort` is informational, so traffic may still work, but an undeclared numeric target is often a wrong number. Opt-in because charts commonly leave ports undeclared.",
  "Declare the port in the container's `ports`, or fix the number.",
  sub(BASE, "      targetPort: pg\n", "      targetPort: 5433\n"), BASE, ["https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports"]),
 ("statefulset-no-pdb","warning","opinion",False,
  "A StatefulSet with more than one replica and no PodDisruptionBudget covering its pods.",
  "Without a budget a node drain may evict several members at once: a quorum-based store (etcd, ZooKeeper, Kafka KRaft) loses quorum. Opt-in: an opinion, and PDBs are often managed elsewhere.",
  "Add a PodDisruptionBudget with `maxUnavailable: 1` selecting the pods.",
  BASE, BASE + "---\n" + PDB, ["https://kubernetes.io/docs/tasks/run-application/configure-pdb/"]),
 ("no-pod-anti-affinity","warning","opinion",False,
  "A replicated StatefulSet or Deployment with neither pod anti-affinity nor topology spread constraints.",
  "The scheduler may put every replica on one node, and one node failure then takes them all. Opt-in: an opinion.",
  "Add `topologySpreadConstraints` over `kubernetes.io/hostname`, or a preferred `podAntiAffinity`.",
  BASE, SPREAD, ["https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/"]),
 ("missing-readiness-probe","warning","opinion",False,
  "A StatefulSet, Deployment or DaemonSet container without a readiness probe.",
  "Without one a pod is Ready as soon as its containers start: Services send it traffic too early, and an OrderedReady StatefulSet starts the next pod before this one serves. Opt-in: an opinion.",
  "Add a `readinessProbe` that checks the service is ready.",
  sub(BASE, """          readinessProbe:
            tcpSocket:
              port: pg
""", ""), BASE, ["https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/"]),
 ("missing-resource-requests","warning","opinion",False,
  "A container without CPU and memory requests.",
  "The scheduler places pods by their requests; a pod without them can land on a full node and is evicted first under memory pressure. Opt-in: an opinion.",
  "Add `resources.requests.cpu` and `resources.requests.memory`.",
  BASE, REQUESTS, ["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"]),
 ("image-tag-latest","warning","opinion",False,
  "An image with the `latest` tag or no tag.",
  "The image a pod runs then depends on when it was pulled: replicas of one StatefulSet can run different versions after restarts. Opt-in: an opinion.",
  "Pin a version tag or a digest.",
  sub(BASE, "image: postgres:16", "image: postgres:latest"), BASE, ["https://kubernetes.io/docs/concepts/containers/images/#image-names"]),
 ("service-exposed","info","opinion",False,
  "A LoadBalancer or NodePort Service.",
  "The Service is reachable from outside the cluster: intended for a web front end, rarely for a database. Opt-in: an inventory of exposure, not an error.",
  "Use `ClusterIP` unless outside clients need it; put web traffic behind an Ingress or Gateway.",
  BASE + "---\n" + sub(sub(SVC, "  name: db\n", "  name: db-public\n"), "  clusterIP: None\n", "  type: LoadBalancer\n"), BASE, ["https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"]),
]

only = set(sys.argv[2:])
binary = sys.argv[1]
for (rid, sev, cat, en, summary, why, fix, invalid, valid, refs) in R:
    if only and rid not in only:
        continue
    out = subprocess.run([binary, "check", "-", "--format", "json", "--extend-select", rid], input=invalid.encode(), capture_output=True)
    findings = json.loads(out.stdout)["findings"]
    expect = [f'{f["line"]}:{f["column"]}' for f in findings if f["rule"] == rid]
    others = [f["rule"] for f in findings if f["rule"] != rid]
    print(rid, expect, "others:", others, file=sys.stderr)
    doc = f'''id = "{rid}"
severity = "{sev}"
category = "{cat}"
enabled = {"true" if en else "false"}
summary = {toml_str(summary)}
why = {toml_str(why)}
fix = {toml_str(fix)}
invalid = {ml(invalid)}
expect = {json.dumps(expect)}
valid = {ml(valid)}
references = {json.dumps(refs)}
since = "0.1.0"
'''
    open(f"rules/{rid}.toml", "w").write(doc)
