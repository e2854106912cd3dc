//! An object without a string `kind`; found while reading objects (`model.rs`).
use super::ids;
pub use super::Emitted as MissingKind;
use crate::diagnostic::{Diagnostic, FileId};
use crate::model::HeaderProblem;

pub fn diagnostic(file: FileId, problem: &HeaderProblem<'_>) -> Diagnostic {
    header(ids::missing_kind, file, problem)
}

/// `apiVersion` and `kind` are worded alike: what is there instead, or that it is missing.
pub(super) fn header(rule: &'static str, file: FileId, problem: &HeaderProblem<'_>) -> Diagnostic {
    let field = problem.field;
    let message = match &problem.found {
        Some(("empty", _)) => format!("`{field}` is empty: to Kubernetes the same as none"),
        Some((type_name, value)) => {
            format!("`{field}` must be a string, found {type_name} `{value}`")
        }
        None => format!("this object has no `{field}`"),
    };
    Diagnostic::new(rule, file, problem.span.clone(), message)
        .with_help(format!("Kubernetes cannot decode an object without a string `{field}`: add it, e.g. `apiVersion: apps/v1` and `kind: StatefulSet`"))
}
