//! A decimal suffix (`1G`) where a binary one (`1Gi`) is almost certainly meant.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;
use crate::quantity;

pub struct StorageDecimalSuffix;

impl Rule for StorageDecimalSuffix {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for template in claim_templates(object) {
            let Some(storage) = template
                .node
                .path(&["spec", "resources", "requests", "storage"])
            else {
                continue;
            };
            let text = storage.display();
            let Some(q) = quantity::parse(&text) else {
                continue;
            };
            if matches!(q.suffix.as_str(), "k" | "M" | "G" | "T" | "P" | "E") {
                let binary = format!(
                    "{}{}i",
                    &text[..text.len() - q.suffix.len()],
                    q.suffix.replace('k', "K")
                );
                let d = sink.report(
                    object,
                    storage.span.clone(),
                    format!(
                        "claim template `{}` requests `{text}`: {} bytes, not {binary}",
                        template.name,
                        q.as_f64()
                    ),
                );
                d.with_help_text(format!("write `{binary}` if binary units were meant; volumes are sized in binary units, so `{text}` gives a smaller disk than it reads"));
                // A bigger disk than before: a change of behaviour, so only with --unsafe-fixes.
                if storage.as_str().is_some() && storage.span.end - storage.span.start == text.len()
                {
                    d.with_fix(crate::diagnostic::Fix::replace(
                        format!("Replace `{text}` with `{binary}`"),
                        storage.span.clone(),
                        binary.clone(),
                        crate::diagnostic::Applicability::Unsafe,
                    ));
                }
            }
        }
    }
}
