//! A claim template that no container mounts.
use super::{claim_templates, containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        let mounted: Vec<&str> = containers(spec)
            .flat_map(|c| c.get("volumeMounts").map(|m| m.items()).unwrap_or_default())
            .filter_map(|m| m.get("name").and_then(|n| n.as_str()))
            .collect();
        for template in claim_templates(object) {
            if !mounted.contains(&template.name.as_str()) {
                sink.report(object, template.anchor.clone(), format!("claim template `{}` is mounted by no container: each pod gets a volume it never uses", template.name))
                    .with_help_text(format!("add `volumeMounts: [{{name: {}, mountPath: /data}}]` to the container that keeps the state, or remove the template", template.name));
            }
        }
    }
}
