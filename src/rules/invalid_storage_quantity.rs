//! A storage request that is not a Kubernetes quantity, or is zero or negative; any other
//! amount of a claim's resources that is not a quantity.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;
use crate::quantity;
use crate::yaml::Node;

pub struct InvalidStorageQuantity;

impl Rule for InvalidStorageQuantity {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let mut requests = Vec::new();
        let mut others = Vec::new();
        let mut resources = Vec::new();
        for template in claim_templates(object) {
            resources.push((
                format!("claim template `{}`", template.name),
                template.node.path(&["spec", "resources"]),
            ));
        }
        if object.is("PersistentVolumeClaim") {
            resources.push((
                "PersistentVolumeClaim".to_string(),
                object.get(&["spec", "resources"]),
            ));
        }
        for (what, resources) in resources {
            let Some(resources) = resources else { continue };
            for list in ["requests", "limits"] {
                for entry in resources.get(list).map(Node::entries).unwrap_or_default() {
                    if entry.value.is_null() {
                        continue;
                    }
                    match entry.key.key_text().as_deref() {
                        Some("storage") if list == "requests" => {
                            requests.push((what.clone(), &entry.value));
                        }
                        name => others.push((
                            what.clone(),
                            list,
                            name.map(str::to_string),
                            &entry.value,
                        )),
                    }
                }
            }
        }
        // Any amount of a resource list must decode as a quantity: the API server refuses the
        // object before it validates it.
        for (what, list, name, value) in others {
            let text = value.display();
            if quantity::parse(&text).is_some() {
                continue;
            }
            let name = name.unwrap_or_default();
            sink.report(object, value.span.clone(), format!("{what} {list} `{text}` of `{name}`, which is not a Kubernetes quantity"))
                .with_help_text(format!("the API server cannot decode the {} (\"quantities must match the regular expression\"); write a quantity such as `10Gi`", object.kind));
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
