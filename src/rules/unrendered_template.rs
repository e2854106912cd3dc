//! A Helm template that was not rendered; found while reading inputs.
use super::ids;
pub use super::Emitted as UnrenderedTemplate;
use crate::diagnostic::{Diagnostic, FileId};

pub fn diagnostic(file: FileId, at: usize) -> Diagnostic {
    Diagnostic::new(ids::unrendered_template, file, at..at + 2, "this file is an unrendered Helm template (`{{ ... }}`), not a manifest")
        .with_help("render the chart first and lint the result: `helm template RELEASE CHART | stslint check -`")
}
