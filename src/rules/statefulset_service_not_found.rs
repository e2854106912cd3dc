//! `serviceName` names no Service of the same namespace among the linted objects.
use super::{Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct StatefulsetServiceNotFound;

impl Rule for StatefulsetServiceNotFound {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        // Gathered once: 80,000 StatefulSets naming missing Services stay linear.
        let all_services: Vec<&crate::workspace::Linked> = ws.of_kind("Service").collect();
        for (sts, name_node, name) in ws
            .statefulsets_with_service_name()
            .filter(|(sts, _, _)| ws.reports_on(sts))
        {
            let object = sts.object();
            let services: Vec<_> = ws.services_named(name).collect();
            if services
                .iter()
                .any(|s| ws.same_namespace(s.namespace.as_deref(), sts.namespace.as_deref()))
                || ws.is_known("Service", name, sts.namespace.as_deref())
            {
                continue;
            }
            let files = ws.files;
            let namespace = sts.namespace.as_deref().or(ws.namespace.as_deref());
            let place = namespace.map_or_else(String::new, |ns| format!(" in namespace `{ns}`"));
            let plural = if files == 1 { "" } else { "s" };
            // A near miss among the Services it could reach: `mysq` for `mysql`.
            let reachable: Vec<&crate::workspace::Linked> = all_services
                .iter()
                .copied()
                .filter(|s| ws.same_namespace(s.namespace.as_deref(), sts.namespace.as_deref()))
                .collect();
            let near = crate::kube::closest(name, reachable.iter().map(|s| s.name.as_str()))
                .and_then(|n| reachable.iter().find(|s| s.name == n).copied());
            let mean = near.map_or_else(String::new, |s| format!("; did you mean `{}`?", s.name));
            let d = sink.report(&object, name_node.span.clone(), format!("`serviceName: {name}` names no Service{place} among the {files} file{plural} linted{mean}"));
            match (near, services.first()) {
                (Some(s), _) => {
                    d.with_help_text(format!("the pods get no per-pod DNS names until the governing Service exists; write `serviceName: {}`", s.name))
                        .add_related(s.file, s.object().get(&["metadata", "name"]).map_or(0..0, |n| n.span.clone()), "the Service of the closest name");
                }
                (None, Some(other)) => {
                    d.with_help_text(format!(
                        "a Service `{name}` exists in namespace `{}`: put both objects in the same namespace",
                        other.namespace.as_deref().unwrap_or("(unset)")
                    ))
                    .add_related(other.file, other.object().get(&["metadata", "name"]).map_or(0..0, |n| n.span.clone()), "a Service of that name in another namespace");
                }
                (None, None) => {
                    d.with_help_text("the pods get no per-pod DNS names; create the governing headless Service (`clusterIP: None`, selecting the pods), fix the name, or lint it too (`--context` for files kept elsewhere, `known-objects` in .stslint.toml for objects made by other tools)");
                }
            }
        }
    }
}
