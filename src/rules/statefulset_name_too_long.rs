//! A StatefulSet name too long for the label its controller puts on every pod.
use super::{Context, Rule, Sink};
use crate::kube::dns_label_problem;
use crate::model::Object;

pub struct StatefulsetNameTooLong;

/// Each pod is labelled `controller-revision-hash: <name>-<hash>`, a label value (at most 63
/// characters), and the hash has up to 10 characters: 63 - 11 = 52.
const NAME_MAX: usize = 52;

impl Rule for StatefulsetNameTooLong {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("StatefulSet") {
            return;
        }
        let Some(name) = object.get(&["metadata", "name"]) else {
            return;
        };
        let Some(text) = name.as_str() else { return };
        // Not a DNS label at all: the StatefulSet itself is rejected (invalid-name-format).
        if text.len() <= NAME_MAX || dns_label_problem(text).is_some() {
            return;
        }
        sink.report(object, name.span.clone(), format!("StatefulSet name `{text}` has {} characters; its controller cannot create pods for a name longer than {NAME_MAX}", text.len()))
            .with_help_text("the API server accepts the StatefulSet, but its controller labels each pod `controller-revision-hash: <name>-<hash>`, a label value over 63 characters, and the API server rejects every pod (`FailedCreate` events): no replica starts. Shorten the name to 52 characters or fewer");
    }
}
