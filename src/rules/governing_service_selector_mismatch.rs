//! The governing Service's selector does not select the StatefulSet's pods.
use super::{pod_labels, selects, Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct GoverningServiceSelectorMismatch;

impl Rule for GoverningServiceSelectorMismatch {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (sts, name_node, name) in ws.statefulsets_with_service_name() {
            // Findings are on the Service: none to make when no Service of that name is kept.
            if !ws.services_named(name).any(|s| ws.reports_on(s)) {
                continue;
            }
            let object = sts.object();
            let labels = pod_labels(&object);
            let candidates = ws.governing_services(sts, name);
            let selector_of = |s: &crate::workspace::Linked| {
                s.root
                    .path(&["spec", "selector"])
                    .filter(|sel| !sel.entries().is_empty())
                    .cloned()
            };
            // Any candidate that selects the pods satisfies the reference. One without a selector
            // selects none: the EndpointSlice controller publishes nothing for it, and slices
            // written by hand would have to follow every pod's address.
            if candidates.is_empty()
                || candidates
                    .iter()
                    .any(|s| selector_of(s).is_some_and(|sel| selects(&sel, labels)))
            {
                continue;
            }
            let service = candidates[0];
            let svc = service.object();
            let Some(selector) = selector_of(service) else {
                let at = svc
                    .get(&["spec"])
                    .and_then(|spec| spec.entry("selector"))
                    .map_or_else(|| super::spec_key_span(&svc), |e| e.key.span.clone());
                sink.report(&svc, at, format!("Service `{name}` governs StatefulSet `{}` but has no selector: no endpoint is published for its pods", sts.name))
                    .with_help_text("the EndpointSlice controller makes no slices for a Service without a selector, so the pods get no DNS records; select the pod template's labels, e.g. `selector: {app: ...}`")
                    .add_related(sts.file, labels.map_or(name_node.span.clone(), |l| l.span.clone()), "pod template labels");
                continue;
            };
            let selector = &selector;
            let wanted: Vec<String> = selector
                .entries()
                .iter()
                .map(|e| format!("{}={}", e.key.display(), e.value.display()))
                .collect();
            sink.report(&svc, selector.span.clone(), format!("Service `{name}` governs StatefulSet `{}` but its selector {} does not match the StatefulSet's pod labels", sts.name, wanted.join(",")))
                .with_help_text("the pods get no DNS records through this Service; make the selector a subset of `spec.template.metadata.labels`")
                .add_related(sts.file, labels.map_or(name_node.span.clone(), |l| l.span.clone()), "pod template labels");
        }
    }
}
