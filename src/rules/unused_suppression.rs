//! Reported when suppressions are applied (see `suppress.rs` and `lint.rs`); documented in
//! `rules/unused-suppression.toml`.
pub use super::Emitted as Check;
