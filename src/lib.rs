//! stslint: a linter for Kubernetes stateful workloads.
pub mod source;
pub mod yaml;
pub mod diagnostic;
pub mod model;
pub mod schema;
pub mod workspace;
pub mod rules;
pub mod lint;
pub mod settings;
pub mod discover;
pub mod emit;
pub mod app;
pub mod cli;
pub mod quantity;
pub mod docs;
