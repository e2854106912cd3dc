//! A field the object's kind does not have; found by the typed schema check (`schema.rs`).
use super::ids;
pub use super::Emitted as UnknownField;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::yaml::UnknownField as Found;

pub fn diagnostic(object: &Object<'_>, unknown: Found) -> Diagnostic {
    let field = crate::fingerprint::field_path(object.root, &unknown.span)
        .unwrap_or_else(|| unknown.key.clone());
    let mut message = format!("unknown field `{field}` in {}", object.kind);
    let help = match crate::schema::suggest(&unknown.key, unknown.expected) {
        Some(s) => {
            message.push_str(&format!("; did you mean `{s}`?"));
            format!("rename it to `{s}`: unknown fields are dropped silently, or rejected with strict validation")
        }
        None => format!(
            "the fields allowed here are: {}",
            unknown.expected.join(", ")
        ),
    };
    object
        .diag(ids::unknown_field, unknown.span, message)
        .with_help(help)
}
