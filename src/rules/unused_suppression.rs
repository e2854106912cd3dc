//! A suppression that silenced nothing, or that stslint cannot read; found when suppressions
//! are applied (`lint.rs`).
use super::ids;
pub use super::Emitted as UnusedSuppression;
use crate::diagnostic::Diagnostic;
use crate::suppress::Suppression;

pub fn malformed(s: &Suppression, why: &str) -> Diagnostic {
    Diagnostic::new(
        ids::unused_suppression,
        s.file,
        s.span.clone(),
        "this `stslint:` comment is not a suppression stslint can read",
    )
    .with_help(why.to_string())
}

/// `name` is a rule or category of the suppression that matched nothing; `known` whether
/// stslint has such a rule or category at all.
pub fn unused(s: &Suppression, name: &str, known: bool) -> Diagnostic {
    let message = if known {
        format!("suppression of `{name}` matches no finding")
    } else {
        let mean = crate::kube::closest(name, super::registry().iter().map(|r| r.id))
            .map_or_else(String::new, |c| format!("; did you mean `{c}`?"));
        format!("suppression names `{name}`, which is no rule or category{mean}")
    };
    Diagnostic::new(ids::unused_suppression, s.file, s.span.clone(), message)
        .with_help("remove it (the problem was fixed, or the suppression is on the wrong line); `stslint rules` lists the rule ids")
}
