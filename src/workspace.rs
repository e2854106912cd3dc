//! What cross-object rules see: every object of the run, pruned to the fields links are made
//! of, so a 100 MB run does not keep every pod spec in memory.

use crate::diagnostic::FileId;
use crate::model::Object;
use crate::yaml::{Entry, Node, Value};
use compact_str::CompactString;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Linked {
    pub file: FileId,
    /// Shared: the language server's session keeps each file's objects between keystrokes,
    /// and a run takes them without copying the trees.
    pub root: std::sync::Arc<Node>,
    /// Inline strings: a run holds 100,000s of these, mostly shorter than 24 bytes.
    pub api_version: CompactString,
    pub kind: CompactString,
    pub name: CompactString,
    pub namespace: Option<CompactString>,
    pub helm_source: Option<CompactString>,
}

impl Linked {
    /// `compare`: the run compares with a previous version (`--previous`), so the kinds the
    /// upgrade rules read are kept whole.
    pub fn from_object(object: &Object<'_>, compare: bool) -> Linked {
        let root = match object.kind {
            // Small kinds that links are made of are kept whole (but for their metadata).
            "Service" | "PodDisruptionBudget" | "StorageClass" if !compare => {
                prune(object.root, WHOLE_BUT_METADATA)
            }
            "Service" | "PodDisruptionBudget" | "StorageClass" => object.root.clone(),
            // Pods name their keys (volume items, env key references).
            "ConfigMap" | "Secret" if !compare => prune(object.root, KEYS),
            // No cross-object rule reads the fields of other built-in kinds (RBAC,
            // NetworkPolicies...) unless comparing versions: their identity and place are enough.
            kind if !compare && !is_workload(kind) && crate::schema::is_builtin_kind(kind) => {
                Node {
                    value: Value::Map(Vec::new()),
                    span: object.root.span.clone(),
                }
            }
            "StatefulSet" | "PersistentVolumeClaim" | "ConfigMap" | "Secret" | "Job" if compare => {
                object.root.clone()
            }
            // The upgrade rules read Helm's annotations (hooks, resource policy).
            _ if compare => prune(object.root, TOP_COMPARED),
            // Only pods and custom resources are selected by their own labels.
            kind if kind != "Pod" && crate::schema::is_builtin_kind(kind) => {
                prune(object.root, TOP_UNLABELLED)
            }
            _ => prune(object.root, TOP),
        };
        Linked {
            file: object.file,
            root: std::sync::Arc::new(root),
            api_version: object.api_version.into(),
            kind: object.kind.into(),
            name: object.name.into(),
            namespace: object.namespace.map(CompactString::from),
            helm_source: object.helm_source.map(CompactString::from),
        }
    }

    pub fn object(&self) -> Object<'_> {
        Object {
            file: self.file,
            root: &self.root,
            api_version: &self.api_version,
            kind: &self.kind,
            name: &self.name,
            namespace: self.namespace.as_deref(),
            helm_source: self.helm_source.as_deref(),
        }
    }
}

/// Which fields to keep: `(key, None)` keeps the whole value, `(key, Some(children))` keeps
/// only those children (applied to every item of a list).
#[derive(Debug)]
struct Field(&'static str, Option<Keep>);
type Keep = &'static [Field];

/// A container's `env` keeps only what names a ConfigMap's or Secret's key.
const ENV: Keep = &[Field(
    "valueFrom",
    Some(&[Field("configMapKeyRef", None), Field("secretKeyRef", None)]),
)];
const CONTAINER: Keep = &[
    Field("name", None),
    Field("ports", None),
    Field("env", Some(ENV)),
];
/// Volumes keep the ConfigMaps and Secrets they project, with their items.
const VOLUME: Keep = &[
    Field("name", None),
    Field("configMap", None),
    Field("secret", None),
    Field(
        "projected",
        Some(&[Field(
            "sources",
            Some(&[Field("configMap", None), Field("secret", None)]),
        )]),
    ),
];
const POD: Keep = &[
    Field("containers", Some(CONTAINER)),
    Field("initContainers", Some(CONTAINER)),
    Field("affinity", None),
    Field("topologySpreadConstraints", None),
    Field("volumes", Some(VOLUME)),
];
/// A ConfigMap's or Secret's keys, without their values (which can be megabytes).
const KEYS: Keep = &[
    Field("apiVersion", None),
    Field("kind", None),
    Field("metadata", Some(METADATA_UNLABELLED)),
    Field("data", Some(&[])),
    Field("binaryData", Some(&[])),
    Field("stringData", Some(&[])),
];
/// Links are made of names, namespaces and labels: annotations (checksums, last-applied
/// configurations) are most of a large corpus's metadata and are dropped.
const METADATA: Keep = &[
    Field("name", None),
    Field("namespace", None),
    Field("labels", None),
];
/// For objects nothing selects by their own labels (Services, workloads, PDBs): their pod
/// template keeps its labels.
const METADATA_UNLABELLED: Keep = &[Field("name", None), Field("namespace", None)];
const METADATA_COMPARED: Keep = &[
    Field("name", None),
    Field("namespace", None),
    Field("labels", None),
    Field("annotations", None),
];
const TEMPLATE: Keep = &[Field("metadata", Some(METADATA)), Field("spec", Some(POD))];
const JOB: Keep = &[Field("spec", Some(&[Field("template", Some(TEMPLATE))]))];
const SPEC: Keep = &[
    Field("serviceName", None),
    Field("selector", None),
    Field("replicas", None),
    Field("template", Some(TEMPLATE)),
    Field("jobTemplate", Some(JOB)),
    Field("containers", Some(CONTAINER)),
    Field("initContainers", Some(CONTAINER)),
    Field("volumes", Some(VOLUME)),
];
const TOP: Keep = &[
    Field("apiVersion", None),
    Field("kind", None),
    Field("metadata", Some(METADATA)),
    Field("spec", Some(SPEC)),
];
const TOP_UNLABELLED: Keep = &[
    Field("apiVersion", None),
    Field("kind", None),
    Field("metadata", Some(METADATA_UNLABELLED)),
    Field("spec", Some(SPEC)),
];
const WHOLE_BUT_METADATA: Keep = &[
    Field("apiVersion", None),
    Field("kind", None),
    Field("metadata", Some(METADATA_UNLABELLED)),
    Field("spec", None),
    // StorageClass fields.
    Field("provisioner", None),
    Field("parameters", None),
    Field("reclaimPolicy", None),
    Field("allowVolumeExpansion", None),
    Field("mountOptions", None),
    Field("volumeBindingMode", None),
    Field("allowedTopologies", None),
];
const TOP_COMPARED: Keep = &[
    Field("apiVersion", None),
    Field("kind", None),
    Field("metadata", Some(METADATA_COMPARED)),
    Field("spec", Some(SPEC)),
];

fn prune(node: &Node, keep: Keep) -> Node {
    let value = match &node.value {
        // An empty list of fields keeps the keys only (a ConfigMap's data), values as `null`.
        Value::Map(entries) if keep.is_empty() => Value::Map(
            entries
                .iter()
                .map(|e| Entry {
                    key: e.key.clone(),
                    value: Node {
                        value: Value::Null,
                        span: e.value.span.clone(),
                    },
                })
                .collect(),
        ),
        Value::Map(entries) => Value::Map({
            let mut kept: Vec<Entry> = entries
                .iter()
                .filter_map(|e| {
                    let key = e.key.as_str()?;
                    let Field(_, children) = keep.iter().find(|f| f.0 == key)?;
                    let value = match children {
                        None => e.value.clone(),
                        Some(children) => prune(&e.value, children),
                    };
                    Some(Entry {
                        key: e.key.clone(),
                        value,
                    })
                })
                .collect();
            // Collected without a size hint: up to twice the room needed, kept for the run.
            kept.shrink_to_fit();
            kept
        }),
        Value::Seq(items) => Value::Seq(items.iter().map(|i| prune(i, keep)).collect()),
        other => other.clone(),
    };
    Node {
        value,
        span: node.span.clone(),
    }
}

/// An object the configuration says exists outside the linted files (`known-objects`).
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnownObject {
    pub kind: String,
    pub name: String,
    /// Omit for an object that matches any namespace.
    pub namespace: Option<String>,
}

/// Everything the cross-object rules can see.
#[derive(Debug, Default)]
pub struct Workspace {
    pub objects: Vec<Linked>,
    /// Indexes into `objects`, built by [`Workspace::index`]: lookups stay linear in the number
    /// of objects however many Services and workloads a run has.
    services_by_name: HashMap<CompactString, Vec<usize>>,
    /// Keyed by [`label_key`]: a hash, not the strings (a 100 MB run has 100,000s of pairs);
    /// a collision only adds candidates, which every lookup matches against the selector.
    pods_by_label: HashMap<u64, Vec<usize>>,
    /// The same, by namespace (`""` for workloads without one, which match any namespace).
    pods_by_namespace_label: HashMap<u64, Vec<usize>>,
    /// Objects of kinds stslint has no schema for (custom resources).
    custom: Vec<usize>,
    /// The same, by `key=value` of their own labels (operators label their pods alike).
    custom_by_label: HashMap<u64, Vec<usize>>,
    /// Files read (linted and context), for messages like "not among the 3 files linted".
    pub files: usize,
    /// Their names, by file id: references prefer objects of the same directory tree.
    pub file_names: Vec<String>,
    /// Where objects without `metadata.namespace` go (`--namespace`); `None`: anywhere.
    pub namespace: Option<String>,
    /// Objects the configuration says exist outside the linted files.
    pub known: Vec<KnownObject>,
    /// The previous version of the objects (`--previous`, `--previous-ref`), for the upgrade
    /// rules; empty when the run compares with nothing.
    pub previous: Vec<Linked>,
    /// `previous` and `objects` by identity (API group, kind, namespace, name).
    previous_by_id: HashMap<Identity, Vec<usize>>,
    current_by_id: HashMap<Identity, Vec<usize>>,
    /// Per file, whether findings on its objects are kept (`false` for `--context` files and
    /// the language server's unopened files); empty: every file. A rule that reports on the
    /// object it iterates skips the others: the editor re-checks one document in a workspace
    /// of thousands, and their findings would be dropped anyway.
    pub reported: Vec<bool>,
}

/// What makes two versions the same object: API group, kind, namespace, name.
type Identity = (String, String, String, String);

/// The shortest index list among the `key=value` pairs every object `selector` selects must
/// carry: a superset of the selected ones. `None` when the selector names no such pair.
fn rarest<'a>(
    index: &'a HashMap<u64, Vec<usize>>,
    selector: &crate::kube::LabelSelector,
) -> Option<&'a [usize]> {
    selector
        .required_pairs()
        .iter()
        .map(|(key, value)| {
            index
                .get(&label_key(None, key, value))
                .map(Vec::as_slice)
                .unwrap_or_default()
        })
        .min_by_key(|list| list.len())
}

/// The index key of a label `key: value`, in `namespace` when given (the same hash on every run).
fn label_key(namespace: Option<&str>, key: &str, value: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (namespace, key, value).hash(&mut hasher);
    hasher.finish()
}

/// Kinds whose objects make pods.
pub fn is_workload(kind: &str) -> bool {
    kind == "Pod" || kind == "CronJob" || crate::model::POD_TEMPLATE_KINDS.contains(&kind)
}

impl Workspace {
    fn identity(&self, object: &Linked) -> Identity {
        let group = object
            .api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group);
        let namespace = object
            .namespace
            .as_deref()
            .or(self.namespace.as_deref())
            .unwrap_or_default();
        (
            group.to_owned(),
            object.kind.to_string(),
            namespace.to_owned(),
            object.name.to_string(),
        )
    }

    /// The previous version of `object`, when the run compares with one. Objects of the same
    /// identity (the same chart rendered twice) are paired in the order they appear.
    pub fn previous_of(&self, object: &Linked) -> Option<&Linked> {
        if self.previous.is_empty() {
            return None;
        }
        let id = self.identity(object);
        let current = self.current_by_id.get(&id)?;
        let k = current
            .iter()
            .position(|&i| std::ptr::eq(&self.objects[i], object))?;
        let at = *self.previous_by_id.get(&id)?.get(k)?;
        Some(&self.previous[at])
    }

    /// The current version of a previous object: `None` when it was removed or renamed.
    pub fn current_of(&self, previous: &Linked) -> Option<&Linked> {
        let id = self.identity(previous);
        let before = self.previous_by_id.get(&id)?;
        let k = before
            .iter()
            .position(|&i| std::ptr::eq(&self.previous[i], previous))?;
        let at = *self.current_by_id.get(&id)?.get(k)?;
        Some(&self.objects[at])
    }

    /// Objects that have a previous version, with it.
    pub fn updated(&self) -> impl Iterator<Item = (&Linked, &Linked)> {
        self.objects
            .iter()
            .filter_map(move |o| Some((o, self.previous_of(o)?)))
    }

    pub fn index(&mut self) {
        if !self.previous.is_empty() {
            let ids: Vec<Identity> = self.previous.iter().map(|o| self.identity(o)).collect();
            for (i, id) in ids.into_iter().enumerate() {
                self.previous_by_id.entry(id).or_default().push(i);
            }
            let ids: Vec<Identity> = self.objects.iter().map(|o| self.identity(o)).collect();
            for (i, id) in ids.into_iter().enumerate() {
                self.current_by_id.entry(id).or_default().push(i);
            }
        }
        for (i, object) in self.objects.iter().enumerate() {
            if !crate::schema::is_builtin_kind(&object.kind) {
                self.custom.push(i);
                for entry in object
                    .root
                    .path(&["metadata", "labels"])
                    .map(Node::entries)
                    .unwrap_or_default()
                {
                    if let Some(key) = entry.key.key_text() {
                        self.custom_by_label
                            .entry(label_key(None, &key, &entry.value.display()))
                            .or_default()
                            .push(i);
                    }
                }
            }
            if object.kind == "Service" {
                self.services_by_name
                    .entry(object.name.clone())
                    .or_default()
                    .push(i);
            } else if is_workload(&object.kind) {
                let labels = crate::model::pod_labels(&object.object());
                for entry in labels.map(Node::entries).unwrap_or_default() {
                    if let Some(key) = entry.key.key_text() {
                        let value = entry.value.display();
                        let namespace = object
                            .namespace
                            .as_deref()
                            .or(self.namespace.as_deref())
                            .unwrap_or_default();
                        self.pods_by_namespace_label
                            .entry(label_key(Some(namespace), &key, &value))
                            .or_default()
                            .push(i);
                        self.pods_by_label
                            .entry(label_key(None, &key, &value))
                            .or_default()
                            .push(i);
                    }
                }
            }
        }
    }

    /// The workloads a Service's non-empty selector selects in its namespace. When some are in
    /// the Service's own file (its chart or kustomization), only those: unnamespaced copies of
    /// one chart side by side (per-environment renders) are not each other's pods.
    pub fn selected_workloads<'a>(&'a self, service: &Linked, selector: &Node) -> Vec<&'a Linked> {
        let candidates = self.workload_candidates_for(service, selector);
        let same_file: Vec<&Linked> = candidates
            .iter()
            .copied()
            .filter(|o| o.file == service.file)
            .collect();
        let pool = if same_file
            .iter()
            .any(|o| self.selects_pods_of(service, selector, o))
        {
            same_file
        } else {
            candidates
        };
        pool.into_iter()
            .filter(|o| self.selects_pods_of(service, selector, o))
            .collect()
    }

    fn selects_pods_of(&self, service: &Linked, selector: &Node, workload: &Linked) -> bool {
        self.same_namespace(workload.namespace.as_deref(), service.namespace.as_deref())
            && crate::model::selects(selector, crate::model::pod_labels(&workload.object()))
    }

    /// Every Service with a non-empty selector that selects at least one workload, with the
    /// selected workloads.
    pub fn services_with_pods(&self) -> impl Iterator<Item = (&Linked, Vec<&Linked>)> {
        self.subjects_of_kind("Service").filter_map(|service| {
            let selector = service
                .root
                .path(&["spec", "selector"])
                .filter(|s| !s.entries().is_empty())?;
            let selected = self.selected_workloads(service, selector);
            (!selected.is_empty()).then_some((service, selected))
        })
    }

    /// Every StatefulSet with a string `spec.serviceName`, with that value's node.
    pub fn statefulsets_with_service_name(&self) -> impl Iterator<Item = (&Linked, &Node, &str)> {
        self.of_kind("StatefulSet").filter_map(|sts| {
            let node = sts.root.path(&["spec", "serviceName"])?;
            Some((sts, node, node.as_str().filter(|s| !s.is_empty())?))
        })
    }

    /// Whether a custom resource in `namespace` carries labels `selector` selects: its operator
    /// probably makes pods labelled alike. Looked up through the index when it can be.
    pub fn custom_object_matches(
        &self,
        selector: &crate::kube::LabelSelector,
        namespace: Option<&str>,
    ) -> bool {
        let matches = |&i: &usize| {
            let o = &self.objects[i];
            self.same_namespace(o.namespace.as_deref(), namespace)
                && selector.matches(o.root.path(&["metadata", "labels"]))
        };
        match rarest(&self.custom_by_label, selector) {
            Some(list) => list.iter().any(matches),
            None => self.custom.iter().any(matches),
        }
    }

    /// Objects of kinds stslint has no schema for: custom resources, mostly.
    pub fn custom_objects(&self) -> impl Iterator<Item = &Linked> {
        self.custom.iter().map(|&i| &self.objects[i])
    }

    /// Whether the configuration declares an object of this kind and name in `namespace`.
    pub fn is_known(&self, kind: &str, name: &str, namespace: Option<&str>) -> bool {
        self.known.iter().any(|k| {
            k.kind == kind
                && k.name == name
                && self.same_namespace(k.namespace.as_deref(), namespace)
        })
    }

    /// Services named `name`, in any namespace.
    pub fn services_named<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Linked> + 'a {
        let found = self
            .services_by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        found.iter().map(|&i| &self.objects[i])
    }

    /// Workloads that may be selected by `selector`: those carrying its rarest `key: value`
    /// (a superset of the selected ones; callers check the whole selector).
    pub fn workload_candidates<'a>(&'a self, selector: &Node) -> Vec<&'a Linked> {
        self.resolve(self.rarest_list(selector))
    }

    /// The workloads carrying the selector's rarest `key: value`, as indexes.
    fn rarest_list<'a>(&'a self, selector: &'a Node) -> &'a [usize] {
        self.label_lists(selector)
            .min_by_key(|list| list.len())
            .unwrap_or_default()
    }

    /// Workloads in `service`'s namespace (or without one) that may be selected by
    /// `selector`: a superset of the selected ones, found through its rarest `key: value`.
    pub fn workload_candidates_for<'a>(
        &'a self,
        service: &Linked,
        selector: &Node,
    ) -> Vec<&'a Linked> {
        let mut found: Vec<usize> = self
            .candidate_lists_for(service, selector)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &self.objects[i]).collect()
    }

    /// Whether any of [`Workspace::workload_candidates_for`] satisfies `pred`, stopping at the
    /// first: 5,000 Services sharing the selector of 5,000 workloads ask 5,000 questions, not
    /// 25 million.
    pub fn any_workload_candidate_for(
        &self,
        service: &Linked,
        selector: &Node,
        pred: impl Fn(&Linked) -> bool,
    ) -> bool {
        self.candidate_lists_for(service, selector)
            .into_iter()
            .flatten()
            .any(|&i| pred(&self.objects[i]))
    }

    /// The index lists the candidates for `service`'s selector come from (unsorted; they do
    /// not overlap).
    fn candidate_lists_for<'a>(&'a self, service: &Linked, selector: &'a Node) -> [&'a [usize]; 2] {
        let Some(namespace) = service.namespace.as_deref().or(self.namespace.as_deref()) else {
            return [self.rarest_list(selector), &[]];
        };
        let lists = |e: &crate::yaml::Entry| {
            let (key, value) = (e.key.key_text().unwrap_or_default(), e.value.display());
            let find = |ns: &str| {
                self.pods_by_namespace_label
                    .get(&label_key(Some(ns), &key, &value))
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            };
            [find(namespace), find("")]
        };
        selector
            .entries()
            .iter()
            .map(lists)
            .min_by_key(|[a, b]| a.len() + b.len())
            .unwrap_or_default()
    }

    /// Workloads carrying the rarest of the selector's `key: value` pairs that any workload
    /// carries at all: the candidates for pods that get the other labels at run time.
    pub fn workloads_sharing_labels<'a>(&'a self, selector: &Node) -> Vec<&'a Linked> {
        let rarest = self
            .label_lists(selector)
            .filter(|list| !list.is_empty())
            .min_by_key(|list| list.len());
        self.resolve(rarest.unwrap_or_default())
    }

    /// For each `key: value` of a selector, the workloads whose pod labels have it.
    fn label_lists<'a>(&'a self, selector: &'a Node) -> impl Iterator<Item = &'a [usize]> + 'a {
        selector.entries().iter().map(|e| {
            let key = label_key(
                None,
                &e.key.key_text().unwrap_or_default(),
                &e.value.display(),
            );
            self.pods_by_label
                .get(&key)
                .map(Vec::as_slice)
                .unwrap_or_default()
        })
    }

    fn resolve(&self, indexes: &[usize]) -> Vec<&Linked> {
        indexes.iter().map(|&i| &self.objects[i]).collect()
    }

    /// Whether two objects can be in the same namespace. An object without a namespace lands
    /// wherever it is applied, so it matches any namespace unless `--namespace` says where.
    pub fn same_namespace(&self, a: Option<&str>, b: Option<&str>) -> bool {
        match (
            a.or(self.namespace.as_deref()),
            b.or(self.namespace.as_deref()),
        ) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    /// The Services a StatefulSet's `serviceName` may resolve to. One in the StatefulSet's own
    /// file wins, then those in its directory tree; namespace-less copies from unrelated trees
    /// (examples kept side by side) are all candidates, and a rule is satisfied by any of them
    /// rather than judging the StatefulSet against one picked arbitrarily.
    pub fn governing_services(&self, sts: &Linked, name: &str) -> Vec<&Linked> {
        let candidates: Vec<&Linked> = self
            .services_named(name)
            .filter(|s| self.same_namespace(s.namespace.as_deref(), sts.namespace.as_deref()))
            .collect();
        let same_file: Vec<&Linked> = candidates
            .iter()
            .copied()
            .filter(|s| s.file == sts.file)
            .collect();
        if !same_file.is_empty() {
            return same_file;
        }
        let related: Vec<&Linked> = candidates
            .iter()
            .copied()
            .filter(|s| self.same_tree(s.file, sts.file))
            .collect();
        if related.is_empty() {
            candidates
        } else {
            related
        }
    }

    /// Whether one file's directory contains the other's (a chart or an app's directory).
    fn same_tree(&self, a: FileId, b: FileId) -> bool {
        let dir = |f: FileId| {
            let name = self.file_names.get(f).map_or("", String::as_str);
            std::path::Path::new(name)
                .parent()
                .map(|p| p.to_path_buf())
                .unwrap_or_default()
        };
        let (a, b) = (dir(a), dir(b));
        a.starts_with(&b) || b.starts_with(&a)
    }

    /// Workloads whose pods `selector` selects in `namespace` (`None`: any). Those in `near`'s
    /// file win, as for Services: unnamespaced copies of one chart side by side are not each
    /// other's pods, and looking at the own file first keeps many copies linear.
    pub fn workloads_matching<'a>(
        &'a self,
        selector: &crate::kube::LabelSelector,
        namespace: Option<&str>,
        near: FileId,
    ) -> Vec<&'a Linked> {
        let rarest = rarest(&self.pods_by_label, selector);
        let selects = |w: &&Linked| {
            self.same_namespace(w.namespace.as_deref(), namespace)
                && selector.matches(crate::model::pod_labels(&w.object()))
        };
        let Some(list) = rarest else {
            // No `key=value` to look up (only `Exists`, `NotIn`...): scan the workloads.
            let all: Vec<&Linked> = self
                .objects
                .iter()
                .filter(|o| is_workload(&o.kind))
                .collect();
            let here: Vec<&Linked> = all
                .iter()
                .copied()
                .filter(|w| w.file == near)
                .filter(selects)
                .collect();
            return if here.is_empty() {
                all.into_iter().filter(selects).collect()
            } else {
                here
            };
        };
        // The index lists are in object order, and objects in file order.
        let lo = list.partition_point(|&i| self.objects[i].file < near);
        let hi = list.partition_point(|&i| self.objects[i].file <= near);
        let here: Vec<&Linked> = list[lo..hi]
            .iter()
            .map(|&i| &self.objects[i])
            .filter(selects)
            .collect();
        if !here.is_empty() {
            return here;
        }
        list.iter()
            .map(|&i| &self.objects[i])
            .filter(selects)
            .collect()
    }

    /// Whether any workload is among the linted objects: without one, the pods are elsewhere
    /// and selector rules say nothing.
    pub fn has_workloads(&self) -> bool {
        self.objects.iter().any(|o| is_workload(&o.kind))
    }

    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Linked> + 'a {
        self.objects.iter().filter(move |o| o.kind == kind)
    }

    /// Whether findings on `object` are kept (see [`Workspace::reported`]).
    pub fn reports_on(&self, object: &Linked) -> bool {
        self.reported.get(object.file).copied().unwrap_or(true)
    }

    /// The workloads whose findings are kept: what a rule reporting on their pods iterates.
    pub fn workload_subjects(&self) -> impl Iterator<Item = &Linked> {
        self.objects
            .iter()
            .filter(|o| is_workload(&o.kind) && self.reports_on(o))
    }

    /// The objects of `kind` whose findings are kept: what a rule reporting on them iterates.
    pub fn subjects_of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Linked> + 'a {
        self.of_kind(kind).filter(|o| self.reports_on(o))
    }
}
