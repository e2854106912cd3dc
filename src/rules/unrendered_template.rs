//! A Helm template that was not rendered; found while reading inputs.
use crate::diagnostic::{Diagnostic, FileId};
use super::ids;
pub use super::Emitted as Check;


pub fn diagnostic(file: FileId, at: usize) -> Diagnostic {
    Diagnostic::new(ids::unrendered_template, file, at..at + 2, "this file is an unrendered Helm template (`{{ ... }}`), not a manifest")
        .with_help("render the chart first and lint the result: `helm template RELEASE CHART | stslint check -`")
}
