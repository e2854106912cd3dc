//! A file that could not be read; found while reading inputs (`lint.rs`).
use super::ids;
pub use super::Emitted as UnreadableFile;
use crate::diagnostic::{Diagnostic, FileId};

pub fn diagnostic(file: FileId, name: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        ids::unreadable_file,
        file,
        0..0,
        format!("cannot read `{name}`: {reason}"),
    )
    .with_help("fix the path or its permissions, or leave it out with `--exclude`")
}
