//! An image with the `latest` tag or no tag at all.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct ImageTagLatest;

impl Rule for ImageTagLatest {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        for container in containers(spec) {
            let Some(image) = container.get("image") else {
                continue;
            };
            let Some(text) = image.as_str() else { continue };
            if text.contains('@') {
                continue;
            }
            let last = text.rsplit('/').next().unwrap_or(text);
            let tag = last.split_once(':').map(|(_, t)| t);
            let problem = match tag {
                None => "has no tag, so it means `latest`",
                Some("latest") => "uses the `latest` tag",
                Some(_) => continue,
            };
            sink.report(object, image.span.clone(), format!("image `{text}` {problem}"))
                .with_help_text("pods of one StatefulSet can then run different versions after a restart; pin a version tag or a digest (`image@sha256:...`)");
        }
    }
}
