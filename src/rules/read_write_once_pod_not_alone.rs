//! `ReadWriteOncePod` combined with another access mode.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct ReadWriteOncePodNotAlone;

impl Rule for ReadWriteOncePodNotAlone {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let mut lists = Vec::new();
        for template in claim_templates(object) {
            lists.extend(template.node.path(&["spec", "accessModes"]));
        }
        if object.is("PersistentVolumeClaim") {
            lists.extend(object.get(&["spec", "accessModes"]));
        }
        for modes in lists {
            let items = modes.items();
            let Some(rwop) = items
                .iter()
                .find(|m| m.as_str() == Some("ReadWriteOncePod"))
            else {
                continue;
            };
            // Only valid modes count as "other" (`ValidatePersistentVolumeClaimSpec`).
            let others = items
                .iter()
                .filter(|m| {
                    m.as_str().is_some_and(|t| {
                        t != "ReadWriteOncePod"
                            && super::invalid_access_mode::ACCESS_MODES.contains(&t)
                    })
                })
                .count();
            if others == 0 {
                continue;
            }
            sink.report(object, rwop.span.clone(), "`ReadWriteOncePod` is combined with other access modes")
                .with_help_text(format!("the API server allows it only alone (\"may not use ReadWriteOncePod with other access modes\"); {}. Keep `[ReadWriteOncePod]` alone, or drop it", crate::kube::claim_rejection(object.kind)));
        }
    }
}
