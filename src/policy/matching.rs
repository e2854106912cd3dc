//! Which requests a policy or binding applies to: `matchConstraints` and `matchResources`
//! as the API server's matcher reads them (`k8s.io/apiserver/pkg/admission/plugin/policy/
//! matching`, `pkg/admission/plugin/webhook/predicates/rules`).

use super::expression::{self, map_of, string};
use crate::kube::LabelSelector;
use crate::yaml::Node;
use kube_cel::cel::Value;

#[derive(Debug, Default)]
pub struct MatchResources {
    pub namespace_selector: Option<LabelSelector>,
    pub object_selector: Option<LabelSelector>,
    pub rules: Vec<ResourceRule>,
    pub exclude: Vec<ResourceRule>,
    /// `matchPolicy: Exact`: a rule matches only the versions it names.
    pub exact: bool,
}

/// A `NamedRuleWithOperations`.
#[derive(Debug, Default)]
pub struct ResourceRule {
    pub operations: Vec<String>,
    pub groups: Vec<String>,
    pub versions: Vec<String>,
    pub resources: Vec<String>,
    pub names: Vec<String>,
    /// `Cluster`, `Namespaced` or `*`.
    pub scope: String,
}

fn strings(node: &Node, key: &str) -> Vec<String> {
    node.get(key)
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(Node::display)
        .collect()
}

impl MatchResources {
    pub fn read(node: &Node) -> MatchResources {
        let rules = |key: &str| {
            node.get(key)
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .map(|rule| ResourceRule {
                    operations: strings(rule, "operations"),
                    groups: strings(rule, "apiGroups"),
                    versions: strings(rule, "apiVersions"),
                    resources: strings(rule, "resources"),
                    names: strings(rule, "resourceNames"),
                    scope: rule
                        .get("scope")
                        .and_then(Node::as_str)
                        .unwrap_or("*")
                        .to_string(),
                })
                .collect()
        };
        MatchResources {
            namespace_selector: node.get("namespaceSelector").map(LabelSelector::from_node),
            object_selector: node.get("objectSelector").map(LabelSelector::from_node),
            rules: rules("resourceRules"),
            exclude: rules("excludeResourceRules"),
            exact: node.get("matchPolicy").and_then(Node::as_str) == Some("Exact"),
        }
    }

    /// Whether the request falls under these constraints.
    pub fn matches(&self, request: &Request<'_>) -> bool {
        let selected = |selector: &Option<LabelSelector>, labels: Option<&Node>| {
            selector.as_ref().is_none_or(|s| s.matches(labels))
        };
        // A cluster-scoped object (but a Namespace, judged by its own labels) is in no
        // namespace the selector could refuse.
        let namespace_ok = !request.namespaced && request.kind != "Namespace"
            || selected(&self.namespace_selector, request.namespace_labels);
        namespace_ok
            // On an update, the object selector matches the old or the new labels.
            && (selected(&self.object_selector, request.labels)
                || request.operation == "UPDATE" && selected(&self.object_selector, request.old_labels))
            && (self.rules.is_empty() || self.rules.iter().any(|r| r.matches(request, self.exact)))
            && !self.exclude.iter().any(|r| r.matches(request, self.exact))
    }
}

impl ResourceRule {
    fn matches(&self, request: &Request<'_>, exact: bool) -> bool {
        let any = |list: &[String], value: &str| list.iter().any(|v| v == "*" || v == value);
        let resource = self.resources.iter().any(|r| {
            let (name, sub) = r.split_once('/').unwrap_or((r, ""));
            (name == "*" || name == request.resource) && (sub.is_empty() || sub == "*")
        });
        let scope = match self.scope.as_str() {
            "Cluster" => !request.namespaced,
            "Namespaced" => request.namespaced,
            _ => true,
        };
        any(&self.operations, request.operation)
            && any(&self.groups, request.group)
            && (!exact || any(&self.versions, request.version))
            && resource
            && scope
            && (self.names.is_empty() || self.names.iter().any(|n| n == request.name))
    }
}

/// An admission request for creating one linted object.
pub struct Request<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
    /// The plural resource name (`statefulsets`).
    pub resource: &'a str,
    pub namespaced: bool,
    pub name: &'a str,
    /// The namespace the object is created in (empty when cluster-scoped).
    pub namespace: &'a str,
    pub labels: Option<&'a Node>,
    /// Its previous version's labels, on an update.
    pub old_labels: Option<&'a Node>,
    /// `CREATE`, or `UPDATE` when a previous version is given (`--previous`).
    pub operation: &'static str,
    /// The labels of its namespace (with `kubernetes.io/metadata.name`).
    pub namespace_labels: Option<&'a Node>,
    /// The object as CEL sees it, defaulted as the API server defaults it.
    pub object: Value,
    /// The previous version (`oldObject`), `Null` on a create.
    pub old_object: Value,
    pub namespace_object: Value,
    /// The `request` variable, made once per object ([`Request::to_value`]).
    pub value: Value,
}

impl Request<'_> {
    /// The `request` variable.
    pub fn to_value(&self) -> Value {
        let gvk = map_of([
            ("group", string(self.group)),
            ("version", string(self.version)),
            ("kind", string(self.kind)),
        ]);
        let gvr = map_of([
            ("group", string(self.group)),
            ("version", string(self.version)),
            ("resource", string(self.resource)),
        ]);
        map_of([
            ("kind", gvk.clone()),
            ("resource", gvr.clone()),
            ("requestKind", gvk),
            ("requestResource", gvr),
            ("name", string(self.name)),
            ("namespace", string(self.namespace)),
            ("operation", string(self.operation)),
            ("dryRun", Value::Bool(false)),
            (
                "userInfo",
                map_of([
                    ("username", string("")),
                    ("groups", Value::List(Default::default())),
                ]),
            ),
            ("options", expression::map_of([])),
        ])
    }
}
