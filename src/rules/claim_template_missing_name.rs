//! A claim template without `metadata.name`.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct ClaimTemplateMissingName;

impl Rule for ClaimTemplateMissingName {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for (index, template) in claim_templates(object).into_iter().enumerate() {
            if template
                .node
                .path(&["metadata", "name"])
                .and_then(|n| n.as_str())
                .is_some_and(|n| !n.is_empty())
            {
                continue;
            }
            sink.report(object, template.anchor.clone(), format!("claim template #{} has no `metadata.name`", index + 1))
                .with_help_text(format!("each pod's claim is named `<template>-<statefulset>-<ordinal>` and mounted by that name; {}. Add `metadata: {{name: data}}` and mount it as `data`", crate::kube::claim_rejection(object.kind)));
        }
    }
}
