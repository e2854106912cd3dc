//! Reported while reading files (see `lint.rs`); documented in `rules/duplicate-key.toml`.
pub use super::Emitted as Check;
