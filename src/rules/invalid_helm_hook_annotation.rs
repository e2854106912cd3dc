//! A `helm.sh/hook` or `helm.sh/hook-delete-policy` value Helm does not know.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

const HOOKS: &[&str] = &[
    "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade",
    "pre-rollback", "post-rollback", "test", "test-success", "test-failure",
];
const DELETE_POLICIES: &[&str] = &["before-hook-creation", "hook-succeeded", "hook-failed"];

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(annotations) = object.get(&["metadata", "annotations"]) else { return };
        for (key, known) in [("helm.sh/hook", HOOKS), ("helm.sh/hook-delete-policy", DELETE_POLICIES)] {
            let Some(value) = annotations.get(key) else { continue };
            let Some(text) = value.as_str() else { continue };
            // Point inside the value at the bad item when the scalar is written as one plain or
            // quoted line: the source text is the value, maybe with one quote character around.
            let quote = usize::from(value.span.end - value.span.start == text.len() + 2);
            let mut offset = 0;
            for item in text.split(',') {
                let trimmed = item.trim();
                let lead = item.len() - item.trim_start().len();
                if !trimmed.is_empty() && !known.contains(&trimmed) {
                    let inline = value.span.end - value.span.start >= text.len();
                    let span = if inline {
                        let start = value.span.start + quote + offset + lead;
                        start..start + trimmed.len()
                    } else {
                        value.span.clone()
                    };
                    let cleaned = trimmed.trim_matches(|c| c == '"' || c == '\'');
                    let suggestion = known.iter().min_by_key(|k| strsim::levenshtein(k, cleaned)).copied().unwrap_or(known[0]);
                    let stray = if cleaned != trimmed { " (a stray quote?)" } else { "" };
                    sink.report(object, span, format!("`{trimmed}` is not a {key} value Helm knows{stray}; did you mean `{suggestion}`?"))
                        .with_help_text(format!("Helm ignores unknown values, so the hook behaves as if this item were missing; the values are: {}", known.join(", ")));
                }
                offset += item.len() + 1;
            }
        }
    }
}
