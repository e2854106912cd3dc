//! Reported when suppressions are applied (see `suppress.rs` and `lint.rs`); documented in
//! `rules/suppression-missing-reason.toml`.
pub use super::Emitted as Check;
