//! A claim template that no container mounts.
use super::{claim_templates, containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct ClaimTemplateNotMounted;

impl Rule for ClaimTemplateNotMounted {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        let mounted: Vec<&str> = containers(spec)
            .flat_map(|c| c.get("volumeMounts").map(|m| m.items()).unwrap_or_default())
            .filter_map(|m| m.get("name").and_then(|n| n.as_str()))
            .collect();
        let volumes: Vec<&str> = super::pod_volumes(spec).map(|(n, _)| n).collect();
        for template in claim_templates(object) {
            if !mounted.contains(&template.name.as_str()) {
                // A mount of a name that exists nowhere, close to this template's: a typo.
                let unknown = mounted.iter().copied().filter(|m| !volumes.contains(m));
                let near =
                    crate::kube::closest(&template.name, unknown).map_or_else(String::new, |m| {
                        format!(
                            " (a container mounts `{m}`: did you mean `{}`?)",
                            template.name
                        )
                    });
                sink.report(object, template.anchor.clone(), format!("claim template `{}` is mounted by no container: each pod gets a volume it never uses{near}", template.name))
                    .with_help_text(format!("add `volumeMounts: [{{name: {}, mountPath: /data}}]` to the container that keeps the state, or remove the template", template.name));
            }
        }
    }
}
