//! Reported while reading files (see `lint.rs`); documented in `rules/invalid-field-type.toml`.
pub use super::Emitted as Check;
