//! A `helm.sh/hook` or `helm.sh/hook-delete-policy` value Helm does not know, with what Helm
//! really does with it (`pkg/releaseutil/manifest_sorter.go`, `pkg/action/hooks.go`).
use super::{Context, Rule, Sink};
use crate::diagnostic::{Edit, Applicability, Fix, Severity};
use crate::model::Object;
use crate::yaml::Node;
use std::ops::Range;

pub struct Check;

/// The events Helm 3 and 4 know (`events` in the manifest sorter); `test-success` is kept
/// for charts written for Helm 2.
const HOOKS: &[&str] = &[
    "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade",
    "pre-rollback", "post-rollback", "test", "test-success",
];
const DELETE_POLICIES: &[&str] = &["before-hook-creation", "hook-succeeded", "hook-failed"];

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(annotations) = object.get(&["metadata", "annotations"]) else { return };
        if let Some(value) = annotations.get("helm.sh/hook") {
            for (item, span) in items(value) {
                if HOOKS.contains(&item.to_lowercase().as_str()) {
                    continue;
                }
                let (message, help) = match item.to_lowercase().as_str() {
                    "crd-install" => (
                        "`crd-install` is a Helm 2 hook: Helm 3 and later skip this resource entirely".to_string(),
                        "the CustomResourceDefinition is never installed; move it to the chart's `crds/` directory (installed before the templates) and drop the annotation".to_string(),
                    ),
                    "test-failure" => (
                        "`test-failure` is a Helm 2 hook: Helm 3 and later skip this resource entirely".to_string(),
                        "the test never runs; use `helm.sh/hook: test` and make the command exit non-zero on failure".to_string(),
                    ),
                    _ => (
                        format!("`{item}` is not a Helm hook{}: Helm skips this resource entirely", suggestion(&item, HOOKS)),
                        format!("Helm logs \"skipping unknown hook\" and neither runs nor installs the {}; the hooks are: {}", object.kind, HOOKS.join(", ")),
                    ),
                };
                sink.report(object, span, message).with_help_text(help);
            }
        }
        // Helm never deletes a CustomResourceDefinition hook, whatever its policy says.
        if object.is("CustomResourceDefinition") || annotations.get("helm.sh/hook").is_none() {
            return;
        }
        let Some(value) = annotations.get("helm.sh/hook-delete-policy") else { return };
        let items = items(value);
        let any_known = items.iter().any(|(i, _)| DELETE_POLICIES.contains(&i.to_lowercase().as_str()));
        for (item, span) in &items {
            if DELETE_POLICIES.contains(&item.to_lowercase().as_str()) {
                continue;
            }
            let stray = if item.contains(['"', '\'']) { " (a stray quote)" } else { "" };
            let mean = suggestion(item, DELETE_POLICIES);
            let d = if any_known {
                let d = sink.report(object, span.clone(), format!("`{item}` is not a hook delete policy{stray}{mean}"));
                d.with_help_text(format!("Helm ignores this item; the policies are: {}", DELETE_POLICIES.join(", ")))
                    .at_most(Severity::Warning);
                d
            } else {
                let d = sink.report(object, span.clone(), format!("`{item}` is not a hook delete policy{stray}, so the hook {} `{}` is never deleted{mean}", object.kind, object.name));
                d.with_help_text("Helm keeps the unknown value, so its default `before-hook-creation` (applied only when no policy is given) is off too: the resource stays after the hook ran, and the next run of this hook fails because it already exists. Write a policy Helm knows: before-hook-creation, hook-succeeded, hook-failed");
                d
            };
            // A stray quote around a known policy: the intent is evident. A guess is not.
            let cleaned = item.trim_matches(|c| c == '"' || c == '\'');
            if span.end - span.start == item.len() {
                if !stray.is_empty() && DELETE_POLICIES.contains(&cleaned.to_lowercase().as_str()) {
                    d.with_fix(Fix::new(format!("Remove the stray quote: `{cleaned}`"), Edit::text(span.clone(), cleaned), Applicability::Safe));
                } else if let Some(close) = crate::kube::closest(&cleaned.to_lowercase(), DELETE_POLICIES.iter().copied()) {
                    d.with_fix(Fix::new(format!("Replace `{item}` with `{close}`"), Edit::text(span.clone(), close), Applicability::Unsafe));
                }
            }
        }
    }
}

/// The comma-separated items of an annotation value, trimmed as Helm trims them, each with
/// its span when the value is one plain or quoted line (else the whole value's span).
fn items(value: &Node) -> Vec<(String, Range<usize>)> {
    let Some(text) = value.as_str() else { return Vec::new() };
    let width = value.span.end - value.span.start;
    let quote = usize::from(width == text.len() + 2);
    let inline = width >= text.len();
    let mut offset = 0;
    let mut out = Vec::new();
    for item in text.split(',') {
        let trimmed = item.trim();
        let lead = item.len() - item.trim_start().len();
        if !trimmed.is_empty() {
            let span = if inline {
                let start = value.span.start + quote + offset + lead;
                start..start + trimmed.len()
            } else {
                value.span.clone()
            };
            out.push((trimmed.to_string(), span));
        }
        offset += item.len() + 1;
    }
    out
}

fn suggestion(item: &str, known: &[&str]) -> String {
    let cleaned = item.trim_matches(|c| c == '"' || c == '\'').to_lowercase();
    if known.contains(&cleaned.as_str()) {
        return format!("; did you mean `{cleaned}`?");
    }
    crate::kube::closest(&cleaned, known.iter().copied()).map_or_else(String::new, |k| format!("; did you mean `{k}`?"))
}
