//! A claim template whose storage class is not among the allowed ones.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct StorageClassNotAllowed;

/// `[rules.storage-class-not-allowed]`.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The storage classes claim templates may use, e.g. ["ssd", "standard"].
    pub allowed: Vec<String>,
}

impl Rule for StorageClassNotAllowed {
    fn configure(&self, table: &toml::Table) -> Result<Option<super::Options>, super::OptionError> {
        super::typed_options(table, |_: &Options| Ok(()))
    }

    fn options_schema(
        &self,
        generator: &mut schemars::SchemaGenerator,
    ) -> Option<schemars::Schema> {
        Some(generator.root_schema_for::<Options>())
    }

    fn check_object(&self, object: &Object<'_>, ctx: &Context, sink: &mut Sink<'_>) {
        let Some(allowed) = ctx
            .options::<Options>(super::ids::storage_class_not_allowed)
            .map(|o| &o.allowed)
        else {
            return;
        };
        for template in claim_templates(object) {
            let Some(spec) = template.node.get("spec") else {
                continue;
            };
            let (span, class) = match spec.get("storageClassName") {
                Some(c) => (c.span.clone(), c.display()),
                None => (
                    super::first_key_span(spec),
                    "(the cluster default)".to_string(),
                ),
            };
            if allowed.contains(&class) {
                continue;
            }
            sink.report(
                object,
                span,
                format!(
                    "claim template `{}` uses storage class {class}, which is not allowed here",
                    template.name
                ),
            )
            .with_help_text(format!("use one of: {}", allowed.join(", ")));
        }
    }
}
