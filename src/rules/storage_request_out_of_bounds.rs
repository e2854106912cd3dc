//! A storage request below or above the bounds set in the configuration.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;
use crate::quantity;

pub struct StorageRequestOutOfBounds;

/// `[rules.storage-request-out-of-bounds]`: the team's storage bounds.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The smallest storage request allowed, e.g. "1Gi".
    pub min: Option<String>,
    /// The largest storage request allowed, e.g. "2Ti".
    pub max: Option<String>,
}

impl Options {
    fn bytes(value: Option<&String>) -> Option<f64> {
        value.and_then(|v| quantity::parse(v)).map(|q| q.as_f64())
    }
}

impl Rule for StorageRequestOutOfBounds {
    fn configure(&self, table: &toml::Table) -> Result<Option<super::Options>, super::OptionError> {
        super::typed_options(table, |o: &Options| {
            for (key, value) in [("min", &o.min), ("max", &o.max)] {
                if let Some(v) = value {
                    if quantity::parse(v).is_none_or(|q| q.negative) {
                        return Err(super::OptionError {
                            key: Some(key.into()),
                            message: format!("`{v}` is not a storage quantity, e.g. \"10Gi\""),
                        });
                    }
                }
            }
            match (
                Options::bytes(o.min.as_ref()),
                Options::bytes(o.max.as_ref()),
            ) {
                (Some(min), Some(max)) if min > max => Err(super::OptionError {
                    key: Some("min".into()),
                    message: format!(
                        "`min` ({}) is larger than `max` ({}): no request could pass",
                        o.min.as_deref().unwrap_or_default(),
                        o.max.as_deref().unwrap_or_default()
                    ),
                }),
                _ => Ok(()),
            }
        })
    }

    fn options_schema(
        &self,
        generator: &mut schemars::SchemaGenerator,
    ) -> Option<schemars::Schema> {
        Some(generator.root_schema_for::<Options>())
    }

    fn check_object(&self, object: &Object<'_>, ctx: &Context, sink: &mut Sink<'_>) {
        let Some(options) = ctx.options::<Options>(super::ids::storage_request_out_of_bounds)
        else {
            return;
        };
        let (min, max) = (
            Options::bytes(options.min.as_ref()),
            Options::bytes(options.max.as_ref()),
        );
        for template in claim_templates(object) {
            let Some(storage) = template
                .node
                .path(&["spec", "resources", "requests", "storage"])
            else {
                continue;
            };
            let text = storage.display();
            let Some(q) = quantity::parse(&text) else {
                continue;
            };
            let bytes = q.as_f64();
            let problem = match (min, max) {
                (Some(m), _) if bytes < m => format!(
                    "below the configured minimum {}",
                    options.min.as_deref().unwrap_or_default()
                ),
                (_, Some(m)) if bytes > m => format!(
                    "above the configured maximum {}",
                    options.max.as_deref().unwrap_or_default()
                ),
                _ => continue,
            };
            sink.report(object, storage.span.clone(), format!("claim template `{}` requests {text}, {problem}", template.name))
                .with_help_text("size the volume within the team's bounds (`[rules.storage-request-out-of-bounds]` in .stslint.toml), or ignore this finding with a reason");
        }
    }
}
