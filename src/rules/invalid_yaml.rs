//! Reported while reading files (see `lint.rs`); documented in `rules/invalid-yaml.toml`.
pub use super::Emitted as Check;
