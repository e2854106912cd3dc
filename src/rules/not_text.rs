//! Reported while reading files (see `lint.rs`); documented in `rules/not-text.toml`.
pub use super::Emitted as Check;
