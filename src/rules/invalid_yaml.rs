//! A YAML syntax error; found while parsing.
use crate::diagnostic::{Diagnostic, FileId};
use super::ids;
pub use super::Emitted as Check;


pub fn diagnostic(file: FileId, offset: usize, message: &str) -> Diagnostic {
    Diagnostic::new(ids::invalid_yaml, file, offset..offset, message)
        .with_help("fix the YAML syntax here; the file's other documents are still linted")
}
