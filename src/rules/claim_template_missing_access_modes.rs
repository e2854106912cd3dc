//! A claim template with no `accessModes`.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct ClaimTemplateMissingAccessModes;

impl Rule for ClaimTemplateMissingAccessModes {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let mut claims: Vec<(String, &crate::yaml::Node)> = claim_templates(object)
            .into_iter()
            .filter_map(|t| Some((format!("claim template `{}`", t.name), t.node.get("spec")?)))
            .collect();
        if object.is("PersistentVolumeClaim") {
            claims.extend(
                object
                    .get(&["spec"])
                    .map(|s| (format!("PersistentVolumeClaim `{}`", object.name), s)),
            );
        }
        for (what, spec) in claims {
            if spec
                .get("accessModes")
                .is_some_and(|m| !m.items().is_empty())
            {
                continue;
            }
            let span = spec
                .entry("accessModes")
                .map_or_else(|| super::first_key_span(spec), |e| e.key.span.clone());
            sink.report(object, span, format!("{what} has no `accessModes`"))
                .with_help_text(format!("a claim needs at least one access mode: {}; add `accessModes: [ReadWriteOnce]` for a per-pod volume", crate::kube::claim_rejection(object.kind)));
        }
    }
}
