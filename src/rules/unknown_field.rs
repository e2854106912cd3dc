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

/// A field of a custom resource that its CustomResourceDefinition's schema does not have
/// (found by the policy engine, `policy/crd.rs`).
pub fn in_custom_resource(
    object: &Object<'_>,
    span: std::ops::Range<usize>,
    field: &str,
    definition: &str,
) -> Diagnostic {
    object
        .diag(
            ids::unknown_field,
            span,
            format!("unknown field `{field}` in {}: the CustomResourceDefinition `{definition}` does not declare it", object.kind),
        )
        .with_help("strict field validation (`kubectl apply`'s default) rejects the object; without it the API server prunes the field silently: remove it or declare it in the definition's schema")
}
