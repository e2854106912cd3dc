//! Typed decoding into the k8s-openapi struct of an object's kind: what
//! `kubectl apply --validate=strict` would reject (unknown fields, wrong types).

mod shape;
mod trace;

use crate::model::Object;
use crate::yaml::{Node, NodeDe, UnknownField, Value};
use k8s_openapi::api;
use k8s_openapi::Resource;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

#[derive(Debug, Default)]
pub struct SchemaProblems {
    pub unknown: Vec<UnknownField>,
    pub type_errors: Vec<(String, Range<usize>)>,
}

impl SchemaProblems {
    pub fn is_empty(&self) -> bool {
        self.unknown.is_empty() && self.type_errors.is_empty()
    }
}

/// serde stops at the first type error; to report more than one, the offending node is
/// blanked out and the object decoded again, a bounded number of times.
const MAX_TYPE_ERRORS: usize = 8;

fn decode<T: serde::de::DeserializeOwned>(object: &Object<'_>) -> SchemaProblems {
    let mut problems = SchemaProblems::default();
    let mut root = std::borrow::Cow::Borrowed(object.root);
    for _ in 0..MAX_TYPE_ERRORS {
        let unknown = RefCell::new(Vec::new());
        let result = T::deserialize(NodeDe::new(&root, &unknown));
        for field in unknown.into_inner() {
            if !problems.unknown.iter().any(|u| u.span == field.span) {
                problems.unknown.push(field);
            }
        }
        let Err(error) = result else { break };
        let span = error.span.unwrap_or(object.root.span.clone());
        // A field removed below can make its parent incomplete: not the user's error.
        let removed_required =
            !problems.type_errors.is_empty() && error.message.starts_with("missing field");
        if removed_required || problems.type_errors.iter().any(|(_, s)| *s == span) {
            break;
        }
        problems.type_errors.push((error.message, span.clone()));
        if !blank(root.to_mut(), &span) {
            break;
        }
    }
    problems
}

/// Removes the entry or item whose value is at `span`; false when there is none.
fn blank(node: &mut Node, span: &Range<usize>) -> bool {
    match &mut node.value {
        Value::Map(entries) => {
            if let Some(i) = entries.iter().position(|e| e.value.span == *span) {
                entries.remove(i);
                return true;
            }
            entries
                .iter_mut()
                .any(|e| contains(&e.value, span) && blank(&mut e.value, span))
        }
        Value::Seq(items) => {
            if let Some(i) = items.iter().position(|n| n.span == *span) {
                items.remove(i);
                return true;
            }
            items
                .iter_mut()
                .any(|n| contains(n, span) && blank(n, span))
        }
        _ => false,
    }
}

fn contains(node: &Node, span: &Range<usize>) -> bool {
    node.span.start <= span.start && span.end <= node.span.end
}

macro_rules! typed_kinds {
    ($($ty:ty),* $(,)?) => {
        /// The `(apiVersion, kind)` of each typed kind.
        const RESOURCES: &[(&str, &str)] = &[$((<$ty as Resource>::API_VERSION, <$ty as Resource>::KIND)),*];

        /// The schema learnt for `object`'s kind (once per kind) and its typed decode; `None`
        /// for CRDs and unknown kinds.
        /// `at_once`: learn the schema now, whatever the number of objects seen.
        fn typed(object: &Object<'_>, at_once: bool) -> Option<(&'static Option<shape::Schema>, Decode)> {
            $(
                if object.kind == <$ty as Resource>::KIND && object.api_version == <$ty as Resource>::API_VERSION {
                    static SEEN: AtomicUsize = AtomicUsize::new(0);
                    static SCHEMA: OnceLock<Option<shape::Schema>> = OnceLock::new();
                    // Learning a kind's schema costs about as much as decoding a few dozen of
                    // its objects: a small run decodes them all.
                    if !at_once && SEEN.fetch_add(1, Ordering::Relaxed) < DECODED_BEFORE_TRACE {
                        return Some((&None, decode::<$ty>));
                    }
                    let schema = SCHEMA.get_or_init(|| trace::schema_of::<$ty>(RESOURCES));
                    return Some((schema, decode::<$ty>));
                }
            )*
            None
        }

        /// Each kind with what its trace learnt (`None`: always decoded in full).
        #[cfg(test)]
        fn traced() -> Vec<(&'static str, Option<shape::Schema>)> {
            vec![$((<$ty as Resource>::KIND, trace::schema_of::<$ty>(RESOURCES))),*]
        }

        /// Whether `kind` is a built-in Kubernetes kind stslint has a schema for.
        pub fn is_builtin_kind(kind: &str) -> bool {
            [$(<$ty as Resource>::KIND),*].contains(&kind)
        }

        /// The resource (plural name) of a built-in `(apiVersion, kind)`, and whether it is
        /// namespaced: what admission rules match.
        pub fn resource_of(api_version: &str, kind: &str) -> Option<(&'static str, bool)> {
            $(
                if kind == <$ty as Resource>::KIND && api_version == <$ty as Resource>::API_VERSION {
                    let namespaced = std::any::TypeId::of::<<$ty as Resource>::Scope>()
                        == std::any::TypeId::of::<k8s_openapi::NamespaceResourceScope>();
                    return Some((<$ty as Resource>::URL_PATH_SEGMENT, namespaced));
                }
            )*
            None
        }
    };
}

type Decode = fn(&Object<'_>) -> SchemaProblems;

/// Objects of a kind decoded in full before its schema is learnt for the walk.
const DECODED_BEFORE_TRACE: usize = 16;

/// What `kubectl apply --validate=strict` would reject in `object`, if stslint knows its kind.
pub fn check(object: &Object<'_>) -> Option<SchemaProblems> {
    let (schema, decode) = typed(object, false)?;
    // The walk answers for the well-formed objects; the decode says what is wrong with the
    // others.
    if schema.as_ref().is_some_and(|s| s.accepts(object.root)) {
        #[cfg(fuzzing)]
        assert!(
            decode(object).is_empty(),
            "the schema walk accepted what the typed decode rejects"
        );
        return Some(SchemaProblems::default());
    }
    Some(decode(object))
}

/// Whether the schema walk accepts `object` and whether the typed decode finds it clean: the
/// walk must never accept what the decode rejects. `None` for an untyped kind.
#[doc(hidden)]
pub fn walk_and_decode(object: &Object<'_>) -> Option<(bool, bool)> {
    let (schema, decode) = typed(object, true)?;
    let accepted = schema.as_ref().is_some_and(|s| s.accepts(object.root));
    Some((accepted, decode(object).is_empty()))
}

typed_kinds!(
    api::apps::v1::StatefulSet,
    api::apps::v1::Deployment,
    api::apps::v1::DaemonSet,
    api::apps::v1::ReplicaSet,
    api::batch::v1::Job,
    api::batch::v1::CronJob,
    api::core::v1::Pod,
    api::core::v1::Service,
    api::core::v1::ConfigMap,
    api::core::v1::Secret,
    api::core::v1::ServiceAccount,
    api::core::v1::PersistentVolumeClaim,
    api::core::v1::PersistentVolume,
    api::core::v1::Namespace,
    api::core::v1::ReplicationController,
    api::core::v1::Endpoints,
    api::core::v1::LimitRange,
    api::core::v1::ResourceQuota,
    api::policy::v1::PodDisruptionBudget,
    api::networking::v1::NetworkPolicy,
    api::networking::v1::Ingress,
    api::networking::v1::IngressClass,
    api::rbac::v1::Role,
    api::rbac::v1::RoleBinding,
    api::rbac::v1::ClusterRole,
    api::rbac::v1::ClusterRoleBinding,
    api::storage::v1::StorageClass,
    api::autoscaling::v2::HorizontalPodAutoscaler,
    api::scheduling::v1::PriorityClass,
    api::admissionregistration::v1::MutatingWebhookConfiguration,
    api::admissionregistration::v1::ValidatingWebhookConfiguration,
);

/// The declared field closest to a misspelt one, if any is close enough to suggest.
pub fn suggest(key: &str, expected: &[&'static str]) -> Option<&'static str> {
    expected
        .iter()
        .map(|&f| {
            (
                strsim::damerau_levenshtein(&key.to_ascii_lowercase(), &f.to_ascii_lowercase()),
                f,
            )
        })
        .filter(|&(d, f)| {
            d <= 2 || (f.starts_with(key) && key.len() >= 4) || (key.starts_with(f) && f.len() >= 4)
        })
        .min_by_key(|&(d, f)| (d, f))
        .map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_traced() {
        for (kind, schema) in traced() {
            let schema = schema.unwrap_or_else(|| panic!("{kind} was not traced"));
            // Only `metav1.Condition` needs fields (`lastTransitionTime` and others): the
            // probe must have found it wherever it is reachable (Service and PDB status).
            let requiring: Vec<_> = schema
                .structs
                .iter()
                .filter(|s| s.requires)
                .map(|s| s.fields)
                .collect();
            let condition = [
                "lastTransitionTime",
                "message",
                "observedGeneration",
                "reason",
                "status",
                "type",
            ];
            assert!(
                requiring.iter().all(|f| *f == condition),
                "{kind}: {requiring:?}"
            );
            assert_eq!(
                !requiring.is_empty(),
                ["Service", "PodDisruptionBudget"].contains(&kind),
                "{kind}"
            );
        }
    }
}
