//! `podManagementPolicy` not declared.
use super::{Context, Rule, Sink};
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::Object;

pub struct PodManagementPolicyNotSet;

impl Rule for PodManagementPolicyNotSet {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = super::statefulset_spec(object) else {
            return;
        };
        // The fix declares the default explicitly: the same behaviour, now stated.
        let (span, fix) = match spec.entry("podManagementPolicy") {
            None => (
                super::spec_key_span(object),
                Edit::first_entry(spec, "podManagementPolicy", "OrderedReady").map(|edit| {
                    Fix::new(
                        "Declare `podManagementPolicy: OrderedReady` (the default)",
                        edit,
                        Applicability::Safe,
                    )
                }),
            ),
            // `podManagementPolicy: ""` (a chart value left empty) is defaulted the same way.
            Some(e) if e.value.is_null() || e.value.as_str() == Some("") => (
                e.key.span.clone(),
                (!e.value.is_null() || e.value.span.end > e.value.span.start).then(|| {
                    Fix::replace(
                        "Declare `OrderedReady` (the default)",
                        e.value.span.clone(),
                        "OrderedReady",
                        Applicability::Safe,
                    )
                }),
            ),
            Some(_) => return,
        };
        let d = sink.report(object, span, format!("policy: StatefulSet `{}` does not declare `podManagementPolicy` (it defaults to OrderedReady)", object.name));
        d.with_help_text("stslint asks every StatefulSet to state how its pods start: OrderedReady starts, replaces and stops them one at a time, each waiting for the previous one to be Ready, which stalls a rollout behind one stuck pod. Declare `podManagementPolicy: Parallel` when the pods do not depend on each other, or `OrderedReady` to make the choice explicit; to opt this object out, annotate it `stslint.io/ignore: pod-management-policy-not-set` with a `stslint.io/ignore-reason`");
        if let Some(fix) = fix {
            d.with_fix(fix);
        }
    }
}
