//! Reported while reading files (see `lint.rs`); documented in `rules/unreadable-file.toml`.
pub use super::Emitted as Check;
