//! CustomResourceDefinitions: the structural schema of each served version, checked as the
//! API server's OpenAPI validation checks a custom resource (types, enums, required fields,
//! bounds, lengths, patterns, list types), then its `x-kubernetes-validations` CEL rules
//! (through `kube-cel`, defaults applied first).

use super::expression::{self, Expression};
use super::field_path::{self, Step};
use crate::diagnostic::FileId;
use crate::yaml::{Node, Value};
use serde_json::Value as Json;
use std::ops::Range;

pub struct Definition {
    pub name: String,
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub file: FileId,
    pub span: Range<usize>,
    pub versions: Vec<Version>,
    /// The rules that do not compile: the API server refuses the definition.
    pub broken_rules: Vec<Expression>,
}

pub struct Version {
    pub name: String,
    pub served: bool,
    pub schema: Option<Json>,
    pub compiled: Option<kube_cel::CompiledSchema>,
}

/// One reason the API server refuses a custom resource.
pub struct Problem {
    pub span: Range<usize>,
    /// The field, as the API server names it (`spec.replicas`).
    pub field: String,
    pub message: String,
    /// A field the schema does not have: pruned, or refused by strict field validation.
    pub unknown: bool,
}

impl Definition {
    pub fn read(file: FileId, root: &Node, source: &str) -> Option<Definition> {
        let spec = root.get("spec")?;
        let names = spec.get("names")?;
        let kind = names.get("kind")?.as_str()?.to_string();
        let mut broken_rules = Vec::new();
        let versions = spec
            .get("versions")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| {
                let schema_node = v.path(&["schema", "openAPIV3Schema"]);
                if let Some(node) = schema_node {
                    collect_rules(node, source, &mut broken_rules);
                }
                let schema = schema_node.map(expression::json_of);
                let compiled = schema.as_ref().map(kube_cel::compile_schema);
                Some(Version {
                    name: v.get("name")?.as_str()?.to_string(),
                    served: v.get("served").and_then(|s| match s.value {
                        Value::Bool(b) => Some(b),
                        _ => None,
                    }) != Some(false),
                    schema,
                    compiled,
                })
            })
            .collect();
        broken_rules.retain(|e| e.program.is_err());
        Some(Definition {
            name: root
                .path(&["metadata", "name"])
                .map(Node::display)
                .unwrap_or_default(),
            group: spec.get("group")?.as_str()?.to_string(),
            plural: names
                .get("plural")
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_string(),
            namespaced: spec.get("scope").and_then(Node::as_str) != Some("Cluster"),
            kind,
            file,
            span: root
                .path(&["metadata", "name"])
                .map_or(root.span.clone(), |n| n.span.clone()),
            versions,
            broken_rules,
        })
    }

    /// What the API server refuses in `root`, a custom resource of this definition's kind at
    /// `version`.
    /// `old`: its previous version (`--previous`), for the transition rules (`oldSelf`).
    pub fn check(
        &self,
        root: &Node,
        old: Option<&Node>,
        api_version: &str,
        version: &str,
    ) -> Vec<Problem> {
        let Some(served) = self.versions.iter().find(|v| v.name == version && v.served) else {
            let span = root
                .get("apiVersion")
                .map_or(root.span.clone(), |n| n.span.clone());
            let served: Vec<String> = self
                .versions
                .iter()
                .filter(|v| v.served)
                .map(|v| format!("{}/{}", self.group, v.name))
                .collect();
            return vec![Problem {
                span,
                field: "apiVersion".into(),
                message: format!(
                    "the CustomResourceDefinition `{}` serves no version `{version}`: the API server has no {} in {api_version} (it serves {})",
                    self.name,
                    self.kind,
                    if served.is_empty() { "none".to_string() } else { served.join(", ") }
                ),
                unknown: false,
            }];
        };
        let Some(schema) = &served.schema else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        let mut path = Vec::new();
        structural(root, schema, &mut path, true, &mut problems);
        // A value of the wrong type, a missing required field or a value outside an enum
        // blocks the rules (`hasBlockingErr` in the custom resource strategy: "some validation
        // rules were not checked"); bounds, lengths and patterns do not.
        let blocking = |p: &Problem| {
            p.message.contains(" in body must be of type ")
                || p.message.ends_with(": Required value")
                || p.message.contains(": Unsupported value: ")
        };
        if !problems.iter().any(blocking) {
            if let Some(compiled) = &served.compiled {
                self.rules(root, old, compiled, api_version, &mut problems);
            }
        }
        problems
    }

    /// The `x-kubernetes-validations` rules, on the object as the API server has it (defaults
    /// applied, unknown fields pruned by the validator's schema walk).
    fn rules(
        &self,
        root: &Node,
        old: Option<&Node>,
        compiled: &kube_cel::CompiledSchema,
        api_version: &str,
        problems: &mut Vec<Problem>,
    ) {
        let object = expression::json_of(root);
        let old = old.map(expression::json_of);
        let context = kube_cel::RootContext {
            api_version: api_version.to_string(),
            api_group: self.group.clone(),
            kind: self.kind.clone(),
        };
        let validated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            validator().validate_compiled_with_context(
                compiled,
                &object,
                old.as_ref(),
                Some(&context),
            )
        }));
        let Ok(Err(errors)) = validated else {
            return;
        };
        for error in errors.iter() {
            use kube_cel::ErrorKind;
            match error.kind {
                ErrorKind::ValidationFailure
                | ErrorKind::InvalidResult
                | ErrorKind::EvaluationError => {}
                // Not compiled (said on the definition), or beyond this interpreter.
                _ => continue,
            }
            let steps = field_path::parse(&error.field_path).unwrap_or_default();
            let span = field_path::locate(root, &steps).unwrap_or(root.span.clone());
            problems.push(Problem {
                span,
                field: error.field_path.clone(),
                message: format!(
                    "{}: Invalid value: {}",
                    display_field(&error.field_path),
                    error.message
                ),
                unknown: false,
            });
        }
    }
}

fn display_field(path: &str) -> &str {
    if path.is_empty() {
        "<root>"
    } else {
        path
    }
}

fn validator() -> &'static kube_cel::Validator {
    static VALIDATOR: std::sync::OnceLock<kube_cel::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(kube_cel::Validator::new)
}

/// Compiles every `x-kubernetes-validations` rule under `schema`, for compile errors.
fn collect_rules(schema: &Node, source: &str, out: &mut Vec<Expression>) {
    match &schema.value {
        Value::Map(entries) => {
            for e in entries {
                if e.key.as_str() == Some("x-kubernetes-validations") {
                    for rule in e.value.items() {
                        out.extend(
                            rule.get("rule")
                                .and_then(|r| Expression::compile(r, source)),
                        );
                    }
                } else {
                    collect_rules(&e.value, source, out);
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| collect_rules(i, source, out)),
        _ => {}
    }
}

fn json_type(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) => "integer",
        Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

fn display_json(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("{s:?}"),
        Value::Map(_) => "object".into(),
        Value::Seq(_) => "array".into(),
        _ => node.display(),
    }
}

fn flag(schema: &Json, key: &str) -> bool {
    schema.get(key).and_then(Json::as_bool) == Some(true)
}

/// The OpenAPI checks of `node` against `schema`, as `k8s.io/kube-openapi/pkg/validation`
/// makes them for a custom resource. `top`: the object itself, whose `apiVersion`, `kind`
/// and `metadata` are the API server's own.
fn structural(node: &Node, schema: &Json, path: &mut Vec<Step>, top: bool, out: &mut Vec<Problem>) {
    // `null` for a field that is not nullable is pruned before validation.
    if node.is_null() {
        return;
    }
    let field = || field_path::display(path);
    let problem = |out: &mut Vec<Problem>, message: String| {
        out.push(Problem {
            span: node.span.clone(),
            field: field(),
            message,
            unknown: false,
        });
    };
    let int_or_string = flag(schema, "x-kubernetes-int-or-string");
    let kind = json_type(node);
    if let Some(expected) = schema.get("type").and_then(Json::as_str) {
        let fits = match expected {
            "integer" => {
                matches!(node.value, Value::Int(_))
                    || matches!(node.value, Value::Float(f) if f.fract() == 0.0)
            }
            "number" => matches!(node.value, Value::Int(_) | Value::Float(_)),
            other => other == kind,
        };
        if !(fits || int_or_string && matches!(node.value, Value::Int(_) | Value::Str(_))) {
            let f = field();
            problem(
                out,
                format!(
                    "{f}: Invalid value: \"{kind}\": {f} in body must be of type {expected}: \"{kind}\""
                ),
            );
            return;
        }
    } else if int_or_string && !matches!(node.value, Value::Int(_) | Value::Str(_)) {
        let f = field();
        problem(
            out,
            format!(
                "{f}: Invalid value: \"{kind}\": {f} in body must be of type integer or string"
            ),
        );
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Json::as_array) {
        let value = expression::json_of(node);
        if !allowed.contains(&value) {
            let list: Vec<String> = allowed.iter().map(Json::to_string).collect();
            problem(
                out,
                format!(
                    "{}: Unsupported value: {}: supported values: {}",
                    field(),
                    display_json(node),
                    list.join(", ")
                ),
            );
        }
    }
    match &node.value {
        Value::Int(_) | Value::Float(_) => numeric(node, schema, &field(), out),
        Value::Str(s) => {
            let length = s.chars().count() as u64;
            let f = field();
            if let Some(max) = schema.get("maxLength").and_then(Json::as_u64) {
                if length > max {
                    problem(
                        out,
                        format!("{f}: Too long: may not be more than {max} bytes"),
                    );
                }
            }
            if let Some(min) = schema.get("minLength").and_then(Json::as_u64) {
                if length < min {
                    problem(
                        out,
                        format!("{f}: Invalid value: {s:?}: {f} in body should be at least {min} chars long"),
                    );
                }
            }
            if let Some(pattern) = schema.get("pattern").and_then(Json::as_str) {
                // An ECMA pattern this engine cannot read is not held against the object.
                if regex::Regex::new(pattern).is_ok_and(|re| !re.is_match(s)) {
                    problem(
                        out,
                        format!("{f}: Invalid value: {s:?}: {f} in body should match '{pattern}'"),
                    );
                }
            }
        }
        Value::Seq(items) => {
            let f = field();
            let count = items.len() as u64;
            if let Some(max) = schema.get("maxItems").and_then(Json::as_u64) {
                if count > max {
                    problem(
                        out,
                        format!("{f}: Too many: {count}: must have at most {max} items"),
                    );
                }
            }
            if let Some(min) = schema.get("minItems").and_then(Json::as_u64) {
                if count < min {
                    problem(
                        out,
                        format!("{f}: Invalid value: {count}: {f} in body should have at least {min} items"),
                    );
                }
            }
            list_type(items, schema, &f, out);
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    structural(item, item_schema, path, false, out);
                    path.pop();
                }
            }
        }
        Value::Map(entries) => object(node, entries, schema, path, top, out),
        _ => {}
    }
}

fn numeric(node: &Node, schema: &Json, field: &str, out: &mut Vec<Problem>) {
    let value = match node.value {
        Value::Int(i) => i as f64,
        Value::Float(f) => f,
        _ => return,
    };
    let shown = node.display();
    let mut say = |message: String| {
        out.push(Problem {
            span: node.span.clone(),
            field: field.to_string(),
            message: format!("{field}: Invalid value: {shown}: {field} in body {message}"),
            unknown: false,
        });
    };
    let exclusive = |key: &str| flag(schema, key);
    if let Some(min) = schema.get("minimum").and_then(Json::as_f64) {
        if exclusive("exclusiveMinimum") && value <= min {
            say(format!("should be greater than {min}"));
        } else if value < min {
            say(format!("should be greater than or equal to {min}"));
        }
    }
    if let Some(max) = schema.get("maximum").and_then(Json::as_f64) {
        if exclusive("exclusiveMaximum") && value >= max {
            say(format!("should be less than {max}"));
        } else if value > max {
            say(format!("should be less than or equal to {max}"));
        }
    }
    if let Some(factor) = schema.get("multipleOf").and_then(Json::as_f64) {
        if factor > 0.0 && (value / factor).fract() != 0.0 {
            say(format!("should be a multiple of {factor}"));
        }
    }
}

/// `x-kubernetes-list-type: set` (no duplicates) and `map` (unique keys).
fn list_type(items: &[Node], schema: &Json, field: &str, out: &mut Vec<Problem>) {
    let keys: Vec<&str> = schema
        .get("x-kubernetes-list-map-keys")
        .and_then(Json::as_array)
        .map(|k| k.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let identity = |item: &Node| -> Json {
        match schema.get("x-kubernetes-list-type").and_then(Json::as_str) {
            Some("map") => Json::Array(
                keys.iter()
                    .map(|k| item.get(k).map_or(Json::Null, expression::json_of))
                    .collect(),
            ),
            _ => expression::json_of(item),
        }
    };
    if !matches!(
        schema.get("x-kubernetes-list-type").and_then(Json::as_str),
        Some("set" | "map")
    ) {
        return;
    }
    let mut seen: Vec<Json> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let id = identity(item);
        if seen.contains(&id) {
            out.push(Problem {
                span: item.span.clone(),
                field: format!("{field}[{i}]"),
                message: format!("{field}[{i}]: Duplicate value: {id}"),
                unknown: false,
            });
        }
        seen.push(id);
    }
}

fn object(
    node: &Node,
    entries: &[crate::yaml::Entry],
    schema: &Json,
    path: &mut Vec<Step>,
    top: bool,
    out: &mut Vec<Problem>,
) {
    let properties = schema.get("properties").and_then(Json::as_object);
    let additional = schema.get("additionalProperties");
    let keep_unknown = flag(schema, "x-kubernetes-preserve-unknown-fields");
    let embedded = flag(schema, "x-kubernetes-embedded-resource");
    for e in entries {
        let Some(key) = e.key.key_text() else {
            continue;
        };
        if (top || embedded) && matches!(key.as_ref(), "apiVersion" | "kind" | "metadata") {
            continue;
        }
        let child = properties
            .and_then(|p| p.get(key.as_ref()))
            .or(additional.filter(|a| a.is_object()));
        path.push(Step::Key(key.to_string()));
        match child {
            Some(child) => structural(&e.value, child, path, false, out),
            None if keep_unknown || additional.and_then(Json::as_bool) == Some(true) => {}
            None => out.push(Problem {
                span: e.key.span.clone(),
                field: field_path::display(path),
                message: String::new(),
                unknown: true,
            }),
        }
        path.pop();
    }
    let present = |key: &str| node.get(key).is_some();
    for required in schema
        .get("required")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
    {
        // A field with a default is filled in before validation.
        let defaulted = properties
            .and_then(|p| p.get(required))
            .is_some_and(|s| s.get("default").is_some());
        if !present(required) && !defaulted {
            path.push(Step::Key(required.to_string()));
            let field = field_path::display(path);
            path.pop();
            out.push(Problem {
                span: node.span.clone(),
                field: field.clone(),
                message: format!("{field}: Required value"),
                unknown: false,
            });
        }
    }
    let count = entries.iter().filter(|e| !e.value.is_null()).count() as u64;
    let field = field_path::display(path);
    if let Some(max) = schema.get("maxProperties").and_then(Json::as_u64) {
        if count > max {
            out.push(Problem {
                span: node.span.clone(),
                field: field.clone(),
                message: format!("{field}: Too many: {count}: must have at most {max} items"),
                unknown: false,
            });
        }
    }
    if let Some(min) = schema.get("minProperties").and_then(Json::as_u64) {
        if count < min {
            out.push(Problem {
                span: node.span.clone(),
                field: field.clone(),
                message: format!("{field}: Invalid value: {count}: {field} in body should have at least {min} properties"),
                unknown: false,
            });
        }
    }
}
