//! A Service whose selector selects no pod template in its namespace.
use super::{pod_labels, selects, Context, Rule, Sink};
use crate::workspace::{is_workload, Workspace};

pub struct ServiceSelectsNoPods;

impl Rule for ServiceSelectsNoPods {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        // Without any workload among the linted objects, the pods are elsewhere: say nothing.
        if !ws.objects.iter().any(|o| is_workload(&o.kind)) {
            return;
        }
        for service in ws.subjects_of_kind("Service") {
            let svc = service.object();
            let Some(spec) = svc.get(&["spec"]) else {
                continue;
            };
            if spec.get("type").and_then(|t| t.as_str()) == Some("ExternalName") {
                continue;
            }
            let Some(selector) = spec.get("selector").filter(|s| !s.entries().is_empty()) else {
                continue;
            };
            let mut elsewhere = None;
            let mut found = ws.any_workload_candidate_for(service, selector, |w| {
                ws.same_namespace(service.namespace.as_deref(), w.namespace.as_deref())
                    && selects(selector, pod_labels(&w.object()))
            });
            // Not in its namespace: are the pods in another one (a namespace mistake)?
            if !found {
                elsewhere = ws
                    .workload_candidates(selector)
                    .into_iter()
                    .find(|w| selects(selector, pod_labels(&w.object())));
            }
            // Pods labelled at run time (Vault's `vault-active`, Patroni's `role`): every
            // selector label the template has agrees, the others are added later.
            if !found && elsewhere.is_none() {
                found = ws.workloads_sharing_labels(selector).into_iter().any(|w| {
                    ws.same_namespace(service.namespace.as_deref(), w.namespace.as_deref())
                        && labels_at_runtime(selector, pod_labels(&w.object()))
                });
            }
            // Pods made by an operator from a custom resource usually carry its labels.
            if !found && elsewhere.is_none() {
                found = ws.custom_object_matches(
                    &crate::kube::LabelSelector::from_map(selector),
                    service.namespace.as_deref(),
                );
            }
            if found {
                continue;
            }
            let wanted: Vec<String> = selector
                .entries()
                .iter()
                .map(|e| format!("{}={}", e.key.display(), e.value.display()))
                .collect();
            let message = match (elsewhere, service.namespace.as_deref().or(ws.namespace.as_deref())) {
                (Some(w), Some(ns)) => format!(
                    "Service `{}` selects no pods in namespace `{ns}`: the pods labelled {} are in namespace `{}`",
                    service.name,
                    wanted.join(","),
                    w.namespace.as_deref().unwrap_or("(unset)")
                ),
                _ => format!("Service `{}` selects no pods: no pod template among the linted objects has the labels {}", service.name, wanted.join(",")),
            };
            let d = sink.report(&svc, selector.span.clone(), message);
            match elsewhere {
                Some(w) => {
                    d.with_help_text(format!(
                        "{} `{}` in namespace `{}` matches: put the Service in the same namespace",
                        w.kind,
                        w.name,
                        w.namespace.as_deref().unwrap_or("(unset)")
                    ))
                    .add_related(
                        w.file,
                        pod_labels(&w.object()).map_or(0..0, |l| l.span.clone()),
                        "matching pod labels in another namespace",
                    );
                }
                None => {
                    d.with_help_text("the Service has no endpoints and its clients get connection errors; make the selector match the pod template labels (or lint the workload too, `--context` for files kept elsewhere)");
                }
            }
        }
    }
}

/// Whether the template carries some of the selector's labels, all with the selected values,
/// and lacks only the rest (which a controller may add to running pods).
fn labels_at_runtime(selector: &crate::yaml::Node, labels: Option<&crate::yaml::Node>) -> bool {
    let Some(labels) = labels else { return false };
    let mut shared = 0;
    for s in selector.entries() {
        match labels
            .entries()
            .iter()
            .find(|l| l.key.key_text() == s.key.key_text())
        {
            Some(l) if l.value.display() == s.value.display() => shared += 1,
            Some(_) => return false,
            None => {}
        }
    }
    shared > 0
}
