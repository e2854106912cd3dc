//! A Job's pod template, selector or another immutable field changed: the API server refuses
//! the update of a Job that exists (Helm hook Jobs are recreated, not updated, and pass).
use super::upgrade::{namespace_flag, report_change, updated_in_place};
use super::{Context, Rule, Sink};
use crate::compare;
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct JobSpecImmutable;

/// `ValidateJobSpecUpdate`: fields checked with `ValidateImmutableField`.
const IMMUTABLE: &[&str] = &[
    "selector",
    "template",
    "completions",
    "completionMode",
    "podFailurePolicy",
    "backoffLimitPerIndex",
    "successPolicy",
    "managedBy",
];

/// Pod template fields a suspended Job that never started may change (`JobMutableSchedulingDirectives`).
const SCHEDULING: &[&str] = &[
    "spec.template.spec.nodeSelector",
    "spec.template.spec.affinity",
    "spec.template.spec.tolerations",
    "spec.template.spec.schedulingGates",
    "spec.template.metadata.labels",
    "spec.template.metadata.annotations",
];

impl Rule for JobSpecImmutable {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (new, old) in ws.updated().filter(|(n, _)| {
            n.kind == "Job" && n.api_version.starts_with("batch/") && updated_in_place(n)
        }) {
            let (Some(new_spec), Some(old_spec)) = (new.root.get("spec"), old.root.get("spec"))
            else {
                continue;
            };
            let suspended = |spec: &Node| {
                matches!(
                    spec.get("suspend").map(|n| &n.value),
                    Some(crate::yaml::Value::Bool(true))
                )
            };
            let both_suspended = suspended(new_spec) && suspended(old_spec);
            // Elastic indexed Jobs: `completions` may change along with `parallelism`.
            let elastic = new_spec.get("completionMode").and_then(Node::as_str) == Some("Indexed")
                && new_spec
                    .get("completions")
                    .is_some_and(|c| compare::same(Some(c), new_spec.get("parallelism")));
            for field in IMMUTABLE {
                if *field == "completions" && elastic {
                    continue;
                }
                let changes = compare::diff(
                    old_spec.get(field),
                    new_spec.get(field),
                    &format!("spec.{field}"),
                    old_spec.span.clone(),
                    new_spec.span.clone(),
                );
                let Some(change) = changes.iter().find(|c| {
                    !(both_suspended && SCHEDULING.iter().any(|s| c.path.starts_with(s)))
                }) else {
                    continue;
                };
                let what = if change.old.is_some_and(|n| !n.is_map())
                    && change.new.is_some_and(|n| !n.is_map())
                {
                    format!(
                        "`{}` changed from `{}` to `{}`",
                        change.path,
                        compare::show(change.old),
                        compare::show(change.new)
                    )
                } else {
                    format!("`spec.{field}` changed (at `{}`)", change.path)
                };
                report_change(sink, new, old, change, format!("{what}: `spec.{field}` of Job `{}` cannot change once the Job exists", new.name))
                    .with_help_text(format!(
                        "`kubectl apply` and `helm upgrade` fail with `Job.batch \"{}\" is invalid: spec.{field}: Invalid value: ...: field is immutable`. A Job runs once: delete it before deploying (`kubectl delete job {}{}`), give each version its own name, set `ttlSecondsAfterFinished` so finished Jobs go away, or make it a Helm hook (`helm.sh/hook-delete-policy: before-hook-creation`)",
                        new.name,
                        new.name,
                        namespace_flag(new)
                    ));
            }
        }
    }
}
