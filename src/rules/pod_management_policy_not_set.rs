//! `podManagementPolicy` not declared.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = super::statefulset_spec(object) else { return };
        let span = match spec.entry("podManagementPolicy") {
            None => super::spec_key_span(object),
            // `podManagementPolicy: ""` (a chart value left empty) is defaulted the same way.
            Some(e) if e.value.is_null() || e.value.as_str() == Some("") => e.key.span.clone(),
            Some(_) => return,
        };
        sink.report(object, span, format!("StatefulSet `{}` does not declare `podManagementPolicy`, so it defaults to OrderedReady", object.name))
            .with_help_text("OrderedReady starts, replaces and stops pods one at a time, each waiting for the previous one to be Ready: declare `podManagementPolicy: Parallel` when the pods do not depend on each other, or `OrderedReady` to make the choice explicit");
    }
}
