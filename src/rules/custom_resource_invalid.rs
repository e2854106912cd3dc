//! A custom resource its CustomResourceDefinition refuses; found by the policy engine
//! (`policy/crd.rs`), which reads the definitions among the inputs.
use super::ids;
pub use super::Emitted as CustomResourceInvalid;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use std::ops::Range;

/// `message` is the API server's own wording (`spec.replicas: Invalid value: ...`).
pub fn diagnostic(
    object: &Object<'_>,
    span: Range<usize>,
    message: &str,
    definition: &str,
) -> Diagnostic {
    object
        .diag(
            ids::custom_resource_invalid,
            span,
            format!(
                "{message} (CustomResourceDefinition `{definition}`: the API server refuses the {})",
                object.kind
            ),
        )
        .with_help("write the value the definition's schema and rules allow (`kubectl explain` shows them once it is installed)")
}
