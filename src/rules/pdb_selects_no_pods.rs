//! A PodDisruptionBudget whose selector selects no pod among the linted workloads.
use super::{Context, Rule, Sink};
use crate::kube::LabelSelector;
use crate::workspace::Workspace;

pub struct PdbSelectsNoPods;

impl Rule for PdbSelectsNoPods {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        if !ws.has_workloads() {
            return;
        }
        for pdb in ws.subjects_of_kind("PodDisruptionBudget") {
            let object = pdb.object();
            // A missing selector selects nothing; that is its own mistake, reported below too.
            let Some(node) = object.get(&["spec", "selector"]) else {
                continue;
            };
            let selector = LabelSelector::from_node(node);
            // policy/v1: an empty selector selects every pod of the namespace.
            if selector.is_empty()
                || !ws
                    .workloads_matching(&selector, pdb.namespace.as_deref(), pdb.file)
                    .is_empty()
            {
                continue;
            }
            // Pods an operator makes from a custom resource usually carry its labels.
            if ws.custom_object_matches(&selector, pdb.namespace.as_deref()) {
                continue;
            }
            let hint = near_miss(ws, &selector, pdb.file);
            sink.report(&object, node.span.clone(), format!("PodDisruptionBudget `{}` selects no pods: no pod template among the linted objects matches `{}`{hint}", pdb.name, selector.display()))
                .with_help_text("a budget that selects nothing protects nothing: a node drain may evict every replica at once. Make the selector match the workload's pod template labels (or lint the workload too, `--context` for files kept elsewhere)");
        }
    }
}

/// A label value close to the selector's among the workloads of the same file that share
/// another of its labels: `app: databse` → did you mean `app: database`?
fn near_miss(ws: &Workspace, selector: &LabelSelector, file: crate::diagnostic::FileId) -> String {
    let pairs = selector.required_pairs();
    for (key, value) in &pairs {
        let others = LabelSelector {
            match_labels: pairs.iter().filter(|(k, _)| k != key).cloned().collect(),
            expressions: Vec::new(),
        };
        let sharing = if others.is_empty() {
            Vec::new()
        } else {
            ws.workloads_matching(&others, None, file)
        };
        let values: Vec<String> = sharing
            .iter()
            .filter(|w| w.file == file)
            .filter_map(|w| Some(crate::model::pod_labels(&w.object())?.get(key)?.display()))
            .collect();
        if let Some(close) = crate::kube::closest(value, values.iter().map(String::as_str)) {
            return format!(" (did you mean `{key}: {close}`?)");
        }
    }
    String::new()
}
