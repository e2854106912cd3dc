//! stslint: a linter for Kubernetes stateful workloads.
pub mod source;
pub mod yaml;
