//! An object without `metadata.name` (or `generateName`); found while reading objects.
use super::ids;
pub use super::Emitted as MissingName;
use crate::diagnostic::{Diagnostic, FileId};
use crate::model::HeaderProblem;

pub fn diagnostic(file: FileId, problem: &HeaderProblem<'_>) -> Diagnostic {
    let kind = problem.object.as_ref().map_or("object", |o| o.0);
    let what = match (&problem.found, problem.field) {
        (Some(_), "metadata.name") => "has an empty `metadata.name`",
        (Some(_), _) => "`metadata` is not a mapping",
        (None, "metadata") => "has no `metadata.name`",
        (None, _) => "`metadata` has no `name`",
    };
    let mut d = Diagnostic::new(ids::missing_name, file, problem.span.clone(), format!("{kind} {what}"))
        .with_help("every object needs `metadata.name` (or `metadata.generateName` for `kubectl create`); the API server rejects it otherwise");
    if let Some((_, id, helm_source)) = &problem.object {
        d.object = Some(id.clone());
        d.helm_source = helm_source.map(str::to_owned);
    }
    d
}
