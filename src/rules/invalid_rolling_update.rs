//! Rolling-update bounds the API server rejects: a percentage above 100%; a Deployment or
//! DaemonSet that may neither surge nor take a pod down. A StatefulSet's `maxUnavailable` is
//! dropped instead: its feature gate is off by default (through 1.35), so whatever it says,
//! pods are updated one at a time.
use super::{Context, Rule, Sink};
use crate::kube::IntOrPercent;
use crate::model::Object;
use crate::yaml::Node;

pub struct InvalidRollingUpdate;

impl Rule for InvalidRollingUpdate {
    fn check_object(&self, object: &Object<'_>, ctx: &Context, sink: &mut Sink<'_>) {
        let path: &[&str] = match object.kind {
            "StatefulSet" | "DaemonSet" => &["spec", "updateStrategy", "rollingUpdate"],
            "Deployment" => &["spec", "strategy", "rollingUpdate"],
            _ => return,
        };
        let Some(rolling) = object.get(path) else {
            return;
        };
        let unavailable = rolling.get("maxUnavailable");
        let surge = rolling.get("maxSurge");
        let value = |n: Option<&Node>| n.and_then(IntOrPercent::from_node);
        // `MaxUnavailableStatefulSet` is off by default through 1.35 (beta there, still
        // default off): the API server drops the field on create, without an error.
        if object.kind == "StatefulSet" && ctx.kubernetes_version <= (1, 35) {
            if let Some(n) = unavailable {
                let (major, minor) = ctx.kubernetes_version;
                let d = sink
                    .report(object, n.span.clone(), format!("`maxUnavailable: {}` is dropped by the API server: the MaxUnavailableStatefulSet feature is off by default in Kubernetes {major}.{minor}, so the StatefulSet updates one pod at a time", n.display()))
                    .with_help_text("the StatefulSet is accepted without the field (unless the cluster enables the feature gate); remove it, or enable `MaxUnavailableStatefulSet` on the API server and the controller manager");
                d.claim = Some("field-dropped");
                d.at_most(crate::diagnostic::Severity::Warning);
            }
            return;
        }
        for (key, node) in [("maxUnavailable", unavailable), ("maxSurge", surge)] {
            if let (Some(n), Some(IntOrPercent::Percent(p))) = (node, value(node)) {
                if p > 100 {
                    sink.report(object, n.span.clone(), format!("`{key}: {p}%` is more than 100%"))
                        .with_help_text(format!("the API server rejects the {} (\"must not be greater than 100%\"); use at most `100%`", object.kind));
                }
            }
        }
        match object.kind {
            "StatefulSet" => {
                if let (Some(n), Some(v)) = (unavailable, value(unavailable)) {
                    if v.is_zero() {
                        sink.report(object, n.span.clone(), format!("`maxUnavailable: {}` would let no pod be updated", n.display()))
                            .with_help_text("the API server rejects the StatefulSet (\"spec.updateStrategy.rollingUpdate.maxUnavailable: cannot be 0\"); use 1 (the default), or leave it out");
                    }
                }
            }
            // Unset fields default to 25% (Deployment) and 1 / 0 (DaemonSet), so only
            // explicit zeroes can block a rollout.
            _ => {
                let default_surge = if object.kind == "Deployment" {
                    IntOrPercent::Percent(25)
                } else {
                    IntOrPercent::Int(0)
                };
                let default_unavailable = if object.kind == "Deployment" {
                    IntOrPercent::Percent(25)
                } else {
                    IntOrPercent::Int(1)
                };
                let u = value(unavailable).unwrap_or(default_unavailable);
                let s = value(surge).unwrap_or(default_surge);
                let at = unavailable
                    .or(surge)
                    .map_or(super::first_key_span(rolling), |n| n.span.clone());
                if u.is_zero() && s.is_zero() {
                    sink.report(object, at, "`maxUnavailable` and `maxSurge` are both 0: a rolling update could never replace a pod")
                        .with_help_text(format!("the API server rejects the {} (\"may not be 0 when `maxSurge` is 0\"); set `maxSurge: 1` (or `maxUnavailable: 1`)", object.kind));
                } else if object.kind == "DaemonSet"
                    && !u.is_zero()
                    && !s.is_zero()
                    && surge.is_some()
                {
                    let at = surge.map_or(at, |n| n.span.clone());
                    sink.report(object, at, "a DaemonSet may set `maxSurge` or `maxUnavailable`, not both non-zero")
                        .with_help_text("the API server rejects the DaemonSet (\"may not be set when maxUnavailable is non-zero\"); set `maxUnavailable: 0` to surge, or drop `maxSurge`");
                }
            }
        }
    }
}
