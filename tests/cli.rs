//! The command line as a user sees it: real files in; findings, positions, output and exit
//! codes out.

use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn stslint(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stslint runs");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn compact(args: &[&str]) -> Run {
    let mut all = vec!["check", "--format", "compact"];
    all.extend_from_slice(args);
    stslint(&all, None)
}

#[test]
fn directory_walk_lints_manifests_in_nested_directories_and_skips_hidden_ones() {
    let run = compact(&["tests/fixtures/input"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout, @r"
    tests/fixtures/input/bom.yaml:5:3: error [unknown-field] unknown field `metadata.nmae` in ConfigMap; did you mean `name`?
    tests/fixtures/input/crlf.yaml:6:3: error [unknown-field] unknown field `metadata.nmae` in ConfigMap; did you mean `name`?
    tests/fixtures/input/flow.yaml:3:37: error [invalid-field-type] `metadata.labels.true`: `off` is the boolean false in YAML 1.1, as Kubernetes reads it, but a string is expected here
    tests/fixtures/input/list.yaml:8:5: error [unknown-field] unknown field `dat` in ConfigMap; did you mean `data`?
    tests/fixtures/input/multi-doc.yaml:20:14: error [invalid-field-type] `metadata.labels.enabled`: `yes` is the boolean true in YAML 1.1, as Kubernetes reads it, but a string is expected here
    tests/fixtures/input/nested/deeper/svc.yml:7:7: error [service-port-invalid] this Service has several ports, so each needs a `name`
    tests/fixtures/input/nested/deeper/svc.yml:9:13: error [service-port-invalid] port 80/TCP is declared twice in this Service (see tests/fixtures/input/nested/deeper/svc.yml:7:13: first declared here)
    tests/fixtures/input/object.json:5:3: warning [pod-management-policy-not-set] policy: StatefulSet `json-db` does not declare `podManagementPolicy` (it defaults to OrderedReady)
    tests/fixtures/input/object.json:5:3: warning [statefulset-missing-service-name] policy: StatefulSet `json-db` has no `spec.serviceName`, so its pods get no stable DNS names
    tests/fixtures/input/object.json:5:3: warning [statefulset-no-volume-claim-templates] policy: StatefulSet `json-db` has no `volumeClaimTemplates`, so its pods get no storage of their own
    tests/fixtures/input/object.json:5:3: error [workload-selector-mismatch] StatefulSet `json-db` has no `spec.selector`
    tests/fixtures/input/object.json:6:2: error [unknown-field] unknown field `spec.replica` in StatefulSet; did you mean `replicas`?
    tests/fixtures/input/tabs.yaml:8:9: error [invalid-field-type] `data.typo`: `1` is an integer, but a string is expected here
    ");
}

#[test]
fn summary_counts_files_objects_and_skipped_documents() {
    let run = stslint(
        &["check", "--format", "human", "tests/fixtures/input"],
        None,
    );
    let summary = run.stderr.lines().last().unwrap();
    // The chart directory is rendered, not walked: without helm, the summary says so first.
    assert!(
        run.stderr.contains("notice: `tests/fixtures/input/chart` not linted: `tests/fixtures/input/chart` is a Helm chart, and rendering it needs `helm` on PATH"),
        "{}",
        run.stderr
    );
    assert!(
        summary.starts_with("checked 9 files, 10 objects (1 non-Kubernetes document skipped): 10 errors, 3 warnings, 0 info in "),
        "{summary}"
    );
}

#[test]
fn stdin_is_linted_under_the_given_name() {
    let text =
        b"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: three\n";
    let run = stslint(
        &[
            "check",
            "--format",
            "compact",
            "--select",
            "schema",
            "--stdin-filename",
            "chart/db.yaml",
            "-",
        ],
        Some(text),
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "chart/db.yaml:5:13: error [invalid-field-type] `spec.replicas`: `three` is a string, but an integer is expected here\n"
    );
}

#[test]
fn bad_inputs_are_each_one_finding_and_the_rest_is_still_linted() {
    let run = compact(&["tests/fixtures/bad"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout, @r"
    tests/fixtures/bad/alias-bomb.yaml:6:14: error [alias-expansion-too-large] alias expansion exceeds 250000 nodes in this document (an alias bomb?)
    tests/fixtures/bad/alias-bomb.yaml:18:3: error [unknown-field] unknown field `metadata.nmae` in ConfigMap; did you mean `name`?
    tests/fixtures/bad/binary.yaml:1:1: error [not-text] `tests/fixtures/bad/binary.yaml` is a binary file (NUL byte at offset 0), not a YAML or JSON manifest
    tests/fixtures/bad/deep-block.yaml:256:256: error [invalid-yaml] nesting is deeper than 255 levels (recursion limit exceeded); no manifest needs that many
    tests/fixtures/bad/deep.yaml:1:259: error [invalid-yaml] nesting is deeper than 255 levels (recursion limit exceeded); no manifest needs that many
    tests/fixtures/bad/latin1.yaml:6:9: error [not-text] `tests/fixtures/bad/latin1.yaml` is not UTF-8 text (invalid byte at offset 70)
    tests/fixtures/bad/loop-a.yaml:1:1: error [unreadable-file] cannot read `tests/fixtures/bad/loop-a.yaml`: symlink loop
    tests/fixtures/bad/loop-b.yaml:1:1: error [unreadable-file] cannot read `tests/fixtures/bad/loop-b.yaml`: symlink loop
    tests/fixtures/bad/syntax.yaml:5:11: error [invalid-yaml] unclosed bracket '['
    tests/fixtures/bad/syntax.yaml:11:3: error [unknown-field] unknown field `metadata.nmae` in ConfigMap; did you mean `name`?
    tests/fixtures/bad/template.yaml:4:9: error [unrendered-template] this file is an unrendered Helm template (`{{ ... }}`), not a manifest
    tests/fixtures/bad/utf16.yaml:1:1: error [not-text] `tests/fixtures/bad/utf16.yaml` is UTF-16 text, not UTF-8
    ");
}

#[test]
fn a_link_to_a_directory_is_not_walked() {
    // A loop (`a/back` → the root) and a link out of the tree: neither is descended, as
    // ripgrep and ruff walk, so the walk ends and `--fix DIR` stays inside DIR.
    let dir = std::env::temp_dir().join(format!("stslint-loop-{}", std::process::id()));
    let outside = std::env::temp_dir().join(format!("stslint-outside-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&outside);
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("a/back")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("out")).unwrap();
    std::fs::write(
        dir.join("a/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    )
    .unwrap();
    let bad = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d}\nspec: {accessModes: [rwo], resources: {requests: {storage: 1Gi}}}\n";
    std::fs::write(outside.join("pvc.yaml"), bad).unwrap();
    let run = compact(&[dir.to_str().unwrap()]);
    let fixed = compact(&["--fix", dir.to_str().unwrap()]);
    let untouched = std::fs::read_to_string(outside.join("pvc.yaml")).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&outside).unwrap();
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert_eq!(untouched, bad);
}

#[test]
fn usage_errors_exit_2() {
    let missing = compact(&["does/not/exist.yaml"]);
    assert_eq!(missing.code, 2);
    assert_eq!(
        missing.stderr,
        "error: path `does/not/exist.yaml` does not exist\n"
    );
    assert_eq!(stslint(&["check", "--no-such-flag"], None).code, 2);
    assert_eq!(
        compact(&["--select", "no-such-rule", "examples/lab"]).code,
        2
    );
    assert_eq!(
        compact(&["--kubernetes-version", "latest", "examples/lab"]).code,
        2
    );
    // Values for no chart, or a values file that is not there: said, not ignored.
    let values = compact(&["-f", "examples/chart/values-prod.yaml", "examples/lab"]);
    assert_eq!(values.code, 2);
    assert_eq!(values.stderr, "error: `-f/--values` and `--set` apply to a Helm chart named on the command line (a directory with `Chart.yaml`), and none is\n");
    let missing_values = compact(&["-f", "nope.yaml", "examples/chart"]);
    assert_eq!(missing_values.code, 2);
    assert_eq!(
        missing_values.stderr,
        "error: values file `nope.yaml` does not exist\n"
    );
    // A version stslint knows nothing of is refused, not checked against silently.
    let future = compact(&["--kubernetes-version", "1.99", "examples/lab"]);
    assert_eq!(future.code, 2);
    assert_eq!(
        future.stderr,
        "error: invalid --kubernetes-version: Kubernetes 1.99 is not a version stslint can check: stslint knows 1.16 to 1.35\n"
    );
    assert_eq!(
        compact(&["--kubernetes-version", "v1.29.3", "examples/lab"]).code,
        1
    );
    assert_eq!(stslint(&["rule", "no-such-rule"], None).code, 2);
}

#[test]
fn fail_on_sets_the_threshold() {
    assert_eq!(compact(&["examples/lab"]).code, 1);
    // Without its two errors, the lab chart has warnings only.
    assert_eq!(
        compact(&["--ignore", "invalid-helm-hook-annotation", "examples/lab"]).code,
        0
    );
    assert_eq!(
        compact(&[
            "--ignore",
            "invalid-helm-hook-annotation",
            "--fail-on",
            "warning",
            "examples/lab"
        ])
        .code,
        1
    );
    assert_eq!(
        compact(&["--fail-on", "never", "tests/fixtures/bad"]).code,
        0
    );
    let clean = stslint(
        &["check", "--fail-on", "info", "-"],
        Some(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n"),
    );
    assert_eq!((clean.code, clean.stdout.as_str()), (0, ""));
}

#[test]
fn lab_chart_findings_are_the_ones_a_reviewer_would_agree_with() {
    let run = compact(&["examples/lab"]);
    insta::assert_snapshot!(run.stdout, @r#"
    examples/lab/stateful-python-app.yaml:75:1: warning [statefulset-missing-service-name] policy: StatefulSet `stateful-python-app` has no `spec.serviceName`, so its pods get no stable DNS names
    examples/lab/stateful-python-app.yaml:142:15: warning [claim-template-not-mounted] claim template `mymetadata` is mounted by no container: each pod gets a volume it never uses
    examples/lab/stateful-python-app.yaml:158:38: error [invalid-helm-hook-annotation] `hook-succeeded"` is not a hook delete policy (a stray quote), so the hook Pod `post-install-hook` is never deleted; did you mean `hook-succeeded`?
    examples/lab/stateful-python-app.yaml:175:38: error [invalid-helm-hook-annotation] `hook-succeeded"` is not a hook delete policy (a stray quote), so the hook Pod `pre-install-hook` is never deleted; did you mean `hook-succeeded`?
    "#);
}

#[test]
fn human_output_frames_the_exact_span_with_help_and_rule_id() {
    let run = stslint(&["check", "--format", "human", "examples/lab"], None);
    insta::assert_snapshot!(run.stdout);
    assert!(
        !run.stdout.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn a_template_that_rendered_only_comments_does_not_claim_the_next_object() {
    // `helm template` keeps a template whose output is only comments: an empty document with
    // its own `# Source:`. The ConfigMap after it comes from cm.yaml (found by the stream fuzz
    // target: the whole text said empty.yaml, the file read batch by batch cm.yaml).
    let text = b"---\n# Source: app/templates/empty.yaml\n# nothing rendered here\n---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: 1\n";
    let run = stslint(&["check", "--format", "json", "-"], Some(text));
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = value["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert_eq!(findings[0]["rule"], "invalid-field-type");
    assert_eq!(findings[0]["helm_source"], "app/templates/cm.yaml");
}

#[test]
fn json_output_is_the_stable_contract() {
    let run = stslint(&["check", "--format", "json", "examples/lab"], None);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["version"], 1);
    let first = &value["findings"][0];
    assert_eq!(first["rule"], "statefulset-missing-service-name");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "examples/lab/stateful-python-app.yaml");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(75), Some(1))
    );
    assert_eq!(
        (first["end_line"].as_u64(), first["end_column"].as_u64()),
        (Some(75), Some(5))
    );
    assert_eq!(first["object"]["kind"], "StatefulSet");
    assert_eq!(first["object"]["name"], "stateful-python-app");
    assert_eq!(
        first["helm_source"],
        "python-app/templates/statefulset.yaml"
    );
    assert_eq!(first["path"], "spec");
    assert_eq!(
        value["findings"][1]["path"],
        "spec.volumeClaimTemplates[mymetadata].metadata.name"
    );
    assert_eq!(
        value["findings"][2]["path"],
        "metadata.annotations.helm.sh/hook-delete-policy"
    );
    assert!(first["help"].as_str().unwrap().contains("headless Service"));
    assert_eq!(value["summary"]["objects"], 8);
    assert_eq!(value["summary"]["warnings"], 2);
    assert_eq!(value["summary"]["errors"], 2);
    // Byte-identical between runs.
    assert_eq!(
        run.stdout,
        stslint(&["check", "--format", "json", "examples/lab"], None).stdout
    );
}

#[test]
fn rules_are_listed_and_documented() {
    let list = stslint(&["rules"], None);
    assert_eq!(list.code, 0);
    assert!(list
        .stdout
        .lines()
        .any(|l| l.starts_with("statefulset-missing-service-name") && l.contains("warning")));
    let json: serde_json::Value =
        serde_json::from_str(&stslint(&["rules", "--format", "json"], None).stdout).unwrap();
    assert_eq!(
        json.as_array().unwrap().len(),
        stslint::rules::registry().len()
    );
    let doc = stslint(&["rule", "invalid-access-mode"], None);
    assert!(
        doc.stdout.contains("ReadWriteOnly") && doc.stdout.contains("Valid"),
        "{}",
        doc.stdout
    );
}

#[test]
fn opt_in_rules_run_when_selected_or_enabled() {
    let quiet = compact(&["examples/lab"]);
    assert!(!quiet.stdout.contains("claim-template-no-storage-class"));
    let opted = compact(&["--enable-opt-in", "examples/lab"]);
    assert!(
        opted
            .stdout
            .contains("142:15: info [claim-template-no-storage-class]")
            || opted.stdout.contains("[claim-template-no-storage-class]")
    );
    let selected = compact(&[
        "--select",
        "claim-template-no-storage-class",
        "examples/lab",
    ]);
    assert_eq!(selected.stdout.lines().count(), 1, "{}", selected.stdout);
    let ignored = compact(&["--ignore", "helm", "examples/lab"]);
    assert!(!ignored.stdout.contains("helm-hook"));
}

#[test]
fn removed_apis_depend_on_the_kubernetes_version() {
    let old = b"apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly}\nspec: {schedule: '@daily', jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: job, image: busybox}]}}}}}\n";
    let new = stslint(&["check", "--format", "compact", "-"], Some(old));
    assert!(new.stdout.contains("1:13: error [removed-api-version] `batch/v1beta1` CronJob was removed in Kubernetes 1.25"), "{}", new.stdout);
    let legacy = stslint(
        &[
            "check",
            "--format",
            "compact",
            "--kubernetes-version",
            "1.24",
            "-",
        ],
        Some(old),
    );
    assert_eq!(legacy.stdout, "");
}

#[test]
fn namespaces_decide_cross_object_matches() {
    let text = b"apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: other}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: prod}\nspec:\n  serviceName: db\n  podManagementPolicy: Parallel\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres:16, volumeMounts: [{name: data, mountPath: /d}]}]}\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";
    let run = stslint(&["check", "--format", "compact", "-"], Some(text));
    assert!(run.stdout.contains("10:16: warning [statefulset-service-not-found] `serviceName: db` names no Service in namespace `prod`"), "{}", run.stdout);
    assert!(
        run.stdout.contains("[service-selects-no-pods]"),
        "{}",
        run.stdout
    );
    let json = stslint(
        &[
            "check",
            "--format",
            "json",
            "--select",
            "statefulset-service-not-found",
            "-",
        ],
        Some(text),
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["findings"][0]["related"][0]["line"], 3);
    assert!(value["findings"][0]["help"]
        .as_str()
        .unwrap()
        .contains("namespace `other`"));
}

#[test]
fn no_suppressions_shows_everything_for_audits() {
    let file = "tests/fixtures/unused-suppression/suppressions.yaml";
    let normal = compact(&[file]);
    let audit = compact(&["--no-suppressions", file]);
    assert!(!normal.stdout.contains("[claim-template-not-mounted]"));
    assert!(audit.stdout.contains("[claim-template-not-mounted]"));
    assert!(audit.stdout.contains("[statefulset-missing-service-name]"));
    assert!(
        !audit.stdout.contains("[unused-suppression]")
            && !audit.stdout.contains("[suppression-missing-reason]")
    );
}
