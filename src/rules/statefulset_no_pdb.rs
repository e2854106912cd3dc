//! A replicated StatefulSet with no PodDisruptionBudget covering its pods.
use super::{pod_labels, Context, Rule, Sink};
use crate::kube::LabelSelector;
use crate::workspace::Workspace;

pub struct StatefulsetNoPdb;

impl Rule for StatefulsetNoPdb {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for sts in ws.subjects_of_kind("StatefulSet") {
            let object = sts.object();
            let replicas = object
                .get(&["spec", "replicas"])
                .and_then(|r| r.as_i64())
                .unwrap_or(1);
            if replicas <= 1 {
                continue;
            }
            let labels = pod_labels(&object);
            // policy/v1: an empty selector selects every pod of the namespace; a missing one none.
            let covered = ws.of_kind("PodDisruptionBudget").any(|pdb| {
                ws.same_namespace(pdb.namespace.as_deref(), sts.namespace.as_deref())
                    && pdb
                        .object()
                        .get(&["spec", "selector"])
                        .is_some_and(|sel| LabelSelector::from_node(sel).matches(labels))
            });
            if covered {
                continue;
            }
            let span = object
                .get(&["spec", "replicas"])
                .map_or(object.kind_span(), |r| r.span.clone());
            sink.report(&object, span, format!("StatefulSet `{}` runs {replicas} replicas with no PodDisruptionBudget covering its pods", sts.name))
                .with_help_text("a node drain may evict several members at once and break quorum; add a PodDisruptionBudget with `maxUnavailable: 1` selecting these pods");
        }
    }
}
