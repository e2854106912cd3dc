//! A CEL expression of a ValidatingAdmissionPolicy or of a CustomResourceDefinition's
//! `x-kubernetes-validations` that does not compile; found by the policy engine.
use super::ids;
pub use super::Emitted as PolicyExpressionInvalid;
use crate::diagnostic::{Diagnostic, FileId};
use std::ops::Range;

pub fn diagnostic(
    file: FileId,
    span: Range<usize>,
    kind: &str,
    name: &str,
    expression: &str,
    why: &str,
) -> Diagnostic {
    Diagnostic::new(
        ids::policy_expression_invalid,
        file,
        span,
        format!(
            "this CEL expression of {kind} `{name}` does not compile: {why}; the API server refuses the {kind}"
        ),
    )
    .with_help(format!(
        "fix the expression `{}`; CEL's syntax: https://kubernetes.io/docs/reference/using-api/cel/",
        expression.trim()
    ))
}
