//! A Service whose type is not among the allowed ones.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct ServiceTypeNotAllowed;

/// `[rules.service-type-not-allowed]`.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The Service types allowed, e.g. ["ClusterIP"].
    pub allowed: Vec<String>,
}

impl Rule for ServiceTypeNotAllowed {
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
        if !object.is("Service") {
            return;
        }
        let Some(allowed) = ctx
            .options::<Options>(super::ids::service_type_not_allowed)
            .map(|o| &o.allowed)
        else {
            return;
        };
        let type_node = object.get(&["spec", "type"]);
        let kind = type_node.map_or_else(|| "ClusterIP".to_string(), |t| t.display());
        if allowed.contains(&kind) {
            return;
        }
        let span = type_node.map_or(object.kind_span(), |t| t.span.clone());
        sink.report(
            object,
            span,
            format!(
                "Service `{}` has type {kind}, which is not allowed here",
                object.name
            ),
        )
        .with_help_text(format!("use one of: {}", allowed.join(", ")));
    }
}
