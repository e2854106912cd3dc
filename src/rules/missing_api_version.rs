//! An object without a string `apiVersion`; found while reading objects (`model.rs`).
use crate::diagnostic::{Diagnostic, FileId};
use crate::model::HeaderProblem;
use super::ids;
pub use super::Emitted as Check;


pub fn diagnostic(file: FileId, problem: &HeaderProblem<'_>) -> Diagnostic {
    super::missing_kind::header(ids::missing_api_version, file, problem)
}
