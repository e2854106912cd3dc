//! Aliases that would expand past the node budget (an alias bomb); found while parsing.
use super::ids;
pub use super::Emitted as AliasExpansionTooLarge;
use crate::diagnostic::{Diagnostic, FileId};

pub fn diagnostic(file: FileId, offset: usize, message: &str) -> Diagnostic {
    Diagnostic::new(
        ids::alias_expansion_too_large,
        file,
        offset..offset,
        message,
    )
    .with_help("write the repeated structure out instead of nesting aliases")
}
