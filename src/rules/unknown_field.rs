//! Reported while reading files (see `lint.rs`); documented in `rules/unknown-field.toml`.
pub use super::Emitted as Check;
