//! A rollout strategy type the API server does not know: StatefulSet and DaemonSet
//! `updateStrategy.type` (`RollingUpdate` / `OnDelete`), Deployment `strategy.type`
//! (`RollingUpdate` / `Recreate`).
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let (path, allowed): (&[&str], [&str; 2]) = match object.kind {
            "StatefulSet" | "DaemonSet" => (&["spec", "updateStrategy", "type"], ["RollingUpdate", "OnDelete"]),
            "Deployment" => (&["spec", "strategy", "type"], ["RollingUpdate", "Recreate"]),
            _ => return,
        };
        let Some(value) = object.get(path) else { return };
        let text = value.display();
        if allowed.contains(&text.as_str()) {
            return;
        }
        let field = path[1..].join(".");
        let hint = match (object.kind, text.as_str()) {
            ("Deployment", "OnDelete") => " (`OnDelete` is a StatefulSet and DaemonSet strategy)".to_string(),
            (_, "Recreate") => " (`Recreate` is a Deployment strategy)".to_string(),
            _ => allowed.iter().find(|a| a.eq_ignore_ascii_case(&text)).map_or_else(String::new, |a| format!(" (did you mean `{a}`? values are case-sensitive)")),
        };
        sink.report(object, value.span.clone(), format!("`{field}: {text}` is not a {} strategy{hint}", object.kind))
            .with_help_text(format!("the API server rejects the {} (\"Unsupported value\"); use `{}` (the default) or `{}`", object.kind, allowed[0], allowed[1]));
    }
}
