//! Negative `replicas`, and the other counts the API server requires to be non-negative:
//! `minReadySeconds`, `revisionHistoryLimit`, a StatefulSet's `partition` and `ordinals.start`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct NegativeReplicas;

impl Rule for NegativeReplicas {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let mut fields: Vec<&[&str]> = match object.kind {
            "StatefulSet" | "Deployment" | "ReplicaSet" | "ReplicationController" => {
                vec![&["spec", "replicas"], &["spec", "minReadySeconds"]]
            }
            "DaemonSet" => vec![&["spec", "minReadySeconds"]],
            _ => return,
        };
        if matches!(object.kind, "StatefulSet" | "Deployment" | "DaemonSet") {
            fields.push(&["spec", "revisionHistoryLimit"]);
        }
        if object.is("StatefulSet") {
            fields.push(&["spec", "updateStrategy", "rollingUpdate", "partition"]);
            fields.push(&["spec", "ordinals", "start"]);
        }
        for path in fields {
            let Some(value) = object.get(path) else {
                continue;
            };
            let Some(n) = value.as_i64().filter(|n| *n < 0) else {
                continue;
            };
            let field = path.last().copied().unwrap_or_default();
            let help = if field == "replicas" {
                "use 0 to scale down, or a positive count"
            } else {
                "use 0 or a positive number"
            };
            sink.report(
                object,
                value.span.clone(),
                format!("`{field}: {n}` is negative"),
            )
            .with_help_text(format!(
                "the API server rejects the {} (\"must be greater than or equal to 0\"); {help}",
                object.kind
            ));
        }
    }
}
