//! Reported while reading files (see `lint.rs`); documented in `rules/unrendered-template.toml`.
pub use super::Emitted as Check;
