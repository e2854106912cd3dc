//! `persistentVolumeClaimRetentionPolicy` values other than `Retain` / `Delete`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct InvalidPvcRetentionPolicy;

impl Rule for InvalidPvcRetentionPolicy {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("StatefulSet") {
            return;
        }
        let Some(policy) = object.get(&["spec", "persistentVolumeClaimRetentionPolicy"]) else {
            return;
        };
        for key in ["whenDeleted", "whenScaled"] {
            let Some(value) = policy.get(key) else {
                continue;
            };
            let text = value.display();
            if text != "Retain" && text != "Delete" {
                let d = sink.report(
                    object,
                    value.span.clone(),
                    format!("`{key}: {text}` is not a retention policy"),
                );
                d.with_help_text("the API server rejects it; use `Retain` (keep the claims, the default) or `Delete` (case-sensitive)");
                super::case_fix(d, &text, value.span.clone(), &["Retain", "Delete"]);
            }
        }
    }
}
