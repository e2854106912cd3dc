//! A binary file or a text in another encoding than UTF-8; found while reading inputs.
use super::ids;
pub use super::Emitted as NotText;
use crate::diagnostic::{Diagnostic, FileId};

pub fn utf16(file: FileId, name: &str) -> Diagnostic {
    Diagnostic::new(
        ids::not_text,
        file,
        0..0,
        format!("`{name}` is UTF-16 text, not UTF-8"),
    )
    .with_help(
        "convert it: `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8` (PowerShell's `>` writes UTF-16)",
    )
}

pub fn binary(file: FileId, name: &str, at: usize) -> Diagnostic {
    Diagnostic::new(
        ids::not_text,
        file,
        0..0,
        format!("`{name}` is a binary file (NUL byte at offset {at}), not a YAML or JSON manifest"),
    )
    .with_help("lint rendered manifests only, or leave this file out with `--exclude`")
}

pub fn not_utf8(file: FileId, name: &str, at: usize) -> Diagnostic {
    Diagnostic::new(
        ids::not_text,
        file,
        at..at,
        format!("`{name}` is not UTF-8 text (invalid byte at offset {at})"),
    )
    .with_help(
        "convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`, or leave it out with `--exclude`",
    )
}
