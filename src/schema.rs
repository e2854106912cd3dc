//! Typed decoding into the k8s-openapi struct of an object's kind: what
//! `kubectl apply --validate=strict` would reject (unknown fields, wrong types).

use crate::model::Object;
use crate::yaml::{Node, NodeDe, UnknownField, Value};
use k8s_openapi::api;
use k8s_openapi::Resource;
use std::cell::RefCell;
use std::ops::Range;

#[derive(Debug, Default)]
pub struct SchemaProblems {
    pub unknown: Vec<UnknownField>,
    pub type_errors: Vec<(String, Range<usize>)>,
}

/// serde stops at the first type error; to report more than one, the offending node is
/// blanked out and the object decoded again, a bounded number of times.
const MAX_TYPE_ERRORS: usize = 8;

fn decode<T: serde::de::DeserializeOwned>(object: &Object<'_>) -> SchemaProblems {
    let mut problems = SchemaProblems::default();
    let mut root = std::borrow::Cow::Borrowed(object.root);
    for _ in 0..MAX_TYPE_ERRORS {
        let unknown = RefCell::new(Vec::new());
        let result = T::deserialize(NodeDe {
            node: &root,
            unknown: &unknown,
        });
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
        /// Decodes `object` if stslint knows its kind; `None` for CRDs and unknown kinds.
        pub fn check(object: &Object<'_>) -> Option<SchemaProblems> {
            $(
                if object.kind == <$ty as Resource>::KIND && object.api_version == <$ty as Resource>::API_VERSION {
                    return Some(decode::<$ty>(object));
                }
            )*
            None
        }

        /// Whether `kind` is a built-in Kubernetes kind stslint has a schema for.
        pub fn is_builtin_kind(kind: &str) -> bool {
            [$(<$ty as Resource>::KIND),*].contains(&kind)
        }
    };
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
