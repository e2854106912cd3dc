//! Kubernetes' own semantics, offline: name formats (`k8s.io/apimachinery/pkg/util/validation`),
//! label selectors as `metav1.LabelSelectorAsSelector` evaluates them, int-or-percent scaling
//! as the disruption controller rounds it, and which API call rejects a bad pod template.
//! Facts only: the rules word the messages.

use crate::yaml::Node;

/// The Kubernetes version k8s-openapi is built for (feature `v1_35`): what stslint checks by
/// default, and the judge's control plane runs.
pub const DEFAULT_KUBERNETES_VERSION: (u32, u32) = (1, 35);

/// Why `name` is not an RFC 1123 label (`IsDNS1123Label`), or `None` when it is one.
pub fn dns_label_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("must not be empty".into());
    }
    if name.len() > 63 {
        return Some(format!(
            "must be no more than 63 characters (it has {})",
            name.len()
        ));
    }
    if !is_label_text(name) {
        return Some("must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character".into());
    }
    None
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, of any length: a label's characters, also each dot-separated
/// part of a subdomain (whose parts have no length limit of their own).
fn is_label_text(part: &str) -> bool {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    !part.is_empty() && part.chars().all(allowed) && !part.starts_with('-') && !part.ends_with('-')
}

/// Why `name` is not an RFC 1123 subdomain (`IsDNS1123Subdomain`: most object names).
pub fn dns_subdomain_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("must not be empty".into());
    }
    if name.len() > 253 {
        return Some(format!(
            "must be no more than 253 characters (it has {})",
            name.len()
        ));
    }
    if !name.split('.').all(is_label_text) {
        return Some("must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character".into());
    }
    None
}

/// Why `name` is not an RFC 1035 label (`IsDNS1035Label`: Service names), which must also
/// start with a letter.
pub fn dns1035_label_problem(name: &str) -> Option<String> {
    dns_label_problem(name).or_else(|| {
        (!name.starts_with(|c: char| c.is_ascii_lowercase()))
            .then(|| "must start with a lower-case letter".to_string())
    })
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63 characters: a label value or the
/// name part of a label key.
fn qualified_part_problem(part: &str) -> Option<String> {
    if part.len() > 63 {
        return Some(format!(
            "must be no more than 63 characters (it has {})",
            part.len()
        ));
    }
    let inner = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let ends = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !part.chars().all(inner) || !ends(part.chars().next()) || !ends(part.chars().last()) {
        return Some("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character".into());
    }
    None
}

/// Why `key` is not a label or annotation key (`IsQualifiedName`): `[prefix/]name`.
pub fn label_key_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if let Some(problem) = dns_subdomain_problem(prefix) {
            return Some(format!("has a prefix that {problem}"));
        }
    }
    if name.is_empty() {
        return Some("must have a name part".into());
    }
    qualified_part_problem(name)
}

/// Why `value` is not a label value (`IsValidLabelValue`; empty is allowed).
pub fn label_value_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        None
    } else {
        qualified_part_problem(value)
    }
}

/// Why `name` is not an IANA service name (`IsValidPortName`: container port names, named
/// `targetPort`s and probe ports), or `None` when it is one.
pub fn port_name_problem(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 15 {
        return Some(format!(
            "must be no more than 15 characters (it has {})",
            name.len()
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some(
            "must contain only lower case alphanumeric characters (a-z, 0-9) and hyphens (-)"
                .into(),
        );
    }
    if name.contains("--") {
        return Some("must not contain consecutive hyphens".into());
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("must contain at least one letter (a-z)".into());
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("must not begin or end with a hyphen".into());
    }
    None
}

/// A lower-case DNS label close to `name`, for messages: `dataDir` → `datadir`.
pub fn as_dns_label(name: &str) -> String {
    let lowered: String = name
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => c,
            _ => '-',
        })
        .collect();
    let trimmed = lowered.trim_matches('-');
    trimmed.chars().take(63).collect::<String>()
}

/// An int-or-string field (`maxUnavailable: 25%`): a whole number or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntOrPercent {
    Int(i64),
    Percent(i64),
}

impl IntOrPercent {
    pub fn from_node(node: &Node) -> Option<IntOrPercent> {
        if let Some(i) = node.as_i64() {
            return Some(IntOrPercent::Int(i));
        }
        let text = node.as_str()?;
        let digits = text.strip_suffix('%')?;
        (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse().ok().map(IntOrPercent::Percent))
            .flatten()
    }

    /// `intstr.GetScaledValueFromIntOrPercent`: a percentage of `total`, rounded up or down.
    pub fn scaled(self, total: i64, round_up: bool) -> i64 {
        match self {
            IntOrPercent::Int(i) => i,
            IntOrPercent::Percent(p) if round_up => (p * total + 99) / 100,
            IntOrPercent::Percent(p) => p * total / 100,
        }
    }

    pub fn is_zero(self) -> bool {
        matches!(self, IntOrPercent::Int(0) | IntOrPercent::Percent(0))
    }
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

impl Requirement {
    /// Whether pods with `labels` satisfy this requirement.
    pub fn matches(&self, labels: Option<&Node>) -> bool {
        self.matches_in(&Labels::of(labels))
    }

    /// [`Requirement::matches`] against labels already made ready for lookups.
    pub fn matches_in(&self, labels: &Labels<'_>) -> bool {
        let value = labels.get(&self.key);
        match self.operator.as_str() {
            "In" => value.is_some_and(|v| self.values.contains(&v)),
            "NotIn" => value.is_none_or(|v| !self.values.contains(&v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    }
}

/// A labels mapping to look keys up in: a scan for the usual handful, a hash map for many
/// (a selector of 20,000 labels against as many would otherwise be quadratic).
pub enum Labels<'a> {
    Few(&'a [crate::yaml::Entry]),
    Many(std::collections::HashMap<std::borrow::Cow<'a, str>, &'a Node>),
}

impl<'a> Labels<'a> {
    pub fn of(labels: Option<&'a Node>) -> Labels<'a> {
        let entries = labels.map(Node::entries).unwrap_or_default();
        if entries.len() <= 16 {
            return Labels::Few(entries);
        }
        let mut map = std::collections::HashMap::with_capacity(entries.len());
        for e in entries {
            if let Some(key) = e.key.key_text() {
                map.entry(key).or_insert(&e.value);
            }
        }
        Labels::Many(map)
    }

    pub fn get(&self, key: &str) -> Option<String> {
        match self {
            Labels::Few(entries) => entries
                .iter()
                .find(|e| e.key.key_text().as_deref() == Some(key))
                .map(|e| e.value.display()),
            Labels::Many(map) => map.get(key).map(|v| v.display()),
        }
    }
}

/// A `metav1.LabelSelector` (`matchLabels` and `matchExpressions`), or a Service's plain map
/// selector.
#[derive(Debug, Clone, Default)]
pub struct LabelSelector {
    pub match_labels: Vec<(String, String)>,
    pub expressions: Vec<Requirement>,
}

impl LabelSelector {
    /// A `{matchLabels, matchExpressions}` selector.
    pub fn from_node(node: &Node) -> LabelSelector {
        let mut selector = node
            .get("matchLabels")
            .map(LabelSelector::from_map)
            .unwrap_or_default();
        for expression in node
            .get("matchExpressions")
            .map(Node::items)
            .unwrap_or_default()
        {
            let text = |key| expression.get(key).map(Node::display).unwrap_or_default();
            selector.expressions.push(Requirement {
                key: text("key"),
                operator: text("operator"),
                values: expression
                    .get("values")
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .map(Node::display)
                    .collect(),
            });
        }
        selector
    }

    /// A Service's or ReplicationController's `selector`: a plain map of labels.
    pub fn from_map(node: &Node) -> LabelSelector {
        LabelSelector {
            match_labels: node
                .entries()
                .iter()
                .filter_map(|e| Some((e.key.key_text()?.into_owned(), e.value.display())))
                .collect(),
            expressions: Vec::new(),
        }
    }

    /// An empty selector selects every pod in a PDB or affinity term, none in a Service.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    /// Whether pods with `labels` are selected.
    pub fn matches(&self, labels: Option<&Node>) -> bool {
        let looked_up = Labels::of(labels);
        self.match_labels
            .iter()
            .all(|(k, v)| looked_up.get(k).as_deref() == Some(v.as_str()))
            && self.expressions.iter().all(|r| r.matches_in(&looked_up))
    }

    /// `key=value` pairs a selected pod must carry: for looking candidates up in an index.
    pub fn required_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = self.match_labels.clone();
        for r in &self.expressions {
            if r.operator == "In" && r.values.len() == 1 {
                pairs.push((r.key.clone(), r.values[0].clone()));
            }
        }
        pairs
    }

    /// The selector as `kubectl` prints it: `app=zk,tier in (db,cache)`.
    pub fn display(&self) -> String {
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for r in &self.expressions {
            parts.push(match r.operator.as_str() {
                "Exists" => r.key.clone(),
                "DoesNotExist" => format!("!{}", r.key),
                op => format!("{} {} ({})", r.key, op.to_lowercase(), r.values.join(",")),
            });
        }
        parts.join(",")
    }
}

/// What happens to an object the API server would reject: it is refused when created. For a
/// workload this includes its pod template, which is validated with it
/// (`ValidatePodTemplateSpecForStatefulSet` too; on an update only a changed template is
/// validated again; the judge confirms the create).
pub fn rejection(kind: &str) -> String {
    format!("the API server rejects the {kind}")
}

/// What happens to a claim the API server would reject: a PersistentVolumeClaim is refused when
/// applied; a StatefulSet's claim templates are not validated until its controller creates
/// each pod's claim.
pub fn claim_rejection(kind: &str) -> &'static str {
    if kind == "StatefulSet" {
        "the API server accepts the StatefulSet, but rejects the claim its controller makes for each pod, so no pod is created"
    } else {
        "the API server rejects the PersistentVolumeClaim"
    }
}

/// The closest of `candidates` to `name`, when it is close enough to be a typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| {
            (
                strsim::damerau_levenshtein(&c.to_lowercase(), &name.to_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= 2.max(c.len().min(name.len()) / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_names_follow_iana_service_names() {
        assert_eq!(port_name_problem("http"), None);
        assert_eq!(port_name_problem("http-metrics"), None);
        assert!(port_name_problem("HTTP").is_some());
        assert!(port_name_problem("8080").is_some());
        assert!(port_name_problem("a--b").is_some());
        assert!(port_name_problem("-http").is_some());
        assert!(port_name_problem("prometheus-metrics").is_some());
    }

    #[test]
    fn labels_and_subdomains() {
        assert_eq!(label_key_problem("app.kubernetes.io/name"), None);
        assert_eq!(label_value_problem("python-app-0.1.0"), None);
        assert!(label_value_problem("chart-1.0.0+build").is_some());
        assert!(label_value_problem(&"a".repeat(64)).is_some());
        assert!(label_key_problem("Example.com/name").is_some());
        assert_eq!(dns_subdomain_problem("web.v2"), None);
        assert!(dns_subdomain_problem("Web").is_some());
        // `IsDNS1123Subdomain` limits the whole name, not each part: 70 characters are fine.
        assert_eq!(dns_subdomain_problem(&"a".repeat(70)), None);
        assert!(dns_subdomain_problem("a..b").is_some());
        assert!(dns1035_label_problem("1web").is_some());
    }

    #[test]
    fn dns_labels() {
        assert_eq!(dns_label_problem("data-0"), None);
        assert!(dns_label_problem("dataDir").is_some());
        assert!(dns_label_problem("web.v2").is_some());
        assert!(dns_label_problem(&"a".repeat(64)).is_some());
        assert_eq!(as_dns_label("dataDir"), "datadir");
    }

    #[test]
    fn percentages_round_as_the_disruption_controller_does() {
        assert_eq!(IntOrPercent::Percent(67).scaled(3, true), 3);
        assert_eq!(IntOrPercent::Percent(51).scaled(1, true), 1);
        assert_eq!(IntOrPercent::Percent(50).scaled(3, true), 2);
        assert_eq!(IntOrPercent::Percent(50).scaled(3, false), 1);
    }

    #[test]
    fn closest_names() {
        assert_eq!(closest("mysq", ["mysql", "redis"]), Some("mysql"));
        assert_eq!(closest("zzz", ["mysql"]), None);
    }
}
