//! What people expect of a linter's command line, as a new user would try it: repositories with
//! kustomizations and charts, CI formats, quiet and exit-zero modes, exclusions, completions.

use std::path::Path;
use std::process::Command;

mod support;
use support::Repo;

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports: [{name: pg, port: 5432}]\n";
const STATEFULSET: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: dbb\n  podManagementPolicy: Parallel\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: \"postgres:16\", volumeMounts: [{name: data, mountPath: /d}]}]\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";

/// A kustomize base and overlay, a Helm chart, and tool configuration files.
fn app_repo(name: &str) -> Repo {
    let repo = Repo::new("conv", name);
    repo.write("deploy/base/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [service.yaml, statefulset.yaml]\n");
    repo.write("deploy/base/service.yaml", SERVICE);
    repo.write("deploy/base/statefulset.yaml", STATEFULSET);
    repo.write("deploy/overlays/prod/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources: [../../base]\n");
    repo.write(
        "deploy/components/tls/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
    );
    repo.write(
        "charts/web/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    );
    repo.write("charts/web/values.yaml", "replicas: 2\n");
    repo.write(
        "charts/web/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n",
    );
    repo.write(
        "skaffold.yaml",
        "apiVersion: skaffold/v4beta11\nkind: Config\nmetadata: {name: app}\n",
    );
    repo.write(
        "kind.yaml",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n",
    );
    repo.write(".kube/config", "apiVersion: v1\nkind: Config\n");
    repo.write(
        "kubeconfig.yaml",
        "apiVersion: v1\nkind: Config\nclusters: []\n",
    );
    repo.write(
        "kubeadm.yaml",
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n",
    );
    repo
}

#[test]
fn a_repository_is_linted_without_tripping_over_tool_configs_or_chart_templates() {
    let repo = app_repo("walk");
    let (code, out, err) = repo.run(".", &["check", "--format", "compact"]);
    assert_eq!(code, 0, "{err}");
    // The overlay is rendered (its base with it, not on its own): the finding is on the base
    // file's line, in the overlay's namespace.
    assert_eq!(
        out,
        "deploy/base/statefulset.yaml:6:16: warning [statefulset-service-not-found] `serviceName: dbb` names no Service in namespace `prod` among the 5 files linted; did you mean `db`? (see deploy/base/service.yaml:4:9: the Service of the closest name)\n"
    );
    // A chart found walking is rendered too; without helm, that it was not is said, never
    // silent.
    assert!(
        err.ends_with("notice: `charts/web` not linted: `charts/web` is a Helm chart, and rendering it needs `helm` on PATH (https://helm.sh/docs/intro/install/); or render it yourself: `helm template RELEASE charts/web | stslint check -`\nchecked 5 files, 2 objects (4 non-Kubernetes documents skipped): 0 errors, 1 warning, 0 info\n"),
        "{err}"
    );
    // With helm, the chart is linted as well: its Deployment lacks what the API server
    // requires, said at its template.
    let helm_bin = support::helm_bin();
    let (code, out, err) =
        repo.run_with_path(".", &["check", "--format", "compact"], Some(&helm_bin));
    assert_eq!(code, 1, "{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("charts/web/templates/deployment.yaml:") && l.contains("error")),
        "{out}"
    );
    assert!(
        err.ends_with("checked 6 files, 3 objects (4 non-Kubernetes documents skipped): 1 error, 1 warning, 0 info\n"),
        "{err}"
    );
    // Named one by one, as pre-commit does: the chart template is still not a manifest.
    let (code, out, err) = repo.run(
        ".",
        &[
            "check",
            "--format",
            "compact",
            "kubeconfig.yaml",
            "charts/web/templates/deployment.yaml",
            "deploy/base/kustomization.yaml",
        ],
    );
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(
        err.contains("notice: 1 file in a Helm chart's `templates/` not linted"),
        "{err}"
    );
}

#[test]
fn an_overlay_is_rendered_and_annotations_land_on_the_base_file() {
    if Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_err()
    {
        // The machines' image carries kubectl (Debian's `kubectl` package): on CI it must run.
        assert!(std::env::var_os("CI").is_none(), "kubectl is missing on CI");
        eprintln!("skipped: kubectl is not installed");
        return;
    }
    let repo = app_repo("kustomize");
    let (code, out, err) = repo.run(
        ".",
        &[
            "check",
            "--format",
            "github",
            "--fail-on",
            "warning",
            "deploy/overlays/prod",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("::warning file=deploy/base/statefulset.yaml,line=6,col=16,endLine=6,endColumn=16,title=stslint statefulset-service-not-found::`serviceName: dbb` names no Service in namespace `prod`"),
        "{out}"
    );
    // Human and JSON output keep the rendered text and name the base file.
    let (_, out, _) = repo.run(".", &["check", "--format", "json", "deploy/overlays/prod"]);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let finding = &value["findings"][0];
    assert_eq!(
        finding["file"],
        "deploy/overlays/prod (rendered by kustomize)"
    );
    assert_eq!(finding["helm_source"], "deploy/base/statefulset.yaml");
    assert_eq!(finding["source"]["path"], "deploy/base/statefulset.yaml");
    assert_eq!(finding["source"]["line"], 6);
    // Compact and human output point at the base file a human edits, never at the rendered
    // pseudo-path (which no editor or problem matcher can open).
    let (_, out, _) = repo.run(
        ".",
        &["check", "--format", "compact", "deploy/overlays/prod"],
    );
    assert!(
        out.starts_with(
            "deploy/base/statefulset.yaml:6:16: warning [statefulset-service-not-found]"
        ),
        "{out}"
    );
    assert!(!out.contains("rendered by"), "{out}");
    let (_, out, _) = repo.run(".", &["check", "--format", "human", "deploy/overlays/prod"]);
    assert!(
        out.contains("╭─[deploy/base/statefulset.yaml:6:16]"),
        "{out}"
    );
    assert!(out.contains("serviceName: dbb"), "{out}");
}

#[test]
fn a_chart_directory_without_helm_is_a_clear_usage_error() {
    let repo = app_repo("helm");
    let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(&repo.0)
        .env("PATH", "/nonexistent")
        .args(["check", "charts/web"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("error: `charts/web` is a Helm chart, and rendering it needs `helm` on PATH"));
}

#[test]
fn gitlab_code_quality_report() {
    let (code, out, _) = Repo::new("conv", "gitlab").run(
        Path::new(env!("CARGO_MANIFEST_DIR")).to_str().unwrap(),
        &["check", "--format", "gitlab", "examples/lab"],
    );
    assert_eq!(code, 1);
    let issues: serde_json::Value = serde_json::from_str(&out).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 4);
    let first = &issues[0];
    assert_eq!(first["check_name"], "statefulset-missing-service-name");
    assert_eq!(first["severity"], "major");
    assert_eq!(
        first["location"]["path"],
        "examples/lab/stateful-python-app.yaml"
    );
    assert_eq!(first["location"]["positions"]["begin"]["line"], 75);
    assert_eq!(issues[2]["severity"], "critical");
    assert_eq!(issues[2]["fingerprint"].as_str().unwrap().len(), 16);
}

#[test]
fn exit_zero_quiet_and_a_notice_when_nothing_is_found() {
    let repo = app_repo("modes");
    let (code, out, err) = repo.run(
        ".",
        &[
            "check",
            "--exit-zero",
            "--fail-on",
            "warning",
            "--format",
            "human",
            "deploy/base",
        ],
    );
    assert_eq!(code, 0);
    assert!(out.contains("statefulset-service-not-found"));
    // A kustomization named by its directory is rendered: one input.
    assert!(err.contains("checked 1 file, 2 objects"), "{err}");
    let (_, _, err) = repo.run(".", &["check", "-q", "--format", "human", "deploy/base"]);
    assert_eq!(err, "");
    let (code, out, err) = repo.run(".", &["check", "charts/web/values.yaml", "skaffold.yaml"]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(err, "checked 2 files, 0 objects (2 non-Kubernetes documents skipped): 0 errors, 0 warnings, 0 info\nnotice: no Kubernetes objects found in charts/web/values.yaml, skaffold.yaml (2 files, 2 documents that are not objects); render charts first: `helm template RELEASE CHART | stslint check -`\n");
    // One such document, and a chart's templates named: each said in words.
    let (_, _, err) = repo.run(".", &["check", "-q", "charts/web/values.yaml"]);
    assert_eq!(err, "");
    let (_, _, err) = repo.run(".", &["check", "skaffold.yaml"]);
    assert!(
        err.contains("(1 file, 1 document that is not an object)"),
        "{err}"
    );
}

#[test]
fn exclusions_apply_to_named_files_with_force_exclude_and_are_relative_to_the_config() {
    let repo = app_repo("exclude");
    repo.write(
        ".stslint.toml",
        "exclude = [\"deploy/base/statefulset.yaml\"]\n",
    );
    // From a subdirectory, the pattern still means the file beside the configuration.
    let (code, out, _) = repo.run(
        "deploy",
        &["check", "--format", "compact", "--fail-on", "warning", "."],
    );
    assert_eq!((code, out.as_str()), (0, ""));
    // Named on the command line: linted, unless --force-exclude (as the pre-commit hook does).
    let (code, _, _) = repo.run(
        ".",
        &[
            "check",
            "--fail-on",
            "warning",
            "deploy/base/statefulset.yaml",
        ],
    );
    assert_eq!(code, 1);
    let (code, out, _) = repo.run(
        ".",
        &[
            "check",
            "--fail-on",
            "warning",
            "--force-exclude",
            "deploy/base/statefulset.yaml",
        ],
    );
    assert_eq!((code, out.as_str()), (0, ""));
    // A bad glob names the configuration file and the pattern.
    repo.write(".stslint.toml", "exclude = [\"deploy/[\"]\n");
    let (code, _, err) = repo.run(".", &["check", "."]);
    assert_eq!(code, 2);
    assert!(
        err.contains(".stslint.toml:1:12: `exclude`: `deploy/[` is not a glob"),
        "{err}"
    );
}

#[test]
fn config_files_stslint_does_not_read_are_pointed_out_and_names_suggested() {
    let repo = app_repo("names");
    repo.write(".stslint.yaml", "fail-on: warning\n");
    let (_, _, err) = repo.run(".", &["check", "deploy/base"]);
    assert!(err.starts_with("warning: found `"), "{err}");
    assert!(
        err.contains(".stslint.yaml`, but stslint reads only `.stslint.toml` or `stslint.toml`")
    );
    // `stslint.toml` is read like `.stslint.toml`.
    repo.write("stslint.toml", "fail-on = \"warning\"\n");
    let (code, _, _) = repo.run(".", &["check", "deploy/base"]);
    assert_eq!(code, 1);
    let (code, _, err) = repo.run(
        ".",
        &["check", "--select", "pdb-selects-no-pod", "deploy/base"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `pdb-selects-no-pods`?"), "{err}");
}

#[test]
fn completions_and_a_man_page_come_from_the_cli_definition() {
    let repo = Repo::new("conv", "completions");
    let (code, out, _) = repo.run(".", &["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(out.contains("_stslint()") && out.contains("--fail-on"));
    let (code, out, _) = repo.run(".", &["man"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH stslint 1") && out.contains("completions"));
}

/// A chart linted from its directory with a values file, rendered by Helm's own engine
/// (helm-python-sdk from PyPI, behind a `helm template` wrapper: `tests/helm/`).
#[test]
fn a_chart_is_rendered_with_its_values_and_annotations_land_on_the_template() {
    let helm_bin = support::helm_bin();
    let repo = Repo::new("conv", "chart");
    repo.write(
        "charts/app/Chart.yaml",
        "apiVersion: v2\nname: app\nversion: 0.1.0\n",
    );
    repo.write("charts/app/values.yaml", "serviceName: db\nreplicas: 1\n");
    repo.write("values-prod.yaml", "serviceName: dbb\nreplicas: 3\n");
    repo.write("charts/app/templates/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports: [{name: pg, port: 5432}]\n");
    repo.write(
        "charts/app/templates/statefulset.yaml",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}-db\nspec:\n  replicas: {{ .Values.replicas }}\n  serviceName: {{ .Values.serviceName }}\n  podManagementPolicy: Parallel\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: \"postgres:16\", volumeMounts: [{name: data, mountPath: /d}]}]\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n",
    );
    let run = |args: &[&str]| repo.run_with_path(".", args, Some(&helm_bin));
    // The chart's own values are fine.
    let (code, out, err) = run(&[
        "check",
        "--format",
        "compact",
        "--fail-on",
        "warning",
        "charts/app",
    ]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    // Production values name a Service that does not exist: annotated on the template line.
    let (code, out, err) = run(&[
        "check",
        "charts/app",
        "-f",
        "values-prod.yaml",
        "--format",
        "github",
        "--fail-on",
        "warning",
        "--release",
        "prod",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("::warning file=charts/app/templates/statefulset.yaml,line=7,col=16,endLine=7,endColumn=16,title=stslint statefulset-service-not-found::`serviceName: dbb` names no Service"),
        "{out}"
    );
    let (_, out, _) = run(&[
        "check",
        "charts/app",
        "--set",
        "serviceName=db-headless",
        "--format",
        "compact",
    ]);
    // Compact output names the template line too, not the rendered text.
    assert!(
        out.starts_with("charts/app/templates/statefulset.yaml:7:16:"),
        "{out}"
    );
    assert!(out.contains("`serviceName: db-headless`"), "{out}");
}

/// The modules depend one way (issue 24): no circle among the crate's top-level modules, read
/// from the `crate::` paths of every source line (comments aside). A circle means a module
/// reaches back up the layers (the server borrowing the command line's configuration merge,
/// the engine and the discovery of paths each using the other).
/// The crate's top-level modules and the modules each names in a `crate::` path (comments
/// aside).
fn module_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    use std::collections::{BTreeMap, BTreeSet};
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    sources(std::path::Path::new("src"), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix("src").unwrap();
        let first = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    graph.entry(module.clone()).or_default().insert(name);
                }
            }
        }
    }
    graph
}

#[test]
fn the_module_graph_has_no_circle() {
    use std::collections::{BTreeMap, BTreeSet};
    let graph = module_graph();
    // Depth-first, with the path taken: a module met again on its own path closes a circle.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(circle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "the modules depend on each other in a circle: {}",
                circle.join(" -> ")
            );
        }
    }
    assert!(graph.len() > 20, "too few modules read: {graph:?}");
}

/// The layers, bottom up, and the one door (issue 24): a module names modules of its own layer
/// or below, never above; and above the session, nothing names the engine (`lint`) but through
/// `session`. The fuzzing harness is the one exception: it checks the engine's streaming
/// against its whole-file reading, an internal of `lint`.
#[test]
fn modules_depend_downwards_and_reach_the_engine_through_the_session() {
    const LAYERS: &[&[&str]] = &[
        // Data: YAML, sources, inputs, quantities, findings.
        &[
            "yaml",
            "source",
            "input",
            "quantity",
            "kube",
            "diagnostic",
            "fingerprint",
            "compare",
        ],
        // What objects are: the model, schemas, the linked workspace, suppressions, edits.
        &["model", "schema", "workspace", "suppress", "fix"],
        // What is checked: rules, settings, policies, their documentation.
        &["rules", "settings", "policy", "docs"],
        // The engine.
        &["lint"],
        // The one door.
        &["session"],
        // Around it: configuration, discovery and rendering, revisions, outputs, writing.
        &[
            "config", "discover", "render", "revision", "emit", "baseline", "write",
        ],
        // The front ends.
        &["app", "cli", "server", "fuzzing"],
    ];
    let layer_of = |module: &str| LAYERS.iter().position(|l| l.contains(&module));
    let graph = module_graph();
    let mut wrong = Vec::new();
    for (module, uses) in &graph {
        let Some(layer) = layer_of(module) else {
            wrong.push(format!("`{module}` is in no layer: add it to LAYERS"));
            continue;
        };
        for used in uses {
            match layer_of(used) {
                Some(other) if other > layer => wrong.push(format!(
                    "`{module}` (layer {layer}) names `{used}` (layer {other}), above it"
                )),
                Some(_) if used == "lint" && layer > 4 && module != "fuzzing" => {
                    wrong.push(format!("`{module}` names the engine past the session"));
                }
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
