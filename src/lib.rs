//! stslint: a linter for Kubernetes stateful workloads.
pub mod app;
pub mod baseline;
pub mod cli;
pub mod compare;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod emit;
pub mod fingerprint;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod kube;
/// The engine: reached through [`session`], the one door.
pub(crate) mod lint;
pub mod model;
pub mod policy;
pub mod quantity;
pub mod render;
pub mod revision;
pub mod rules;
pub mod schema;
pub mod server;
pub mod session;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod workspace;
pub mod write;
pub mod yaml;
