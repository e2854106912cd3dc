//! An access mode that does not exist (`ReadWriteOnly`, `RWO`, wrong case).
use super::{claim_templates, Context, Rule, Sink};
use crate::diagnostic::{Applicability, Fix};
use crate::model::Object;

pub struct InvalidAccessMode;

pub const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

/// The mode meant, and whether that is certain (an alias or another spelling of one mode) or
/// a guess (the closest name).
fn intended(mode: &str) -> (&'static str, bool) {
    let lower = mode.to_ascii_lowercase().replace(['-', '_', ' '], "");
    let certain = match lower.as_str() {
        "rwo" => Some("ReadWriteOnce"),
        "rox" | "rom" => Some("ReadOnlyMany"),
        "rwx" | "rwm" => Some("ReadWriteMany"),
        "rwop" => Some("ReadWriteOncePod"),
        _ => ACCESS_MODES
            .iter()
            .find(|m| m.to_ascii_lowercase() == lower)
            .copied(),
    };
    match certain {
        Some(m) => (m, true),
        None => (
            ACCESS_MODES
                .iter()
                .min_by_key(|m| strsim::levenshtein(&m.to_ascii_lowercase(), &lower))
                .copied()
                .unwrap_or("ReadWriteOnce"),
            false,
        ),
    }
}

impl Rule for InvalidAccessMode {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let mut lists = Vec::new();
        for template in claim_templates(object) {
            if let Some(modes) = template.node.path(&["spec", "accessModes"]) {
                lists.push(modes);
            }
        }
        if object.is("PersistentVolumeClaim") {
            lists.extend(object.get(&["spec", "accessModes"]));
        }
        for mode in lists.into_iter().flat_map(|m| m.items()) {
            // A `null` item decodes as the empty mode: "Unsupported value: \"\"".
            if mode.is_null() {
                sink.report(
                    object,
                    mode.span.clone(),
                    "a `null` access mode is the empty one, not an access mode",
                )
                .with_help_text(format!(
                    "{}; write one of {}, or remove the item",
                    crate::kube::claim_rejection(object.kind),
                    ACCESS_MODES.join(", ")
                ));
                continue;
            }
            let Some(text) = mode.as_str() else { continue };
            if ACCESS_MODES.contains(&text) {
                continue;
            }
            let (likely, certain) = intended(text);
            let applicability = if certain {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            sink.report(
                object,
                mode.span.clone(),
                format!("`{text}` is not an access mode; did you mean `{likely}`?"),
            )
            .with_help_text(format!(
                "{}; valid modes are {} (case-sensitive)",
                crate::kube::claim_rejection(object.kind),
                ACCESS_MODES.join(", ")
            ))
            .with_fix(Fix::replace(
                format!("Replace `{text}` with `{likely}`"),
                mode.span.clone(),
                likely,
                applicability,
            ));
        }
    }
}
