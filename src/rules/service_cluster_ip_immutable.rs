//! A Service's `clusterIP`/`clusterIPs` or primary `ipFamilies` entry changed, including the
//! switch between headless (`clusterIP: None`) and not: the API server keeps a Service's
//! cluster IP for life.
use super::upgrade::{namespace_flag, updated_in_place};
use super::{Context, Rule, Sink};
use crate::workspace::{Linked, Workspace};
use crate::yaml::Node;
use std::ops::Range;

pub struct ServiceClusterIpImmutable;

/// The cluster IP a manifest asks for (`clusterIP`, else the first of `clusterIPs`), with
/// where it is written.
fn cluster_ip(service: &Linked) -> Option<(String, Range<usize>)> {
    let spec = service.root.get("spec")?;
    let node = spec
        .get("clusterIP")
        .filter(|n| !crate::compare::is_empty(Some(n)))
        .or_else(|| spec.get("clusterIPs").and_then(|l| l.items().first()))?;
    let value = node.as_str()?.trim();
    (!value.is_empty()).then(|| (value.to_owned(), node.span.clone()))
}

fn service_type(service: &Linked) -> &str {
    service
        .root
        .path(&["spec", "type"])
        .and_then(Node::as_str)
        .unwrap_or("ClusterIP")
}

impl Rule for ServiceClusterIpImmutable {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (new, old) in ws
            .updated()
            .filter(|(n, _)| n.kind == "Service" && updated_in_place(n))
        {
            // ExternalName Services have no cluster IP: switching to or from one is allowed.
            if service_type(new) == "ExternalName" || service_type(old) == "ExternalName" {
                continue;
            }
            let recreate = format!("delete the Service and let the deploy recreate it (`kubectl delete service {}{}`: clients see a short gap)", new.name, namespace_flag(new));
            let spec_at = |s: &Linked| {
                s.root
                    .get("spec")
                    .map_or(s.root.span.clone(), |n| n.span.clone())
            };
            match (cluster_ip(old), cluster_ip(new)) {
                (Some((a, old_at)), Some((b, new_at))) if a != b => {
                    let (verb, way) = if b == "None" {
                        ("made headless", format!("a Service cannot become headless in place: {recreate}, or add a new headless Service under another name (a StatefulSet's `serviceName` cannot change either)"))
                    } else if a == "None" {
                        (
                            "given a cluster IP",
                            format!(
                                "a headless Service cannot get a cluster IP in place: {recreate}"
                            ),
                        )
                    } else {
                        (
                            "given another cluster IP",
                            format!("keep `{a}`, or {recreate}"),
                        )
                    };
                    sink.report(&new.object(), new_at, format!("Service `{}` {verb}: `clusterIP` changed from `{a}` to `{b}`, and the API server never changes a Service's cluster IP", new.name))
                        .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `Service \"{}\" is invalid: spec.clusterIPs[0]: Invalid value: [\"{b}\"]: may not change once set`; {way}", new.name))
                        .add_related(old.file, old_at, format!("previously `{a}`"));
                }
                (None, Some((b, new_at))) if b == "None" => {
                    sink.report(&new.object(), new_at, format!("Service `{}` made headless: `clusterIP: None` on a Service created with a cluster IP, and the API server never changes a Service's cluster IP", new.name))
                        .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `Service \"{}\" is invalid: spec.clusterIPs[0]: Invalid value: [\"None\"]: may not change once set`; a Service cannot become headless in place: {recreate}, or add a new headless Service under another name (a StatefulSet's `serviceName` cannot change either)", new.name))
                        .add_related(old.file, spec_at(old), "previously no `clusterIP`: one was allocated");
                }
                (None, Some((b, new_at))) => {
                    sink.report(&new.object(), new_at, format!("`clusterIP: {b}` set on Service `{}`, which was created without one: the update succeeds only if the cluster allocated exactly `{b}`", new.name))
                        .at_most(crate::diagnostic::Severity::Warning)
                        .with_help_text(format!("otherwise `kubectl apply` and `helm upgrade` fail with `spec.clusterIPs[0]: Invalid value: [\"{b}\"]: may not change once set`; leave `clusterIP` out, or {recreate}"))
                        .add_related(old.file, spec_at(old), "previously no `clusterIP`");
                }
                (Some((a, old_at)), None) if a == "None" => {
                    let at = new
                        .root
                        .get("spec")
                        .map_or(new.root.span.clone(), |n| n.span.clone());
                    sink.report(&new.object(), at, format!("Service `{}` no longer says `clusterIP: None`, but it stays headless: the API server keeps the previous cluster IP when the field is left out", new.name))
                        .at_most(crate::diagnostic::Severity::Warning)
                        .with_help_text(format!("the update succeeds and changes nothing; to give the Service a cluster IP, {recreate}"))
                        .add_related(old.file, old_at, "previously `None`");
                }
                _ => {}
            }
            // The primary IP family cannot change; a secondary one can be added or dropped.
            let first_family = |s: &Linked| {
                s.root
                    .path(&["spec", "ipFamilies"])
                    .and_then(|l| l.items().first())
                    .and_then(|n| Some((n.as_str()?.to_owned(), n.span.clone())))
            };
            if let (Some((a, old_at)), Some((b, new_at))) = (first_family(old), first_family(new)) {
                if a != b {
                    sink.report(&new.object(), new_at, format!("the primary IP family of Service `{}` changed from `{a}` to `{b}`", new.name))
                        .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `spec.ipFamilies[0]: Invalid value: \"{b}\": may not change once set`; keep `{a}` first (a second family can be added), or {recreate}"))
                        .add_related(old.file, old_at, format!("previously `{a}`"));
                }
            }
        }
    }
}
