//! A mapping key written twice; found while parsing.
use super::ids;
pub use super::Emitted as DuplicateKey;
use crate::diagnostic::{Diagnostic, FileId};
use crate::yaml::DuplicateKey as Found;

pub fn diagnostic(file: FileId, dup: &Found) -> Diagnostic {
    Diagnostic::new(
        ids::duplicate_key,
        file,
        dup.span.clone(),
        format!(
            "duplicate key `{}`: the earlier value is silently dropped",
            dup.key
        ),
    )
    .with_help("keep one of the two keys (strict validation rejects the object)")
    .with_related(file, dup.first.clone(), "first defined here")
}
