//! The cluster's own policies, run offline: ValidatingAdmissionPolicies with their bindings
//! and params, and the schemas and CEL rules of CustomResourceDefinitions. They are read from
//! the inputs (`--policy` and `policies` in the configuration add theirs as context files)
//! before the objects are linted, then every object is checked against them as it is linted.

mod admission;
mod crd;
mod defaults;
mod expression;
mod field_path;
mod gather;
mod matching;

pub use gather::gather;

use crate::diagnostic::{Diagnostic, Severity};
use crate::kube::LabelSelector;
use crate::model::Object;
use crate::yaml::Node;
use admission::{Binding, Decision, Policy};
use kube_cel::cel::Value;
use matching::Request;
use std::collections::HashMap;

/// The policies of a run, with what evaluating them needs from the other objects.
#[derive(Default)]
pub struct PolicySet {
    policies: Vec<Policy>,
    /// Each binding with the index of the policy it binds.
    bindings: Vec<(usize, Binding)>,
    /// By `(group, kind)`.
    definitions: HashMap<(String, String), crd::Definition>,
    /// Namespaces among the inputs, by name: their object.
    namespaces: HashMap<String, Node>,
    params: Vec<Param>,
    /// The namespace of objects that name none.
    default_namespace: String,
    /// Findings about the policies and definitions themselves (expressions that do not
    /// compile).
    pub problems: Vec<Diagnostic>,
    /// Changes when anything a policy reads changes: an editor's cached results are then
    /// stale.
    pub digest: u64,
    /// Whether a policy's findings are reported (`--select`, `--ignore`, configuration).
    enabled: Vec<bool>,
    /// The configuration's `[[policy]]`s.
    project: Vec<Project>,
    /// What the policies read of the objects (`None`: possibly all).
    reads: Option<expression::Reads>,
    /// The other objects, `objects` to the project policies that look them up: the
    /// requests' scopes are made in this one.
    objects: Option<kube_cel::cel::Context<'static>>,
    /// How many distinct [`Policy::reads`] there are (each policy's `read_group`).
    read_groups: usize,
    /// Which of the request's other variables an expression names.
    request_reads: admission::RequestReads,
    /// The objects' previous versions (`--previous`), by group, kind, namespace and name.
    previous: HashMap<(String, String, String, String), Node>,
}

/// A `[[policy]]` of the configuration, ready to evaluate.
struct Project {
    policy: Policy,
    kinds: Vec<String>,
    namespaces: Vec<String>,
    labels: LabelSelector,
    severity: Severity,
    enabled: bool,
}

impl Project {
    fn new(
        project: &crate::settings::ProjectPolicy,
        settings: &crate::settings::Settings,
    ) -> Project {
        use crate::settings::PolicyAction;
        Project {
            policy: Policy::from_project(project),
            kinds: project.matches.kinds.clone(),
            namespaces: project.matches.namespaces.clone(),
            labels: LabelSelector {
                match_labels: project
                    .matches
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                expressions: Vec::new(),
            },
            severity: match project.action {
                PolicyAction::Deny => Severity::Error,
                PolicyAction::Warn => Severity::Warning,
                PolicyAction::Audit => Severity::Info,
            },
            enabled: settings.is_policy_enabled(rule_id(&project.name)),
        }
    }

    fn applies_to(&self, object: &Object<'_>, namespace: &str) -> bool {
        (self.kinds.is_empty() || self.kinds.iter().any(|k| k == object.kind))
            && (self.namespaces.is_empty() || self.namespaces.iter().any(|n| n == namespace))
            && self
                .labels
                .matches(object.root.path(&["metadata", "labels"]))
    }
}

/// Whether `text` compiles as a CEL expression; why not.
pub fn compiles(text: &str) -> Result<(), String> {
    kube_cel::cel::Program::compile(text)
        .map(|_| ())
        .map_err(|e| {
            e.errors
                .first()
                .map_or_else(|| e.to_string(), |e| e.msg.clone())
        })
}

/// An object a binding's `paramRef` may name.
struct Param {
    api_version: String,
    kind: String,
    namespace: Option<String>,
    name: String,
    labels: Option<Node>,
    value: Value,
}

/// The rule id of a policy's findings: `policy:<name>`, interned for the run's lifetime.
pub fn rule_id(policy: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static IDS: OnceLock<Mutex<std::collections::HashSet<&'static str>>> = OnceLock::new();
    let id = format!("policy:{policy}");
    let mut ids = IDS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(known) = ids.get(id.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(id.into_boxed_str());
    ids.insert(leaked);
    leaked
}

/// `(group, version)` of an `apiVersion`.
fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

/// The plural resource name the API server's REST mapper guesses for a kind it has no
/// definition of (`k8s.io/apimachinery/pkg/api/meta.UnsafeGuessKindToResource`).
fn guess_resource(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if lower.ends_with('s') {
        format!("{lower}es")
    } else if let Some(stem) = lower.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{lower}s")
    }
}

impl PolicySet {
    pub fn is_empty(&self) -> bool {
        self.bindings.is_empty() && self.definitions.is_empty() && self.project.is_empty()
    }

    /// The resource of `(apiVersion, kind)` and whether it is namespaced.
    fn resource_of(&self, api_version: &str, kind: &str) -> (String, bool) {
        let (group, _) = split_api_version(api_version);
        if let Some(d) = self.definitions.get(&(group.to_string(), kind.to_string())) {
            return (d.plural.clone(), d.namespaced);
        }
        if let Some((resource, namespaced)) = crate::schema::resource_of(api_version, kind) {
            return (resource.to_string(), namespaced);
        }
        let cluster_scoped = matches!(
            kind,
            "ValidatingAdmissionPolicy"
                | "ValidatingAdmissionPolicyBinding"
                | "MutatingAdmissionPolicy"
                | "MutatingAdmissionPolicyBinding"
                | "CustomResourceDefinition"
                | "APIService"
                | "CSIDriver"
                | "VolumeAttachment"
        );
        (guess_resource(kind), !cluster_scoped)
    }

    /// The request's variables for `object` (and its previous version `old`): the object
    /// defaulted as the API server defaults it, its namespace, the `request` map, each made
    /// only when an expression names it. Fills them in `request` too.
    fn request_scope(
        &self,
        object: &Object<'_>,
        old: Option<&Node>,
        namespace_object: &Node,
        request: &mut Request<'_>,
    ) -> kube_cel::cel::Context<'_> {
        let namespace = request.namespace;
        let defaulted = defaults::defaulted(object.kind, self.read_part(object.root).into_owned());
        request.object =
            expression::value_read(&with_namespace(defaulted, namespace), self.reads.as_ref());
        let reads = &self.request_reads;
        if reads.namespace_object && (!namespace.is_empty() || object.kind == "Namespace") {
            request.namespace_object = expression::value_of(namespace_object);
        }
        if let Some(old) = old.filter(|_| reads.old_object) {
            let defaulted = defaults::defaulted(object.kind, old.clone());
            request.old_object = expression::value_of(&with_namespace(defaulted, namespace));
        }
        if reads.request {
            request.value = request.to_value();
        }
        let parent = self
            .objects
            .as_ref()
            .unwrap_or_else(|| expression::functions());
        admission::request_scope(parent, request, &self.request_reads)
    }

    /// The part of an object the policies read, before it is defaulted: the rest is never
    /// copied. The pod spec and `spec` stay maps (defaults go into them), whatever is read.
    fn read_part<'a>(&self, root: &'a Node) -> std::borrow::Cow<'a, Node> {
        match &self.reads {
            Some(reads) => std::borrow::Cow::Owned(expression::prune(root, reads)),
            None => std::borrow::Cow::Borrowed(root),
        }
    }

    /// The findings the policies and definitions give `object`.
    pub fn check(&self, object: &Object<'_>, out: &mut Vec<Diagnostic>) {
        let from = out.len();
        self.check_version(object, out);
        // An object with a previous version is updated, not created: what refuses it refuses
        // the update.
        if self.previous.is_empty() {
            return;
        }
        let (group, _) = split_api_version(object.api_version);
        let key = (
            group.to_string(),
            object.kind.to_string(),
            object
                .namespace
                .unwrap_or(&self.default_namespace)
                .to_string(),
            object.name.to_string(),
        );
        if self.previous.contains_key(&key) {
            for d in &mut out[from..] {
                let refused = d.claim == Some("apply-rejected")
                    || d.claim.is_none() && d.rule == crate::rules::ids::custom_resource_invalid;
                if refused {
                    d.claim = Some("update-rejected");
                    let kind = object.kind;
                    d.message = d.message.replace(
                        &format!("the API server refuses the {kind}"),
                        &format!("the API server refuses this update of the {kind}"),
                    );
                }
            }
        }
    }

    fn check_version(&self, object: &Object<'_>, out: &mut Vec<Diagnostic>) {
        let (group, version) = split_api_version(object.api_version);
        let old = self.previous.get(&(
            group.to_string(),
            object.kind.to_string(),
            object
                .namespace
                .unwrap_or(&self.default_namespace)
                .to_string(),
            object.name.to_string(),
        ));
        if let Some(definition) = self
            .definitions
            .get(&(group.to_string(), object.kind.to_string()))
        {
            self.check_custom(object, old, definition, version, out);
        }
        if self.bindings.is_empty() && self.project.is_empty() {
            return;
        }
        let (resource, namespaced) = self.resource_of(object.api_version, object.kind);
        let namespace = if namespaced {
            object.namespace.unwrap_or(&self.default_namespace)
        } else {
            ""
        };
        let namespace_object = self.namespace_object(if object.kind == "Namespace" {
            object.name
        } else {
            namespace
        });
        let mut request = Request {
            group,
            version,
            kind: object.kind,
            resource: &resource,
            namespaced,
            name: object.name,
            namespace,
            labels: object.root.path(&["metadata", "labels"]),
            old_labels: old.and_then(|o| o.path(&["metadata", "labels"])),
            operation: if old.is_some() { "UPDATE" } else { "CREATE" },
            namespace_labels: namespace_object.path(&["metadata", "labels"]),
            object: Value::Null,
            old_object: Value::Null,
            namespace_object: Value::Null,
            value: Value::Null,
        };
        // The policies that apply, found first: most objects match none, and the request's
        // variables are made only for those that match some.
        let bound: Vec<(&Policy, &Binding, Severity)> = self
            .bindings
            .iter()
            .filter(|(policy_index, _)| self.enabled[*policy_index])
            .map(|(policy_index, binding)| (&self.policies[*policy_index], binding))
            .filter(|(policy, binding)| {
                policy.constraints.matches(&request)
                    && binding
                        .resources
                        .as_ref()
                        .is_none_or(|r| r.matches(&request))
            })
            .filter_map(|(policy, binding)| Some((policy, binding, binding.actions.severity()?)))
            .collect();
        let projects: Vec<&Project> = self
            .project
            .iter()
            .filter(|p| p.enabled && p.applies_to(object, namespace))
            .collect();
        if bound.is_empty() && projects.is_empty() {
            return;
        }
        let scope = self.request_scope(object, old, &namespace_object, &mut request);
        // One `object` per distinct set of reads, shared by the policies that read the same.
        let mut object_scopes: Vec<Option<kube_cel::cel::Context<'_>>> =
            (0..self.read_groups).map(|_| None).collect();
        for (policy, binding, severity) in bound {
            let object_scope = object_scopes[policy.read_group]
                .get_or_insert_with(|| policy.object_scope(&scope, &request.object));
            for params in self.params_for(policy, binding, namespace) {
                let decision = match params {
                    Some(params) => policy.decide(object_scope, params),
                    None => Decision::Deny {
                        message:
                            "no params found for policy binding with `Deny` parameterNotFoundAction"
                                .into(),
                        expression: binding.span.clone(),
                        text: String::new(),
                        field: None,
                    },
                };
                if let Some(d) = finding(object, policy, Some(binding), severity, decision) {
                    out.push(d);
                }
            }
        }
        for project in projects {
            let policy = &project.policy;
            let object_scope = object_scopes[policy.read_group]
                .get_or_insert_with(|| policy.object_scope(&scope, &request.object));
            let decision = policy.decide(object_scope, Value::Null);
            if let Some(mut d) = finding(object, policy, None, project.severity, decision) {
                d.claim = Some("none");
                out.push(d);
            }
        }
    }

    /// The Namespace object of `name`: the one among the inputs (completed when gathered),
    /// else what the API server makes.
    fn namespace_object(&self, name: &str) -> std::borrow::Cow<'_, Node> {
        match self.namespaces.get(name) {
            Some(node) => std::borrow::Cow::Borrowed(node),
            None => std::borrow::Cow::Owned(completed_namespace(None, name)),
        }
    }

    /// The params a binding evaluates its policy with: `[Some(Null)]` for a policy without
    /// `paramKind`; each param found; `[None]` when none is found and the binding denies then.
    fn params_for(
        &self,
        policy: &Policy,
        binding: &Binding,
        namespace: &str,
    ) -> Vec<Option<Value>> {
        let Some((api_version, kind)) = &policy.param_kind else {
            return vec![Some(Value::Null)];
        };
        let Some(param_ref) = &binding.param_ref else {
            return Vec::new();
        };
        let (_, namespaced) = self.resource_of(api_version, kind);
        let in_namespace = if namespaced {
            Some(param_ref.namespace.as_deref().unwrap_or(namespace))
        } else {
            None
        };
        let found: Vec<Option<Value>> = self
            .params
            .iter()
            .filter(|p| p.api_version == *api_version && p.kind == *kind)
            .filter(|p| {
                in_namespace.is_none()
                    || p.namespace.as_deref().or(Some(&self.default_namespace)) == in_namespace
            })
            .filter(|p| match (&param_ref.name, &param_ref.selector) {
                (Some(name), _) => p.name == *name,
                (None, Some(selector)) => selects(selector, p.labels.as_ref()),
                (None, None) => false,
            })
            .map(|p| Some(p.value.clone()))
            .collect();
        if found.is_empty() && param_ref.deny_when_missing {
            return vec![None];
        }
        found
    }

    fn check_custom(
        &self,
        object: &Object<'_>,
        old: Option<&Node>,
        definition: &crd::Definition,
        version: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        for problem in definition.check(object.root, old, object.api_version, version) {
            let d = if problem.unknown {
                crate::rules::unknown_field::in_custom_resource(
                    object,
                    problem.span,
                    &problem.field,
                    &definition.name,
                )
            } else {
                crate::rules::custom_resource_invalid::diagnostic(
                    object,
                    problem.span,
                    &problem.message,
                    &definition.name,
                )
            };
            out.push(d.with_related(
                definition.file,
                definition.span.clone(),
                "the CustomResourceDefinition",
            ));
        }
    }
}

fn selects(selector: &LabelSelector, labels: Option<&Node>) -> bool {
    selector.matches(labels)
}

/// A Namespace object as the API server has it: `object` (else a bare one named `name`) with
/// its name as the `kubernetes.io/metadata.name` label, which the API server sets on every
/// namespace.
pub(crate) fn completed_namespace(object: Option<&Node>, name: &str) -> Node {
    use crate::yaml::{Entry, Value as Yaml};
    let text = |s: &str| Node {
        value: Yaml::Str(s.into()),
        span: 0..0,
    };
    let entry = |k: &str, v: Node| Entry {
        key: text(k),
        value: v,
    };
    let map = |entries: Vec<Entry>| Node {
        value: Yaml::Map(entries),
        span: 0..0,
    };
    let mut object = object.cloned().unwrap_or_else(|| {
        map(vec![
            entry("apiVersion", text("v1")),
            entry("kind", text("Namespace")),
            entry("metadata", map(vec![entry("name", text(name))])),
        ])
    });
    if let Yaml::Map(entries) = &mut object.value {
        if let Some(metadata) = entries
            .iter_mut()
            .find(|e| e.key.as_str() == Some("metadata"))
        {
            if let Yaml::Map(meta) = &mut metadata.value.value {
                let labels = match meta.iter().position(|e| e.key.as_str() == Some("labels")) {
                    Some(i) => i,
                    None => {
                        meta.push(entry("labels", map(Vec::new())));
                        meta.len() - 1
                    }
                };
                if !matches!(meta[labels].value.value, Yaml::Map(_)) {
                    meta[labels].value.value = Yaml::Map(Vec::new());
                }
                if let Yaml::Map(labels) = &mut meta[labels].value.value {
                    labels.retain(|e| e.key.as_str() != Some("kubernetes.io/metadata.name"));
                    labels.push(entry("kubernetes.io/metadata.name", text(name)));
                }
            }
        }
    }
    object
}

/// The object with `metadata.namespace` set, as the API server sets it on create.
fn with_namespace(mut root: Node, namespace: &str) -> Node {
    use crate::yaml::{Entry, Value as Yaml};
    if namespace.is_empty() {
        return root;
    }
    let text = |s: &str| Node {
        value: Yaml::Str(s.into()),
        span: 0..0,
    };
    if let Yaml::Map(entries) = &mut root.value {
        if let Some(metadata) = entries
            .iter_mut()
            .find(|e| e.key.as_str() == Some("metadata"))
        {
            if let Yaml::Map(meta) = &mut metadata.value.value {
                match meta
                    .iter_mut()
                    .find(|e| e.key.as_str() == Some("namespace"))
                {
                    Some(e) if !e.value.is_null() => {}
                    Some(e) => e.value = text(namespace),
                    None => meta.push(Entry {
                        key: text("namespace"),
                        value: text(namespace),
                    }),
                }
            }
        }
    }
    root
}

/// Where a policy's finding points: the field its expression reads first (`object.spec.
/// replicas` → `spec.replicas`) when the object has it or its parent, else the object's kind.
fn field_read_by(text: &str, root: &Node) -> Option<std::ops::Range<usize>> {
    let at = text.find("object.")?;
    // `oldObject.` and `namespaceObject.` are not the object.
    if text[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return field_read_by(&text[at + 7..], root);
    }
    let rest = &text[at + "object.".len()..];
    let mut steps = Vec::new();
    let mut cursor = rest;
    loop {
        let end = cursor
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(cursor.len());
        if end == 0 {
            break;
        }
        let name = &cursor[..end];
        let after = &cursor[end..];
        // A method call (`.startsWith(`, `.all(`) is not a field.
        if after.starts_with('(') {
            break;
        }
        let name = name
            .strip_prefix("__")
            .and_then(|n| n.strip_suffix("__"))
            .unwrap_or(name);
        steps.push(field_path::Step::Key(name.to_string()));
        match after.strip_prefix('.') {
            Some(next) => cursor = next,
            None => break,
        }
    }
    if steps.is_empty() {
        return None;
    }
    field_path::locate(root, &steps)
}

/// The finding for one decision.
fn finding(
    object: &Object<'_>,
    policy: &Policy,
    binding: Option<&Binding>,
    severity: Severity,
    decision: Decision,
) -> Option<Diagnostic> {
    let rule = policy.id;
    let (message, expression, text, field) = match decision {
        Decision::Admit => return None,
        Decision::Deny {
            message,
            expression,
            text,
            field,
        } => (message, expression, text, field),
        Decision::Error {
            message,
            expression,
            text,
        } => (message, expression, text, None),
        Decision::Unsupported {
            message,
            expression,
        } => {
            let mut d = object.diag(
                rule,
                object.kind_span(),
                format!(
                    "stslint cannot evaluate an expression of ValidatingAdmissionPolicy `{}` on this {} ({message}): whether the API server admits it is not known",
                    policy.name, object.kind
                ),
            );
            d.severity = Severity::Info;
            d.claim = Some("none");
            if let Some(file) = policy.file {
                d.add_related(file, expression, "the expression");
            }
            return Some(d);
        }
    };
    let consequence = match severity {
        Severity::Error => format!("the API server refuses the {}", object.kind),
        Severity::Warning => format!(
            "the API server accepts the {} and warns (validationActions: Warn)",
            object.kind
        ),
        Severity::Info => format!(
            "the API server accepts the {} and records the failure in its audit log (validationActions: Audit)",
            object.kind
        ),
    };
    // At the validation's `fieldPath`, else at the field its expression reads first.
    let span = field
        .and_then(|steps| field_path::locate(object.root, &steps))
        .or_else(|| field_read_by(&text, object.root))
        .unwrap_or_else(|| object.kind_span());
    let source = match binding {
        Some(binding) => format!(
            "ValidatingAdmissionPolicy `{}`, binding `{}`: {consequence}",
            policy.name, binding.name
        ),
        // The project's policy: the API server knows nothing of it.
        None => format!("policy `{}` of the configuration", policy.name),
    };
    let mut d = object.diag(rule, span, format!("{message} ({source})"));
    d.severity = severity;
    d.claim = Some(if severity == Severity::Error {
        "apply-rejected"
    } else {
        "none"
    });
    if let Some(file) = policy.file {
        d.add_related(file, expression, "the policy's expression");
    }
    if let Some(binding) = binding {
        d.add_related(binding.file, binding.span.clone(), "the binding");
    }
    Some(d)
}
