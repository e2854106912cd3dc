//! A `helm.sh/hook` or `helm.sh/hook-delete-policy` value Helm does not know, with what Helm
//! really does with it (`pkg/releaseutil/manifest_sorter.go`, `pkg/action/hooks.go`).
use super::{Context, Rule, Sink};
use crate::diagnostic::{Applicability, Edit, Fix, Severity};
use crate::model::Object;
use crate::yaml::Node;
use std::ops::Range;

pub struct InvalidHelmHookAnnotation;

/// The events Helm 3 and 4 know (`events` in the manifest sorter); `test-success` is kept
/// for charts written for Helm 2.
const HOOKS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];
const DELETE_POLICIES: &[&str] = &["before-hook-creation", "hook-succeeded", "hook-failed"];

impl Rule for InvalidHelmHookAnnotation {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(annotations) = object.get(&["metadata", "annotations"]) else {
            return;
        };
        let Some(hook) = annotations.get("helm.sh/hook") else {
            return;
        };
        let events = items(hook);
        let mut skipped = false;
        for item in &events {
            let lower = item.text.to_lowercase();
            if HOOKS.contains(&lower.as_str()) {
                continue;
            }
            skipped = true;
            let (message, help) = match lower.as_str() {
                "" if events.len() == 1 => (
                    "`helm.sh/hook` is empty: Helm skips this resource entirely".to_string(),
                    format!("Helm reads an empty value as one unknown hook, logs \"skipping unknown hook\" and neither runs nor installs the {}; the hooks are: {}", object.kind, HOOKS.join(", ")),
                ),
                "" => (
                    "an empty hook event (a stray comma): Helm skips this resource entirely".to_string(),
                    format!("Helm splits the value at commas and reads the empty item as an unknown hook, so it neither runs nor installs the {}; remove the comma", object.kind),
                ),
                "crd-install" => (
                    "`crd-install` is a Helm 2 hook: Helm 3 and later skip this resource entirely".to_string(),
                    "the CustomResourceDefinition is never installed; move it to the chart's `crds/` directory (installed before the templates) and drop the annotation".to_string(),
                ),
                "test-failure" => (
                    "`test-failure` is a Helm 2 hook: Helm 3 and later skip this resource entirely".to_string(),
                    "the test never runs; use `helm.sh/hook: test` and make the command exit non-zero on failure".to_string(),
                ),
                _ => (
                    format!("`{}` is not a Helm hook{}: Helm skips this resource entirely", item.text, suggestion(&item.text, HOOKS)),
                    format!("Helm logs \"skipping unknown hook\" and neither runs nor installs the {}; the hooks are: {}", object.kind, HOOKS.join(", ")),
                ),
            };
            let d = sink.report(object, item.span.clone(), message);
            d.with_help_text(help).claiming("hook-skipped");
            if let (true, Some(comma)) = (lower.is_empty() && events.len() > 1, item.comma.clone())
            {
                d.with_fix(Fix::new(
                    "Remove the stray comma",
                    Edit::text(comma, ""),
                    Applicability::Safe,
                ));
            }
        }
        // A skipped resource has no delete policy to speak of; Helm never deletes a
        // CustomResourceDefinition hook, whatever its policy says.
        if skipped || object.is("CustomResourceDefinition") {
            return;
        }
        let Some(value) = annotations.get("helm.sh/hook-delete-policy") else {
            return;
        };
        let policies = items(value);
        let known = |item: &Item| DELETE_POLICIES.contains(&item.text.to_lowercase().as_str());
        if policies.iter().any(known) {
            // The known policies apply; the others are ignored (an empty item silently).
            for item in policies.iter().filter(|i| !known(i) && !i.text.is_empty()) {
                let stray = if item.text.contains(['"', '\'']) {
                    " (a stray quote)"
                } else {
                    ""
                };
                let mean = suggestion(&item.text, DELETE_POLICIES);
                // Nothing fails: the resource is only not deleted as the author meant (advice,
                // no claim the judge can check).
                let d = sink.report(
                    object,
                    item.span.clone(),
                    format!("`{}` is not a hook delete policy{stray}{mean}", item.text),
                );
                d.with_help_text(format!(
                    "Helm ignores this item and applies the others; the policies are: {}",
                    DELETE_POLICIES.join(", ")
                ))
                .at_most(Severity::Warning)
                .claiming("none");
                fix_policy(d, item);
            }
            return;
        }
        // No policy Helm knows, yet a policy is given: the default is off too.
        const KEPT: &str = "Helm keeps the value as written, so its default `before-hook-creation` (applied only when no policy is given) is off too: the resource stays after the hook ran, and the hook does not run again (Helm 3's next run fails because the resource already exists; Helm 4 applies over the finished resource and takes it for the new run's). Write a policy Helm knows: before-hook-creation, hook-succeeded, hook-failed";
        if policies.iter().all(|i| i.text.is_empty()) {
            sink.report(
                object,
                value.span.clone(),
                format!(
                    "`helm.sh/hook-delete-policy` is empty, so the hook {} `{}` is never deleted",
                    object.kind, object.name
                ),
            )
            .with_help_text(KEPT);
            return;
        }
        for item in policies.iter().filter(|i| !i.text.is_empty()) {
            let stray = if item.text.contains(['"', '\'']) {
                " (a stray quote)"
            } else {
                ""
            };
            let mean = suggestion(&item.text, DELETE_POLICIES);
            let d = sink.report(object, item.span.clone(), format!("`{}` is not a hook delete policy{stray}, so the hook {} `{}` is never deleted{mean}", item.text, object.kind, object.name));
            d.with_help_text(KEPT);
            fix_policy(d, item);
        }
    }
}

/// A stray quote around a known policy: the intent is evident (a safe fix). A guess is not.
fn fix_policy(d: &mut crate::diagnostic::Diagnostic, item: &Item) {
    if item.span.len() != item.text.len() {
        return;
    }
    let cleaned = item.text.trim_matches(|c| c == '"' || c == '\'');
    if cleaned != item.text && DELETE_POLICIES.contains(&cleaned.to_lowercase().as_str()) {
        d.with_fix(Fix::new(
            format!("Remove the stray quote: `{cleaned}`"),
            Edit::text(item.span.clone(), cleaned),
            Applicability::Safe,
        ));
    } else if let Some(close) =
        crate::kube::closest(&cleaned.to_lowercase(), DELETE_POLICIES.iter().copied())
    {
        d.with_fix(Fix::new(
            format!("Replace `{}` with `{close}`", item.text),
            Edit::text(item.span.clone(), close),
            Applicability::Unsafe,
        ));
    }
}

/// One comma-separated item of an annotation value, trimmed as Helm trims it.
struct Item {
    text: String,
    /// Where it is when the value is one plain or quoted line, else the whole value. An empty
    /// item is shown at its comma.
    span: Range<usize>,
    /// The comma that ends it (or, for the last item, the one before it), when it is inline.
    comma: Option<Range<usize>>,
}

/// The items of an annotation value as Helm splits them: at every comma, empty ones included.
fn items(value: &Node) -> Vec<Item> {
    let Some(text) = value.as_str() else {
        return Vec::new();
    };
    let width = value.span.end - value.span.start;
    let quote = usize::from(width == text.len() + 2);
    let inline = width >= text.len();
    let pieces: Vec<&str> = text.split(',').collect();
    let mut offset = value.span.start + quote;
    let mut out = Vec::new();
    for (i, item) in pieces.iter().enumerate() {
        let trimmed = item.trim();
        let lead = item.len() - item.trim_start().len();
        let comma = inline.then(|| {
            if i + 1 < pieces.len() {
                offset + item.len()..offset + item.len() + 1
            } else {
                offset.saturating_sub(1)..offset
            }
        });
        let comma = comma.filter(|_| pieces.len() > 1);
        let span = match (&comma, inline) {
            (Some(comma), _) if trimmed.is_empty() => comma.clone(),
            (_, true) if !trimmed.is_empty() => offset + lead..offset + lead + trimmed.len(),
            _ => value.span.clone(),
        };
        out.push(Item {
            text: trimmed.to_string(),
            span,
            comma,
        });
        offset += item.len() + 1;
    }
    out
}

fn suggestion(item: &str, known: &[&str]) -> String {
    let cleaned = item.trim_matches(|c| c == '"' || c == '\'').to_lowercase();
    if known.contains(&cleaned.as_str()) {
        return format!("; did you mean `{cleaned}`?");
    }
    crate::kube::closest(&cleaned, known.iter().copied())
        .map_or_else(String::new, |k| format!("; did you mean `{k}`?"))
}
