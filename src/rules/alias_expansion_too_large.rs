//! Reported while reading files (see `lint.rs`); documented in `rules/alias-expansion-too-large.toml`.
pub use super::Emitted as Check;
