//! Reported while reading files (see `lint.rs`); documented in `rules/missing-kind.toml`.
pub use super::Emitted as Check;
