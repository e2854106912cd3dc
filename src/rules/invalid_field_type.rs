//! A value of the wrong type (a string where a number goes, a YAML 1.1 boolean where a
//! string goes); found by the typed schema check (`schema.rs`).
use super::ids;
pub use super::Emitted as InvalidFieldType;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use std::ops::Range;

/// `message` is serde's; `raw` the source text of the value.
pub fn diagnostic(object: &Object<'_>, span: Range<usize>, message: &str, raw: &str) -> Diagnostic {
    let field = crate::fingerprint::field_path(object.root, &span)
        .map_or_else(String::new, |p| format!("`{p}`: "));
    let wants_string = message.contains("expected a string");
    // Quoting keeps the text the author wrote as a string; unsafe, since the value changes.
    let quote = |raw: &str| {
        crate::diagnostic::Fix::new(
            format!("Quote `{raw}` as a string"),
            crate::diagnostic::Edit::text(span.clone(), format!("\"{raw}\"")),
            crate::diagnostic::Applicability::Unsafe,
        )
    };
    let mut fix = None;
    let (message, help) = match crate::yaml::resolve_plain(raw) {
        crate::yaml::Value::Bool(b) if wants_string && !raw.eq_ignore_ascii_case(&b.to_string()) => {
            fix = Some(quote(raw));
            (
            format!("{field}`{raw}` is the boolean {b} in YAML 1.1, as Kubernetes reads it, but a string is expected here"),
            format!("quote it: \"{raw}\""),
        )
        }
        crate::yaml::Value::Int(i) if wants_string && raw != i.to_string() => {
            fix = Some(quote(raw));
            (
            format!("{field}`{raw}` is the number {i} in YAML 1.1, as Kubernetes reads it, but a string is expected here"),
            format!("quote it: \"{raw}\""),
        )
        }
        _ => (
            format!("{field}{}", plain_type_error(message, raw)),
            "write a value of the expected type; quote strings that YAML 1.1 reads as booleans or numbers (\"yes\", \"on\", \"0644\")".to_string(),
        ),
    };
    let mut d = object
        .diag(ids::invalid_field_type, span.clone(), message)
        .with_help(help);
    d.fix = fix;
    d
}

/// serde's "invalid type: string \"three\", expected i32" in Kubernetes terms:
/// "`three` is a string, but an integer is expected".
fn plain_type_error(message: &str, raw: &str) -> String {
    let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.rsplit_once(", expected "))
    else {
        return format!("{message} (written `{}`)", shorten(raw));
    };
    let found = match found.split_whitespace().next().unwrap_or(found) {
        "string" => "a string",
        "integer" => "an integer",
        "floating" => "a number",
        "boolean" => "a boolean",
        "map" => "a mapping",
        "sequence" => "a list",
        "unit" => "null",
        _ => found,
    };
    let expected = match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" => "an integer",
        "f32" | "f64" => "a number",
        "a sequence" => "a list",
        e if e.starts_with("a map") || e.starts_with("struct ") => "a mapping",
        e => e,
    };
    format!(
        "`{}` is {found}, but {expected} is expected here",
        shorten(raw)
    )
}

fn shorten(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or_default();
    if first.chars().count() > 40 || first.len() < raw.len() {
        format!("{}…", first.chars().take(40).collect::<String>())
    } else {
        first.to_string()
    }
}
