//! The defaults the API server fills in before admission policies see an object
//! (`pkg/apis/*/v1/defaults.go`): a policy on `object.spec.replicas` reads 1 where the
//! manifest says nothing. The fields policies commonly read, not every default.

use crate::yaml::{Entry, Node, Value};

/// `(path, value)`: set where the path's parent exists and the field is absent.
type Default = (&'static [&'static str], fn() -> Value);

fn int(i: i64) -> Value {
    Value::Int(i)
}

fn text(s: &'static str) -> Value {
    Value::Str(s.into())
}

/// A mapping default, written as YAML.
fn mapping(yaml: &str) -> Value {
    crate::yaml::parse(yaml)
        .documents
        .into_iter()
        .next()
        .map_or(Value::Null, |d| d.root.value)
}

const STATEFULSET: &[Default] = &[
    (&["spec", "replicas"], || int(1)),
    (&["spec", "podManagementPolicy"], || text("OrderedReady")),
    (&["spec", "revisionHistoryLimit"], || int(10)),
    (&["spec", "updateStrategy"], || {
        static VALUE: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        VALUE
            .get_or_init(|| mapping("type: RollingUpdate\nrollingUpdate:\n  partition: 0\n"))
            .clone()
    }),
    (&["spec", "persistentVolumeClaimRetentionPolicy"], || {
        static VALUE: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        VALUE
            .get_or_init(|| mapping("whenDeleted: Retain\nwhenScaled: Retain\n"))
            .clone()
    }),
];

const DEPLOYMENT: &[Default] = &[
    (&["spec", "replicas"], || int(1)),
    (&["spec", "revisionHistoryLimit"], || int(10)),
    (&["spec", "progressDeadlineSeconds"], || int(600)),
];

const REPLICASET: &[Default] = &[(&["spec", "replicas"], || int(1))];

const DAEMONSET: &[Default] = &[(&["spec", "revisionHistoryLimit"], || int(10))];

const JOB: &[Default] = &[
    (&["spec", "backoffLimit"], || int(6)),
    (&["spec", "completionMode"], || text("NonIndexed")),
    (&["spec", "suspend"], || Value::Bool(false)),
];

const CRONJOB: &[Default] = &[
    (&["spec", "concurrencyPolicy"], || text("Allow")),
    (&["spec", "suspend"], || Value::Bool(false)),
    (&["spec", "successfulJobsHistoryLimit"], || int(3)),
    (&["spec", "failedJobsHistoryLimit"], || int(1)),
];

const SERVICE: &[Default] = &[
    (&["spec", "type"], || text("ClusterIP")),
    (&["spec", "sessionAffinity"], || text("None")),
];

const CLAIM: &[Default] = &[(&["spec", "volumeMode"], || text("Filesystem"))];

const POD_SPEC: &[Default] = &[
    (&["restartPolicy"], || text("Always")),
    (&["dnsPolicy"], || text("ClusterFirst")),
    (&["schedulerName"], || text("default-scheduler")),
    (&["terminationGracePeriodSeconds"], || int(30)),
];

const CONTAINER: &[Default] = &[
    (&["terminationMessagePath"], || text("/dev/termination-log")),
    (&["terminationMessagePolicy"], || text("File")),
];

/// `node` with the defaults of its kind filled in (built-in kinds of `apiVersion`s the API
/// server serves; anything else unchanged).
pub fn defaulted(kind: &str, mut node: Node) -> Node {
    let table: &[Default] = match kind {
        "StatefulSet" => STATEFULSET,
        "Deployment" => DEPLOYMENT,
        "ReplicaSet" => REPLICASET,
        "DaemonSet" => DAEMONSET,
        "Job" => JOB,
        "CronJob" => CRONJOB,
        "Service" => SERVICE,
        "PersistentVolumeClaim" => CLAIM,
        _ => &[],
    };
    apply(&mut node, table);
    if kind == "Service" {
        if let Some(ports) = get_mut(&mut node, &["spec", "ports"]) {
            for port in items_mut(ports) {
                set_absent(port, "protocol", text("TCP"));
                if let Some(number) = port.get("port").map(|p| p.value.clone()) {
                    set_absent(port, "targetPort", number);
                }
            }
        }
    }
    let pod_spec: &[&str] = match kind {
        "Pod" => &["spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "StatefulSet" | "Deployment" | "ReplicaSet" | "DaemonSet" | "Job" | "PodTemplate" => {
            &["spec", "template", "spec"]
        }
        _ => return node,
    };
    if let Some(spec) = get_mut(&mut node, pod_spec) {
        // A Job's pods have no default restart policy: the API server requires one.
        let table = if matches!(kind, "Job" | "CronJob") {
            &POD_SPEC[1..]
        } else {
            POD_SPEC
        };
        apply(spec, table);
        for list in ["containers", "initContainers"] {
            if let Some(containers) = spec_list(spec, list) {
                for container in items_mut(containers) {
                    apply(container, CONTAINER);
                    let image = container.get("image").and_then(Node::as_str).unwrap_or("");
                    let policy = if image_is_latest(image) {
                        "Always"
                    } else {
                        "IfNotPresent"
                    };
                    set_absent(container, "imagePullPolicy", Value::Str(policy.into()));
                    if let Some(ports) = get_mut(container, &["ports"]) {
                        for port in items_mut(ports) {
                            set_absent(port, "protocol", text("TCP"));
                        }
                    }
                }
            }
        }
    }
    node
}

/// An image without a tag, or tagged `latest` (a digest pins it): pulled `Always`.
fn image_is_latest(image: &str) -> bool {
    if image.contains('@') {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) => tag == "latest",
        None => true,
    }
}

fn apply(node: &mut Node, table: &[Default]) {
    for (path, value) in table {
        let (field, parents) = path.split_last().expect("a default names a field");
        if let Some(parent) = get_mut(node, parents) {
            set_absent(parent, field, value());
        }
    }
}

fn spec_list<'a>(spec: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    get_mut(spec, &[key])
}

fn get_mut<'a>(node: &'a mut Node, path: &[&str]) -> Option<&'a mut Node> {
    path.iter()
        .try_fold(node, |node, key| match &mut node.value {
            Value::Map(entries) => entries
                .iter_mut()
                .find(|e| e.key.as_str() == Some(key) && !e.value.is_null())
                .map(|e| &mut e.value),
            _ => None,
        })
}

fn items_mut(node: &mut Node) -> &mut [Node] {
    match &mut node.value {
        Value::Seq(items) => items,
        _ => &mut [],
    }
}

/// Sets `key` in a mapping where it is absent or `null`.
fn set_absent(node: &mut Node, key: &str, value: Value) {
    let at = node.span.end..node.span.end;
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    let value = Node {
        value,
        span: at.clone(),
    };
    match entries.iter_mut().find(|e| e.key.as_str() == Some(key)) {
        Some(entry) if entry.value.is_null() => entry.value = value,
        Some(_) => {}
        None => entries.push(Entry {
            key: Node {
                value: Value::Str(key.into()),
                span: at,
            },
            value,
        }),
    }
}
