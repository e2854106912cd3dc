//! `rollingUpdate.partition` greater than `replicas`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct PartitionExceedsReplicas;

impl Rule for PartitionExceedsReplicas {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("StatefulSet") {
            return;
        }
        let Some(partition) = object.get(&["spec", "updateStrategy", "rollingUpdate", "partition"])
        else {
            return;
        };
        let Some(p) = partition.as_i64() else { return };
        let replicas = object
            .get(&["spec", "replicas"])
            .and_then(|r| r.as_i64())
            .unwrap_or(1);
        if p > replicas {
            sink.report(object, partition.span.clone(), format!("`partition: {p}` is greater than `replicas: {replicas}`: a rolling update changes no pod"))
                .with_help_text("pods with an ordinal at or above the partition are updated; set it to 0 to update all, or below the replica count for a canary");
        }
    }
}
