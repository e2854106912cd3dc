//! A LoadBalancer or NodePort Service.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct ServiceExposed;

impl Rule for ServiceExposed {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("Service") {
            return;
        }
        let Some(kind) = object.get(&["spec", "type"]) else {
            return;
        };
        if let Some(text @ ("LoadBalancer" | "NodePort")) = kind.as_str() {
            sink.report(object, kind.span.clone(), format!("Service `{}` is exposed outside the cluster (type {text})", object.name))
                .with_help_text("make sure this is intended (databases rarely should be); use `ClusterIP` with an Ingress or Gateway for web traffic");
        }
    }
}
