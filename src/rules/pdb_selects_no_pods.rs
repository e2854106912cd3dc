//! A PodDisruptionBudget whose selector selects no pod among the linted workloads.
use super::{Context, Rule, Sink};
use crate::kube::LabelSelector;
use crate::workspace::Workspace;

pub struct Check;

impl Rule for Check {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        if !ws.has_workloads() {
            return;
        }
        for pdb in ws.of_kind("PodDisruptionBudget") {
            let object = pdb.object();
            // A missing selector selects nothing; that is its own mistake, reported below too.
            let Some(node) = object.get(&["spec", "selector"]) else { continue };
            let selector = LabelSelector::from_node(node);
            // policy/v1: an empty selector selects every pod of the namespace.
            if selector.is_empty() || !ws.workloads_matching(&selector, pdb.namespace.as_deref()).is_empty() {
                continue;
            }
            // Pods an operator makes from a custom resource usually carry its labels.
            if ws.custom_objects().any(|o| ws.same_namespace(o.namespace.as_deref(), pdb.namespace.as_deref()) && selector.matches(o.root.path(&["metadata", "labels"]))) {
                continue;
            }
            let hint = selector.required_pairs().iter().find_map(|(k, v)| {
                let values = ws.objects.iter().filter_map(|o| crate::model::pod_labels(&o.object())?.get(k).map(|n| n.display())).collect::<Vec<_>>();
                crate::kube::closest(v, values.iter().map(String::as_str)).map(|c| format!(" (did you mean `{k}: {c}`?)"))
            }).unwrap_or_default();
            sink.report(&object, node.span.clone(), format!("PodDisruptionBudget `{}` selects no pods: no pod template among the linted objects matches `{}`{hint}", pdb.name, selector.display()))
                .with_help_text("a budget that selects nothing protects nothing: a node drain may evict every replica at once. Make the selector match the workload's pod template labels (or lint the workload too, `--context` for files kept elsewhere)");
        }
    }
}
