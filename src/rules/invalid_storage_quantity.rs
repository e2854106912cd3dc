//! A storage request that is not a Kubernetes quantity, or is zero or negative.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;
use crate::quantity;

pub struct InvalidStorageQuantity;

impl Rule for InvalidStorageQuantity {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let mut requests = Vec::new();
        for template in claim_templates(object) {
            if let Some(storage) = template
                .node
                .path(&["spec", "resources", "requests", "storage"])
            {
                requests.push((format!("claim template `{}`", template.name), storage));
            }
        }
        if object.is("PersistentVolumeClaim") {
            if let Some(storage) = object.get(&["spec", "resources", "requests", "storage"]) {
                requests.push(("PersistentVolumeClaim".to_string(), storage));
            }
        }
        for (what, storage) in requests {
            let text = storage.display();
            match quantity::parse(&text) {
                Some(q) if q.is_zero() || q.negative => {
                    sink.report(object, storage.span.clone(), format!("{what} requests `{text}` of storage: a claim must request more than zero"))
                        .with_help_text("request the size the pod needs, e.g. `storage: 10Gi`");
                }
                Some(_) => {}
                None => {
                    let help = match quantity::suggest(&text) {
                        Some(s) => format!("write `{s}`: quantities use binary suffixes Ki, Mi, Gi, Ti or decimal k, M, G, T with no space and no `B`"),
                        None => "write a quantity such as `10Gi` (binary suffixes Ki, Mi, Gi, Ti; decimal k, M, G, T)".to_string(),
                    };
                    sink.report(
                        object,
                        storage.span.clone(),
                        format!(
                            "{what} requests storage `{text}`, which is not a Kubernetes quantity"
                        ),
                    )
                    .with_help_text(help);
                }
            }
        }
    }
}
