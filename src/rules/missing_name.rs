//! Reported while reading files (see `lint.rs`); documented in `rules/missing-name.toml`.
pub use super::Emitted as Check;
