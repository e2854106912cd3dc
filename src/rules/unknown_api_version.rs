//! An `apiVersion` that nothing can serve: a built-in group with a version it does not have the
//! form of, a group no custom resource can have, or a version that is not a DNS label.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct UnknownApiVersion;

/// The built-in API groups (`""` is the core group, `v1` only).
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "extensions",
    "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
    "storagemigration.k8s.io",
];

/// Built-in group versions the API server serves only when the cluster enables them
/// (`--runtime-config`): every alpha, and the betas added since 1.24 (`pkg/controlplane/
/// instance.go`, `betaAPIGroupVersionsDisabledByDefault` and
/// `alphaAPIGroupVersionsDisabledByDefault`, at 1.35).
const OFF_BY_DEFAULT: &[&str] = &[
    "admissionregistration.k8s.io/v1beta1",
    "authentication.k8s.io/v1beta1",
    "certificates.k8s.io/v1beta1",
    "coordination.k8s.io/v1beta1",
    "storage.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1beta1",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1beta2",
    "storagemigration.k8s.io/v1beta1",
    "admissionregistration.k8s.io/v1alpha1",
    "internal.apiserver.k8s.io/v1alpha1",
    "authentication.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "resource.k8s.io/v1alpha3",
    "certificates.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1alpha1",
    "storage.k8s.io/v1alpha1",
];

/// `v1`, `v2beta1`, `v1alpha3`: the form of every built-in API version.
fn kube_like(version: &str) -> bool {
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let digits =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
    let major_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (major, tail) = rest.split_at(major_end);
    if !digits(major) {
        return false;
    }
    tail.is_empty()
        || ["alpha", "beta"]
            .iter()
            .any(|stage| tail.strip_prefix(stage).is_some_and(digits))
}

/// A custom resource's version is a DNS-1035 label.
fn dns_label(version: &str) -> bool {
    let bytes = version.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_lowercase()
        && bytes[bytes.len() - 1] != b'-'
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

impl Rule for UnknownApiVersion {
    fn check_object(&self, object: &Object<'_>, ctx: &Context, sink: &mut Sink<'_>) {
        let api_version = object.api_version;
        let Some(node) = object.root.get("apiVersion") else {
            return;
        };
        if api_version.is_empty() {
            return; // missing-api-version
        }
        // Known at the release stslint checks by default; an older one enabled other betas.
        if ctx.kubernetes_version == crate::kube::DEFAULT_KUBERNETES_VERSION
            && OFF_BY_DEFAULT.contains(&api_version)
            && !super::removed_api_version::is_removed(
                api_version,
                object.kind,
                ctx.kubernetes_version,
            )
        {
            let (major, minor) = ctx.kubernetes_version;
            sink.report(object, node.span.clone(), format!("`{api_version}` is not served by default: the API server of Kubernetes {major}.{minor} serves it only where the cluster enables it (`--runtime-config`)"))
                .with_help_text(format!(
                    "`kubectl apply` and Helm stop with `no matches for kind \"{}\" in version \"{api_version}\"` on a default cluster; write the stable version of the group that serves the kind (`kubectl api-resources` lists them)",
                    object.kind
                ));
            return;
        }
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let problem = if version.contains('/') {
            Some("an apiVersion is `group/version` or, for the core group, `version`".to_string())
        } else if group.is_empty() {
            (version != "v1").then(|| "the core API group has only version `v1`".to_string())
        } else if BUILT_IN_GROUPS.contains(&group) {
            (!kube_like(version)).then(|| format!("the built-in group `{group}` has versions such as `v1` or `v1beta1` (lower case)"))
        } else if !group.contains('.') {
            // A custom resource's group is a domain with at least one dot.
            let near = crate::schema::suggest(group, BUILT_IN_GROUPS);
            Some(match near.filter(|g| !g.is_empty()) {
                Some(g) => format!("`{group}` is not a built-in API group (did you mean `{g}`?), and a custom resource's group has a dot"),
                None => format!("`{group}` is not a built-in API group, and a custom resource's group has a dot"),
            })
        } else {
            (!dns_label(version)).then(|| format!("`{version}` is not a version any API group can serve (versions are lower-case DNS labels)"))
        };
        let Some(problem) = problem else { return };
        sink.report(object, node.span.clone(), format!("no API server serves `apiVersion: {api_version}`: {problem}"))
            .with_help_text(format!(
                "`kubectl apply` and Helm stop with `no matches for kind \"{}\" in version \"{api_version}\"` and nothing is applied; write the API version that serves the kind (`kubectl api-resources` lists them)",
                object.kind
            ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_versions_have_the_kube_form() {
        for v in ["v1", "v2", "v1beta1", "v2beta2", "v1alpha3", "v10"] {
            assert!(kube_like(v), "{v}");
        }
        for v in [
            "V1",
            "1v",
            "v0",
            "v01",
            "v1beta",
            "v1Beta1",
            "v1..b",
            "Unknownv1",
            "v1gamma1",
            "",
        ] {
            assert!(!kube_like(v), "{v}");
        }
    }
}
