//! `--fix`, `--unsafe-fixes` and `--diff` as a user runs them: files rewritten with comments and
//! formatting kept, idempotent, standard input fixed to standard output, unified diffs that
//! write nothing; and every rule's invalid example, fixed, passes its rule.

use std::io::Write;
use std::process::{Command, Stdio};

fn temp_copy(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stslint-fix-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn run(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const DB: &str = "# the database\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  labels: {enabled: yes}\nspec:\n  serviceName: db   # governing Service\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: x, volumeMounts: [{name: data, mountPath: /d}]}]\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec:\n        accessModes: [rwo]\n        resources: {requests: {storage: 1Gi}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  selector: {app: db}\n  ports: [{port: 5432}]\n";

#[test]
fn fix_rewrites_the_file_keeps_comments_and_is_idempotent() {
    let dir = temp_copy("safe", &[("db.yaml", DB)]);
    let (code, out, err) = run(
        &dir,
        &["check", "--fix", "--format", "compact", "db.yaml"],
        None,
    );
    let fixed = std::fs::read_to_string(dir.join("db.yaml")).unwrap();
    assert_eq!(
        fixed,
        DB.replace(
            "spec:\n  serviceName",
            "spec:\n  podManagementPolicy: OrderedReady\n  serviceName"
        )
        .replace("[rwo]", "[ReadWriteOnce]")
    );
    assert_eq!(
        err,
        "fixed 2 findings (2 remaining; 2 fixable with --unsafe-fixes)\n"
    );
    // What remains is reported as usual, and the exit code follows it.
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "{out}");
    // A second run changes nothing.
    let (_, _, err) = run(
        &dir,
        &["check", "--fix", "--format", "compact", "db.yaml"],
        None,
    );
    assert_eq!(
        err,
        "fixed 0 findings (2 remaining; 2 fixable with --unsafe-fixes)\n"
    );
    assert_eq!(std::fs::read_to_string(dir.join("db.yaml")).unwrap(), fixed);
}

#[test]
fn unsafe_fixes_quote_yaml_11_values_and_make_the_service_headless() {
    let dir = temp_copy("unsafe", &[("db.yaml", DB)]);
    let (code, out, err) = run(
        &dir,
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "compact",
            "db.yaml",
        ],
        None,
    );
    let fixed = std::fs::read_to_string(dir.join("db.yaml")).unwrap();
    assert!(fixed.contains("  labels: {enabled: \"yes\"}\n"), "{fixed}");
    assert!(
        fixed.contains("spec:\n  clusterIP: None\n  selector: {app: db}\n"),
        "{fixed}"
    );
    assert_eq!(err, "fixed 4 findings (0 remaining)\n");
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn diff_prints_a_unified_diff_writes_nothing_and_exits_1() {
    let dir = temp_copy("diff", &[("db.yaml", DB)]);
    let (code, out, _) = run(&dir, &["check", "--diff", "db.yaml"], None);
    assert_eq!(code, 1);
    assert!(out.starts_with("--- a/db.yaml\n+++ b/db.yaml\n"), "{out}");
    assert!(
        out.contains("-        accessModes: [rwo]\n+        accessModes: [ReadWriteOnce]\n"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(dir.join("db.yaml")).unwrap(), DB);
    // Nothing to fix: no diff, exit 0.
    let clean = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n";
    std::fs::write(dir.join("db.yaml"), clean).unwrap();
    let (code, out, _) = run(&dir, &["check", "--diff", "db.yaml"], None);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn fixing_standard_input_prints_the_fixed_text() {
    let dir = temp_copy("stdin", &[]);
    let (code, out, err) = run(&dir, &["check", "--fix", "-"], Some("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [\"readwriteonce\"]\n  resources: {requests: {storage: 1Gi}}\n"));
    assert_eq!(code, 0);
    // The value keeps its quotes: a replacement is written in the scalar's own style.
    assert_eq!(out, "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [\"ReadWriteOnce\"]\n  resources: {requests: {storage: 1Gi}}\n");
    assert_eq!(err, "fixed 1 finding (0 remaining)\n");
}

#[test]
fn the_lab_charts_stray_quote_is_fixed_and_the_template_named() {
    let lab = std::fs::read_to_string("examples/lab/stateful-python-app.yaml").unwrap();
    let dir = temp_copy("lab", &[("lab.yaml", &lab)]);
    let (_, out, err) = run(
        &dir,
        &["check", "--fix", "--format", "compact", "lab.yaml"],
        None,
    );
    assert!(!out.contains("invalid-helm-hook-annotation"), "{out}");
    assert!(err.contains("note: fixed in the rendered output; the change belongs in the template `python-app/templates/pre-install-hook.yml`"), "{err}");
    let fixed = std::fs::read_to_string(dir.join("lab.yaml")).unwrap();
    assert_eq!(fixed, lab.replace("hook-succeeded\"\n", "hook-succeeded\n"));
}

/// Every rule whose invalid example offers fixes: applied (safe and unsafe), they make the
/// example pass that rule.
#[test]
fn every_fix_resolves_its_rules_invalid_example() {
    let mut rules_with_fixes = Vec::new();
    for rule in stslint::rules::registry() {
        let Some(invalid) = &rule.doc.invalid else {
            continue;
        };
        let dir = temp_copy(
            &format!("example-{}", rule.id),
            &[("example.yaml", invalid)],
        );
        let (_, out, _) = run(
            &dir,
            &[
                "check",
                "--isolated",
                "--select",
                rule.id,
                "--format",
                "json",
                "example.yaml",
            ],
            None,
        );
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let fixable = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| !f["fix"].is_null());
        if !fixable {
            let _ = std::fs::remove_dir_all(&dir);
            continue;
        }
        rules_with_fixes.push(rule.id);
        let (code, out, err) = run(
            &dir,
            &[
                "check",
                "--isolated",
                "--select",
                rule.id,
                "--fix",
                "--unsafe-fixes",
                "--format",
                "compact",
                "example.yaml",
            ],
            None,
        );
        assert_eq!(
            (code, out.as_str()),
            (0, ""),
            "{}: fixed example still fails: {err}",
            rule.id
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    for id in [
        "invalid-access-mode",
        "invalid-pod-management-policy",
        "invalid-helm-hook-annotation",
        "pod-management-policy-not-set",
        "governing-service-not-headless",
        "invalid-field-type",
    ] {
        assert!(
            rules_with_fixes.contains(&id),
            "{id} offers no fix on its invalid example ({rules_with_fixes:?})"
        );
    }
}
