//! A pod (anti-)affinity or topology spread term whose selector matches no pod among the
//! linted workloads: the spreading or co-location it promises does not happen.
use super::{pod_spec, Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::kube::LabelSelector;
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct AffinitySelectsNoPods;

impl Rule for AffinitySelectsNoPods {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for workload in ws.workload_subjects() {
            let object = workload.object();
            let Some(spec) = pod_spec(&object) else {
                continue;
            };
            for term in terms(spec) {
                // Terms that look in other namespaces are judged where those pods live.
                if term
                    .node
                    .get("namespaces")
                    .is_some_and(|n| !n.items().is_empty())
                    || term.node.get("namespaceSelector").is_some()
                {
                    continue;
                }
                let Some(selector_node) = term.node.get("labelSelector") else {
                    continue;
                };
                let selector = LabelSelector::from_node(selector_node);
                if selector.is_empty()
                    || !ws
                        .workloads_matching(&selector, workload.namespace.as_deref(), workload.file)
                        .is_empty()
                {
                    continue;
                }
                if ws.custom_object_matches(&selector, workload.namespace.as_deref()) {
                    continue;
                }
                let own = crate::model::pod_labels(&object);
                let hint = selector
                    .required_pairs()
                    .iter()
                    .find_map(|(k, v)| {
                        let mine = own?.get(k)?.display();
                        (mine != *v)
                            .then(|| format!("; this workload's pods are labelled `{k}: {mine}`"))
                    })
                    .or_else(|| {
                        let labels: Vec<String> = own?
                            .entries()
                            .iter()
                            .map(|e| format!("{}={}", e.key.display(), e.value.display()))
                            .collect();
                        (!labels.is_empty()).then(|| {
                            format!("; this workload's pods are labelled {}", labels.join(","))
                        })
                    })
                    .unwrap_or_default();
                let effect = match (term.kind, term.required) {
                    ("podAntiAffinity", _) | ("topologySpreadConstraints", _) => "the pods are not spread: several replicas may land on one node or zone, and one failure takes them together",
                    (_, true) => "no node satisfies a required affinity to pods that do not exist: the pods stay Pending",
                    _ => "the preferred co-location never applies",
                };
                let d = sink.report(&object, selector_node.span.clone(), format!("{} term of {} `{}` selects no pods: nothing among the linted objects matches `{}`{hint}", term.label(), workload.kind, workload.name, selector.display()));
                d.with_help_text(format!(
                    "{effect}; make the selector match the pod template labels"
                ));
                if !term.required {
                    d.at_most(Severity::Info);
                }
            }
        }
    }
}

struct Term<'a> {
    kind: &'static str,
    required: bool,
    node: &'a Node,
}

impl Term<'_> {
    fn label(&self) -> String {
        match self.kind {
            "topologySpreadConstraints" if self.required => {
                "`topologySpreadConstraints` (DoNotSchedule)".into()
            }
            "topologySpreadConstraints" => "`topologySpreadConstraints` (ScheduleAnyway)".into(),
            kind => format!(
                "{} `{kind}`",
                if self.required {
                    "required"
                } else {
                    "preferred"
                }
            ),
        }
    }
}

fn terms(spec: &Node) -> Vec<Term<'_>> {
    let mut out = Vec::new();
    for kind in ["podAffinity", "podAntiAffinity"] {
        let Some(affinity) = spec.path(&["affinity", kind]) else {
            continue;
        };
        for node in affinity
            .get("requiredDuringSchedulingIgnoredDuringExecution")
            .map(Node::items)
            .unwrap_or_default()
        {
            out.push(Term {
                kind,
                required: true,
                node,
            });
        }
        for weighted in affinity
            .get("preferredDuringSchedulingIgnoredDuringExecution")
            .map(Node::items)
            .unwrap_or_default()
        {
            if let Some(node) = weighted.get("podAffinityTerm") {
                out.push(Term {
                    kind,
                    required: false,
                    node,
                });
            }
        }
    }
    for node in spec
        .get("topologySpreadConstraints")
        .map(Node::items)
        .unwrap_or_default()
    {
        let required =
            node.get("whenUnsatisfiable").and_then(Node::as_str) != Some("ScheduleAnyway");
        out.push(Term {
            kind: "topologySpreadConstraints",
            required,
            node,
        });
    }
    out
}
