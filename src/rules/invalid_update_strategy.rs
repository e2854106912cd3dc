//! A rollout strategy type the API server does not know: StatefulSet and DaemonSet
//! `updateStrategy.type` (`RollingUpdate` / `OnDelete`), Deployment `strategy.type`
//! (`RollingUpdate` / `Recreate`).
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct InvalidUpdateStrategy;

impl Rule for InvalidUpdateStrategy {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let (path, allowed): (&[&str], [&str; 2]) = match object.kind {
            "StatefulSet" | "DaemonSet" => (
                &["spec", "updateStrategy", "type"],
                ["RollingUpdate", "OnDelete"],
            ),
            "Deployment" => (&["spec", "strategy", "type"], ["RollingUpdate", "Recreate"]),
            _ => return,
        };
        let Some(value) = object.get(path) else {
            return;
        };
        let text = value.display();
        // `type: ""` is defaulted to RollingUpdate, as if absent.
        if text.is_empty() && value.as_str().is_some() {
            return;
        }
        if text == allowed[1] {
            // `rollingUpdate` is rejected next to `OnDelete` (StatefulSet) and `Recreate`
            // (Deployment); a DaemonSet's validation lets it pass.
            let answer = match object.kind {
                "StatefulSet" => "only allowed for updateStrategy 'RollingUpdate'",
                "Deployment" => "may not be specified when strategy `type` is 'Recreate'",
                _ => return,
            };
            if let Some(rolling) = object
                .get(&path[..path.len() - 1])
                .and_then(|s| s.entry("rollingUpdate"))
            {
                sink.report(object, rolling.key.span.clone(), format!("`rollingUpdate` is set but the strategy type is `{text}`"))
                    .with_help_text(format!("the API server rejects the {} (\"{answer}\"); remove `rollingUpdate`, or use `type: RollingUpdate`", object.kind));
            }
            return;
        }
        if allowed.contains(&text.as_str()) {
            return;
        }
        let field = path[1..].join(".");
        let hint = match (object.kind, text.as_str()) {
            ("Deployment", "OnDelete") => {
                " (`OnDelete` is a StatefulSet and DaemonSet strategy)".to_string()
            }
            (_, "Recreate") => " (`Recreate` is a Deployment strategy)".to_string(),
            _ => allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(&text))
                .map_or_else(String::new, |a| {
                    format!(" (did you mean `{a}`? values are case-sensitive)")
                }),
        };
        let d = sink.report(
            object,
            value.span.clone(),
            format!("`{field}: {text}` is not a {} strategy{hint}", object.kind),
        );
        d.with_help_text(format!(
            "the API server rejects the {} (\"Unsupported value\"); use `{}` (the default) or `{}`",
            object.kind, allowed[0], allowed[1]
        ));
        super::case_fix(d, &text, value.span.clone(), &allowed);
    }
}
