//! The governing Service's selector does not select the StatefulSet's pods.
use super::{pod_labels, selects, Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct Check;

impl Rule for Check {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (sts, name_node, name) in ws.statefulsets_with_service_name() {
            let object = sts.object();
            let labels = pod_labels(&object);
            let candidates = ws.governing_services(sts, name);
            let selector_of = |s: &crate::workspace::Linked| s.root.path(&["spec", "selector"]).filter(|sel| !sel.entries().is_empty()).cloned();
            // A Service without a selector (endpoints managed by hand) is not judged; any
            // candidate that selects the pods satisfies the reference.
            if candidates.is_empty() || candidates.iter().any(|s| selector_of(s).is_none_or(|sel| selects(&sel, labels))) {
                continue;
            }
            let service = candidates[0];
            let svc = service.object();
            let Some(selector) = svc.get(&["spec", "selector"]) else { continue };
            let wanted: Vec<String> = selector.entries().iter().map(|e| format!("{}={}", e.key.display(), e.value.display())).collect();
            sink.report(&svc, selector.span.clone(), format!("Service `{name}` governs StatefulSet `{}` but its selector {} does not match the StatefulSet's pod labels", sts.name, wanted.join(",")))
                .with_help_text("the pods get no DNS records through this Service; make the selector a subset of `spec.template.metadata.labels`")
                .add_related(sts.file, labels.map_or(name_node.span.clone(), |l| l.span.clone()), "pod template labels");
        }
    }
}
