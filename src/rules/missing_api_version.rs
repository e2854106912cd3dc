//! Reported while reading files (see `lint.rs`); documented in `rules/missing-api-version.toml`.
pub use super::Emitted as Check;
