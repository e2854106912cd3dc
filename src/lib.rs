//! stslint: a linter for Kubernetes stateful workloads.
pub mod app;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod emit;
pub mod fingerprint;
pub mod lint;
pub mod model;
pub mod quantity;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod source;
pub mod workspace;
pub mod yaml;
