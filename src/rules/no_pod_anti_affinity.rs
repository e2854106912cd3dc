//! A replicated workload with neither pod anti-affinity nor topology spread constraints.
use super::{pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct NoPodAntiAffinity;

impl Rule for NoPodAntiAffinity {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !matches!(object.kind, "StatefulSet" | "Deployment") {
            return;
        }
        let replicas = object
            .get(&["spec", "replicas"])
            .and_then(|r| r.as_i64())
            .unwrap_or(1);
        let Some(spec) = pod_spec(object) else { return };
        if replicas <= 1
            || spec.path(&["affinity", "podAntiAffinity"]).is_some()
            || spec.get("topologySpreadConstraints").is_some()
        {
            return;
        }
        let span = object
            .get(&["spec", "replicas"])
            .map_or(object.kind_span(), |r| r.span.clone());
        sink.report(object, span, format!("{} `{}` runs {replicas} replicas that may all land on one node", object.kind, object.name))
            .with_help_text("one node failure then takes every replica down; add `topologySpreadConstraints` (topologyKey: kubernetes.io/hostname) or a preferred `podAntiAffinity`");
    }
}
