//! ValidatingAdmissionPolicies and their bindings (`admissionregistration.k8s.io/v1`), read
//! from the objects that declare them, and evaluated as the API server's validating admission
//! plugin does (`k8s.io/apiserver/pkg/admission/plugin/policy/validating`).

use super::expression::{self, Expression};
use super::matching::MatchResources;
use crate::diagnostic::{FileId, Severity};
use crate::kube::LabelSelector;
use crate::yaml::Node;
use kube_cel::cel::{Context, Value};
use std::ops::Range;

pub const GROUP_VERSION: &str = "admissionregistration.k8s.io/v1";

/// A `ValidatingAdmissionPolicy`.
pub struct Policy {
    pub name: String,
    /// Its findings' rule id, `policy:<name>`.
    pub id: &'static str,
    /// The file that declares it; none for the configuration's `[[policy]]`.
    pub file: Option<FileId>,
    /// `spec.paramKind`: `(apiVersion, kind)`.
    pub param_kind: Option<(String, String)>,
    pub constraints: MatchResources,
    pub conditions: Vec<(String, Expression)>,
    pub variables: Vec<(String, Expression)>,
    pub validations: Vec<Validation>,
    /// `failurePolicy: Ignore`: an expression that fails to evaluate admits.
    pub ignore_failures: bool,
    /// What its expressions read of `object` (`None`: all of it). Each policy sees only
    /// that: the interpreter copies every value it selects a field of, so a policy reading
    /// `spec.replicas` must not copy the whole pod template for it.
    pub reads: Option<expression::Reads>,
    /// Its reads' index among the distinct reads of a policy set: policies that read the
    /// same share one `object`.
    pub read_group: usize,
}

pub struct Validation {
    pub expression: Expression,
    pub message: Option<String>,
    pub message_expression: Option<Expression>,
    /// `fieldPath`: where the API server says the failure is.
    pub field_path: Option<Vec<super::field_path::Step>>,
}

/// A `ValidatingAdmissionPolicyBinding`.
pub struct Binding {
    pub name: String,
    pub policy: String,
    pub file: FileId,
    pub span: Range<usize>,
    pub param_ref: Option<ParamRef>,
    pub resources: Option<MatchResources>,
    pub actions: Actions,
}

pub struct ParamRef {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub selector: Option<LabelSelector>,
    /// `parameterNotFoundAction: Deny`.
    pub deny_when_missing: bool,
    /// `parameterNotFoundAction` as written: the API server refuses a binding without it.
    pub not_found_action: Option<String>,
}

/// `validationActions`: what a failed validation does.
#[derive(Debug, Clone, Copy, Default)]
pub struct Actions {
    pub deny: bool,
    pub warn: bool,
    pub audit: bool,
}

impl Actions {
    /// The severity a failed validation is reported at: Deny an error (the API server refuses
    /// the object), Warn a warning (it accepts the object and warns), Audit info (it records
    /// the failure in the audit log).
    pub fn severity(self) -> Option<Severity> {
        if self.deny {
            Some(Severity::Error)
        } else if self.warn {
            Some(Severity::Warning)
        } else if self.audit {
            Some(Severity::Info)
        } else {
            None
        }
    }
}

fn text(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).map(str::to_string)
}

fn name_span(root: &Node) -> Range<usize> {
    root.path(&["metadata", "name"])
        .map_or(root.span.clone(), |n| n.span.clone())
}

/// Each compiled `{name, expression}` item of `list`.
fn named_expressions(list: Option<&Node>, source: &str) -> Vec<(String, Expression)> {
    list.map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let expression = Expression::compile(item.get("expression")?, source)?;
            Some((text(item, "name").unwrap_or_default(), expression))
        })
        .collect()
}

impl Policy {
    pub fn read(file: FileId, root: &Node, name: &str, source: &str) -> Policy {
        let spec = root.get("spec");
        let get = |key: &str| spec.and_then(|s| s.get(key));
        let validations = get("validations")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| {
                Some(Validation {
                    expression: Expression::compile(v.get("expression")?, source)?,
                    message: text(v, "message").filter(|m| !m.trim().is_empty()),
                    message_expression: v
                        .get("messageExpression")
                        .and_then(|m| Expression::compile(m, source)),
                    field_path: text(v, "fieldPath").and_then(|p| super::field_path::parse(&p)),
                })
            })
            .collect();
        Policy {
            name: name.to_string(),
            id: super::rule_id(name),
            file: Some(file),
            param_kind: get("paramKind")
                .and_then(|p| Some((text(p, "apiVersion")?, text(p, "kind")?))),
            constraints: get("matchConstraints")
                .map(MatchResources::read)
                .unwrap_or_default(),
            conditions: named_expressions(get("matchConditions"), source),
            variables: named_expressions(get("variables"), source),
            validations,
            ignore_failures: get("failurePolicy").and_then(Node::as_str) == Some("Ignore"),
            reads: None,
            read_group: 0,
        }
        .with_reads()
    }

    /// A `[[policy]]` of the configuration, as a policy without params or conditions.
    pub fn from_project(project: &crate::settings::ProjectPolicy) -> Policy {
        Policy {
            name: project.name.clone(),
            id: super::rule_id(&project.name),
            file: None,
            param_kind: None,
            constraints: MatchResources::default(),
            conditions: Vec::new(),
            variables: Vec::new(),
            validations: project
                .validations
                .iter()
                .map(|v| Validation {
                    expression: Expression::from_text(&v.expression),
                    message: v.message.clone().filter(|m| !m.trim().is_empty()),
                    message_expression: v.message_expression.as_deref().map(Expression::from_text),
                    field_path: v.field_path.as_deref().and_then(super::field_path::parse),
                })
                .collect(),
            ignore_failures: false,
            reads: None,
            read_group: 0,
        }
        .with_reads()
    }

    fn with_reads(mut self) -> Policy {
        self.reads = expression::Reads::of(self.expressions().map(|e| e.text.as_str()));
        self
    }

    /// Every expression of the policy, for compile errors.
    pub fn expressions(&self) -> impl Iterator<Item = &Expression> {
        self.conditions
            .iter()
            .chain(&self.variables)
            .map(|(_, e)| e)
            .chain(
                self.validations
                    .iter()
                    .flat_map(|v| std::iter::once(&v.expression).chain(&v.message_expression)),
            )
    }
}

impl Binding {
    pub fn read(file: FileId, root: &Node, name: &str) -> Binding {
        let spec = root.get("spec");
        let get = |key: &str| spec.and_then(|s| s.get(key));
        let mut actions = Actions::default();
        for action in get("validationActions")
            .map(Node::items)
            .unwrap_or_default()
        {
            match action.as_str() {
                Some("Deny") => actions.deny = true,
                Some("Warn") => actions.warn = true,
                Some("Audit") => actions.audit = true,
                _ => {}
            }
        }
        Binding {
            name: name.to_string(),
            policy: get("policyName")
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_string(),
            file,
            span: name_span(root),
            param_ref: get("paramRef").map(|p| ParamRef {
                name: text(p, "name").filter(|n| !n.is_empty()),
                namespace: text(p, "namespace").filter(|n| !n.is_empty()),
                selector: p.get("selector").map(LabelSelector::from_node),
                deny_when_missing: text(p, "parameterNotFoundAction").as_deref() != Some("Allow"),
                not_found_action: text(p, "parameterNotFoundAction"),
            }),
            resources: get("matchResources").map(MatchResources::read),
            actions,
        }
    }
}

/// Which of a request's variables other than `object` the expressions name: the others are
/// not made (the interpreter copies each value it is given).
#[derive(Debug, Default, Clone, Copy)]
pub struct RequestReads {
    pub old_object: bool,
    pub request: bool,
    pub namespace_object: bool,
}

impl RequestReads {
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> RequestReads {
        let mut reads = RequestReads::default();
        for text in texts {
            reads.old_object |= expression::names(text, "oldObject");
            reads.request |= expression::names(text, "request");
            reads.namespace_object |= expression::names(text, "namespaceObject");
        }
        reads
    }
}

/// The variables of one admission request shared by every policy (`oldObject`, `request`,
/// `namespaceObject`, those that `reads` names): made once per object. `object` is each
/// policy's own (see [`Policy::reads`]).
pub fn request_scope<'a>(
    parent: &'a Context<'a>,
    request: &super::matching::Request<'_>,
    reads: &RequestReads,
) -> Context<'a> {
    let mut scope = parent.new_inner_scope();
    if reads.old_object {
        scope.add_variable_from_value("oldObject", request.old_object.clone());
    }
    if reads.request {
        scope.add_variable_from_value("request", request.value.clone());
    }
    if reads.namespace_object {
        scope.add_variable_from_value("namespaceObject", request.namespace_object.clone());
    }
    scope
}

/// What one policy decided about one object under one binding and parameter.
pub enum Decision {
    Admit,
    /// A validation failed: the API server's message, the expression at fault and the
    /// validation's `fieldPath`.
    Deny {
        message: String,
        expression: Range<usize>,
        text: String,
        field: Option<Vec<super::field_path::Step>>,
    },
    /// An expression could not be evaluated and the policy's failure policy is `Fail`.
    Error {
        message: String,
        expression: Range<usize>,
        text: String,
    },
    /// stslint cannot evaluate an expression the API server can (a function or macro its CEL
    /// interpreter lacks): nothing is claimed.
    Unsupported {
        message: String,
        expression: Range<usize>,
    },
}

/// The variables an admission expression may read; any other undeclared name is a gap of
/// the interpreter, not of the policy.
const DECLARED: &[&str] = &[
    "object",
    "oldObject",
    "request",
    "params",
    "namespaceObject",
    "variables",
];

/// Whether an evaluation error is stslint's own gap: a function, macro or variable the API
/// server has and this interpreter does not (`authorizer` among them).
fn is_gap(error: &str) -> bool {
    let Some(name) = error
        .strip_prefix("Undeclared reference to '")
        .and_then(|r| r.strip_suffix('\''))
    else {
        return false;
    };
    !DECLARED.contains(&name)
}

impl Policy {
    /// `request` with the `object` this policy reads (its part of `object`, the object's
    /// value as the request's variables have it).
    pub fn object_scope<'a>(&self, request: &'a Context<'a>, object: &Value) -> Context<'a> {
        let mut scope = request.new_inner_scope();
        let object = match &self.reads {
            Some(reads) => reads.restrict(object),
            None => object.clone(),
        };
        scope.add_variable_from_value("object", object);
        scope
    }

    /// Evaluates the policy for `request` with `params` (`Null` when it takes none), as the
    /// validating admission plugin does: match conditions, variables, then each validation;
    /// the first failure is the decision.
    pub fn decide(&self, object_scope: &Context<'_>, params: Value) -> Decision {
        let mut scope = object_scope.new_inner_scope();
        scope.add_variable_from_value("params", params);
        // Variables may read the ones before them.
        let mut variables = std::collections::HashMap::new();
        for (name, expression) in &self.variables {
            let mut with = scope.new_inner_scope();
            with.add_variable_from_value("variables", variables_value(&variables));
            if let Ok(value) = expression.run(&with) {
                variables.insert(name.clone(), value);
            }
        }
        scope.add_variable_from_value("variables", variables_value(&variables));
        for (_, condition) in &self.conditions {
            match condition.run(&scope) {
                Ok(Value::Bool(true)) => {}
                Ok(Value::Bool(false)) => return Decision::Admit,
                Ok(_) => {
                    return self.failed(condition, "matchCondition must return a boolean".into())
                }
                Err(error) => return self.failed(condition, error),
            }
        }
        for validation in &self.validations {
            match validation.expression.run(&scope) {
                Ok(Value::Bool(true)) => {}
                Ok(Value::Bool(false)) => {
                    return Decision::Deny {
                        message: validation.message(&scope),
                        expression: validation.expression.span.clone(),
                        text: validation.expression.text.clone(),
                        field: validation.field_path.clone(),
                    }
                }
                Ok(other) => {
                    let message = format!(
                        "expression '{}' resulted in a {:?}, not a boolean",
                        validation.expression.text.trim(),
                        other.type_of()
                    );
                    return self.failed(&validation.expression, message);
                }
                Err(error) => return self.failed(&validation.expression, error),
            }
        }
        Decision::Admit
    }

    fn failed(&self, expression: &Expression, error: String) -> Decision {
        if is_gap(&error) || expression.program.is_err() {
            return Decision::Unsupported {
                message: error,
                expression: expression.span.clone(),
            };
        }
        if self.ignore_failures {
            return Decision::Admit;
        }
        Decision::Error {
            message: format!(
                "expression '{}' resulted in error: {error}",
                expression.text.trim()
            ),
            expression: expression.span.clone(),
            text: expression.text.clone(),
        }
    }
}

fn variables_value(variables: &std::collections::HashMap<String, Value>) -> Value {
    let map = variables
        .iter()
        .map(|(k, v)| (expression::key_of(k), v.clone()))
        .collect();
    Value::Map(kube_cel::cel::objects::Map {
        map: std::sync::Arc::new(map),
    })
}

impl Validation {
    /// The API server's message for a failed validation: the `messageExpression`'s string
    /// (one line, not blank), else `message`, else the expression.
    fn message(&self, scope: &Context<'_>) -> String {
        let evaluated = self
            .message_expression
            .as_ref()
            .and_then(|m| match m.run(scope) {
                Ok(Value::String(s)) => Some(s.trim().to_string()),
                _ => None,
            })
            .filter(|m| !m.is_empty() && !m.contains('\n') && m.len() <= 5 * 1024);
        evaluated
            .or_else(|| self.message.as_ref().map(|m| m.trim().to_string()))
            .unwrap_or_else(|| format!("failed expression: {}", self.expression.text.trim()))
    }
}
