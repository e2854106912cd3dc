//! `podManagementPolicy` other than `OrderedReady` / `Parallel`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct InvalidPodManagementPolicy;

impl Rule for InvalidPodManagementPolicy {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("StatefulSet") {
            return;
        }
        let Some(value) = object.get(&["spec", "podManagementPolicy"]) else {
            return;
        };
        let text = value.display();
        // Empty or null is defaulted to OrderedReady: that is `pod-management-policy-not-set`.
        if text == "OrderedReady" || text == "Parallel" || text.is_empty() || value.is_null() {
            return;
        }
        let likely = if text.to_ascii_lowercase().starts_with('p') {
            "Parallel"
        } else {
            "OrderedReady"
        };
        let d = sink.report(
            object,
            value.span.clone(),
            format!("`podManagementPolicy: {text}` is not a policy; did you mean `{likely}`?"),
        );
        d.with_help_text("the API server rejects the StatefulSet; the values are `OrderedReady` and `Parallel` (case-sensitive)");
        super::case_fix(d, &text, value.span.clone(), &["OrderedReady", "Parallel"]);
    }
}
