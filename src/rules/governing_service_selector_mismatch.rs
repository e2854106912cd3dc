//! The governing Service's selector does not select the StatefulSet's pods.
use super::{pod_labels, selects, Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct Check;

impl Rule for Check {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (sts, name_node, name) in ws.statefulsets_with_service_name() {
            let object = sts.object();
            let Some(service) = ws.governing_service(sts, name) else { continue };
            let svc = service.object();
            let Some(selector) = svc.get(&["spec", "selector"]).filter(|s| !s.entries().is_empty()) else { continue };
            let labels = pod_labels(&object);
            if selects(selector, labels) {
                continue;
            }
            let wanted: Vec<String> = selector.entries().iter().map(|e| format!("{}={}", e.key.display(), e.value.display())).collect();
            sink.report(&svc, selector.span.clone(), format!("Service `{name}` governs StatefulSet `{}` but its selector {} does not match the StatefulSet's pod labels", sts.name, wanted.join(",")))
                .with_help_text("the pods get no DNS records through this Service; make the selector a subset of `spec.template.metadata.labels`")
                .add_related(sts.file, labels.map_or(name_node.span.clone(), |l| l.span.clone()), "pod template labels");
        }
    }
}
