//! A suppression without a reason; found when suppressions are applied (`lint.rs`).
use super::ids;
pub use super::Emitted as SuppressionMissingReason;
use crate::diagnostic::Diagnostic;
use crate::suppress::Suppression;

pub fn diagnostic(s: &Suppression) -> Diagnostic {
    Diagnostic::new(ids::suppression_missing_reason, s.file, s.span.clone(), format!("suppression of {} gives no reason", s.rules.join(", ")))
        .with_help("say why the finding does not apply, so reviewers can trust it: `# stslint: ignore[rule] reason`, or the `stslint.io/ignore-reason` annotation")
}
