//! A PodDisruptionBudget that allows no voluntary eviction at the replicas of the workloads it
//! selects, rounding as the disruption controller does.
use super::{Context, Rule, Sink};
use crate::kube::{IntOrPercent, LabelSelector};
use crate::workspace::Workspace;

pub struct PdbBlocksAllEvictions;

/// Kinds whose scale the disruption controller reads (`getExpectedScale`) with their default.
const SCALED: &[&str] = &[
    "StatefulSet",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
];

impl Rule for PdbBlocksAllEvictions {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for pdb in ws.subjects_of_kind("PodDisruptionBudget") {
            let object = pdb.object();
            let Some(spec) = object.get(&["spec"]) else {
                continue;
            };
            let Some(node) = spec.get("selector") else {
                continue;
            };
            // Neither field: `getExpectedPodCount` leaves the expected count at 0, and with no
            // expected pod the controller allows 0 disruptions, whatever the pods.
            if spec.get("minAvailable").is_none() && spec.get("maxUnavailable").is_none() {
                sink.report(&object, super::spec_key_span(&object), format!("PodDisruptionBudget `{}` sets neither `minAvailable` nor `maxUnavailable`: it allows no voluntary eviction of the pods it selects", pdb.name))
                    .with_help_text("the disruption controller expects no pod (`expectedPods: 0`) and so allows 0 disruptions: `kubectl drain`, node upgrades and the cluster autoscaler wait on these pods forever; add `maxUnavailable: 1`");
                continue;
            }
            let selector = LabelSelector::from_node(node);
            if selector.is_empty() {
                continue;
            }
            let selected = ws.workloads_matching(&selector, pdb.namespace.as_deref(), pdb.file);
            // DaemonSets, Jobs and bare Pods have no replica count to judge by here.
            if selected.is_empty() || selected.iter().any(|w| !SCALED.contains(&w.kind.as_str())) {
                continue;
            }
            let replicas: i64 = selected
                .iter()
                .map(|w| {
                    w.root
                        .path(&["spec", "replicas"])
                        .and_then(|r| r.as_i64())
                        .unwrap_or(1)
                })
                .sum();
            if replicas <= 0 {
                continue;
            }
            let (field, value) = match (spec.get("minAvailable"), spec.get("maxUnavailable")) {
                (Some(min), None) => ("minAvailable", min),
                (None, Some(max)) => ("maxUnavailable", max),
                _ => continue,
            };
            let Some(budget) = IntOrPercent::from_node(value) else {
                continue;
            };
            // Both percentages round up (`GetScaledValueFromIntOrPercent(..., true)`).
            let scaled = budget.scaled(replicas, true);
            let (blocked, how) = if field == "minAvailable" {
                (
                    scaled >= replicas,
                    match budget {
                        IntOrPercent::Percent(p) => format!(
                            "`minAvailable: {p}%` of {replicas} replica{} rounds up to {scaled}",
                            if replicas == 1 { "" } else { "s" }
                        ),
                        IntOrPercent::Int(_) => format!(
                            "`minAvailable: {scaled}` with {replicas} replica{}",
                            if replicas == 1 { "" } else { "s" }
                        ),
                    },
                )
            } else {
                (
                    scaled <= 0,
                    format!("`maxUnavailable: {}`", value.display()),
                )
            };
            if !blocked {
                continue;
            }
            let workloads: Vec<String> = selected
                .iter()
                .map(|w| format!("{} `{}`", w.kind, w.name))
                .collect();
            let d = sink.report(
                &object,
                value.span.clone(),
                format!(
                    "PodDisruptionBudget `{}` allows no voluntary eviction of {}: {how}",
                    pdb.name,
                    workloads.join(", ")
                ),
            );
            d.with_help_text("the disruption controller allows 0 disruptions, so `kubectl drain`, node upgrades and the cluster autoscaler wait on these pods forever; use `maxUnavailable: 1` (stays right when the replicas change)");
            if let Some(first) = selected.first() {
                let at = first
                    .root
                    .path(&["spec", "replicas"])
                    .map_or(first.root.span.clone(), |r| r.span.clone());
                d.add_related(
                    first.file,
                    at,
                    format!("{} `{}` replicas", first.kind, first.name),
                );
            }
        }
    }
}
