//! An object without a string `apiVersion`; found while reading objects (`model.rs`).
use super::ids;
pub use super::Emitted as MissingApiVersion;
use crate::diagnostic::{Diagnostic, FileId};
use crate::model::HeaderProblem;

pub fn diagnostic(file: FileId, problem: &HeaderProblem<'_>) -> Diagnostic {
    super::missing_kind::header(ids::missing_api_version, file, problem)
}
