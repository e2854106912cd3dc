//! A YAML syntax error; found while parsing.
use super::ids;
pub use super::Emitted as InvalidYaml;
use crate::diagnostic::{Diagnostic, FileId};

pub fn diagnostic(file: FileId, offset: usize, message: &str) -> Diagnostic {
    Diagnostic::new(ids::invalid_yaml, file, offset..offset, message)
        .with_help("fix the YAML syntax here; the file's other documents are still linted")
}
