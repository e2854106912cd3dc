//! `.stslint.toml`: discovery, every key, and errors with the file's line and column.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("stslint-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::copy(
            "examples/lab/stateful-python-app.yaml",
            dir.join("sub/lab.yaml"),
        )
        .unwrap();
        Dir(dir)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.join(name), text).unwrap();
    }

    fn run(&self, cwd: &str, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
            .current_dir(self.0.join(cwd))
            .arg("check")
            .arg("--format")
            .arg("compact")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rules_of(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .map(|l| l.split('[').nth(1).unwrap().split(']').next().unwrap())
        .collect()
}

#[test]
fn config_in_a_parent_directory_is_found_and_applied() {
    let dir = Dir::new("parent");
    dir.write(
        ".stslint.toml",
        r#"fail-on = "warning"
ignore = ["helm"]

[rules.statefulset-missing-service-name]
severity = "error"

[rules.claim-template-no-storage-class]
enabled = true
"#,
    );
    let (code, out, _) = dir.run("sub", &["lab.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&out),
        [
            "statefulset-missing-service-name",
            "claim-template-not-mounted",
            "claim-template-no-storage-class"
        ]
    );
    assert!(
        out.starts_with("lab.yaml:75:1: error [statefulset-missing-service-name]"),
        "{out}"
    );
    // --isolated ignores it; the command line overrides it.
    let (code, out, _) = dir.run("sub", &["--isolated", "lab.yaml"]);
    assert_eq!((code, rules_of(&out).len()), (1, 4));
    let (code, _, _) = dir.run("sub", &["--fail-on", "never", "lab.yaml"]);
    assert_eq!(code, 0);
}

#[test]
fn errors_name_the_config_file_line_and_column_and_exit_2() {
    let dir = Dir::new("errors");
    let cases = [
        (
            "fail-on = \"warning\"\nrule = {}\n",
            "2:1",
            "unknown field `rule`",
        ),
        (
            "fail-on = \"sometimes\"\n",
            "1:11",
            "unknown variant `sometimes`",
        ),
        (
            "[rules.no-such-rule]\nenabled = true\n",
            "1:8",
            "unknown rule or category `no-such-rule`",
        ),
        (
            "kubernetes-version = \"latest\"\n",
            "1:22",
            "`latest` is not a Kubernetes version",
        ),
        (
            "kubernetes-version = \"1.12\"\n",
            "1:22",
            "Kubernetes 1.12 is not a version stslint can check: stslint knows 1.16 to 1.35",
        ),
        (
            "[rules.storage-request-out-of-bounds]\nmin = \"1 GB\"\n",
            "2:1",
            "option `min`: `1 GB` is not a storage quantity",
        ),
        (
            "[rules.storage-request-out-of-bounds]\nmax = \"1Gi\"\nmin = \"10Gi\"\n",
            "3:1",
            "`min` (10Gi) is larger than `max` (1Gi)",
        ),
        (
            "[rules.storage-request-out-of-bounds]\nmaximum = \"1Gi\"\n",
            "2:1",
            "unknown field `maximum`, expected `min` or `max`",
        ),
        (
            "[rules.storage]\nallowed = [\"x\"]\n",
            "2:1",
            "`allowed` is not a setting of category `storage`",
        ),
        (
            "[rules.helm-hook-missing-delete-policy]\nallowed = [\"x\"]\n",
            "2:1",
            "takes no option `allowed`",
        ),
        (
            "ignore = [\"helm\", \"nope\"]\n",
            "1:19",
            "unknown rule or category `nope`",
        ),
    ];
    for (text, position, message) in cases {
        dir.write(".stslint.toml", text);
        let (code, _, err) = dir.run(".", &["sub"]);
        assert_eq!(code, 2, "{text}");
        let config = dir.0.canonicalize().unwrap().join(".stslint.toml");
        let prefix = format!("error: {}:{position}: ", config.display());
        assert!(
            err.starts_with(&prefix) && err.contains(message),
            "{text}\n{err}"
        );
    }
    // Every problem at once, in the order of the file, not one per run.
    dir.write(
        ".stslint.toml",
        "kubernetes-version = \"1.99\"\nselect = [\"nope\"]\n[rules.nor-rule]\nenabled = true\n[rules.storage-request-out-of-bounds]\nmin = \"1 GB\"\n",
    );
    let (code, _, err) = dir.run(".", &["sub"]);
    assert_eq!(code, 2);
    let config = dir.0.canonicalize().unwrap().join(".stslint.toml");
    let config = config.display();
    assert_eq!(
        err,
        format!(
            "error: {config}:1:22: Kubernetes 1.99 is not a version stslint can check: stslint knows 1.16 to 1.35\n\
             error: {config}:2:11: unknown rule or category `nope`; `stslint rules` lists them\n\
             error: {config}:3:8: unknown rule or category `nor-rule`; `stslint rules` lists them\n\
             error: {config}:6:1: rule `storage-request-out-of-bounds`, option `min`: `1 GB` is not a storage quantity, e.g. \"10Gi\"\n"
        )
    );
}

/// Every decoding problem is said in one run, each at its key or value: not one per run.
#[test]
fn every_decoding_problem_is_reported_at_once() {
    let dir = Dir::new("decoding");
    dir.write(
        ".stslint.toml",
        "fail-on = \"bogus\"\nnamespace = \"shop\"\nunknown_key = 1\nforce-exclude = \"yes\"\n",
    );
    let (code, _, err) = dir.run(".", &["sub"]);
    assert_eq!(code, 2, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].ends_with(".stslint.toml:1:11: unknown variant `bogus`, expected one of `error`, `warning`, `info`, `never`"), "{err}");
    assert!(lines[1].ends_with(".stslint.toml:3:1: unknown field `unknown_key`, expected one of `fail-on`, `kubernetes-version`, `namespace`, `exclude`, `force-exclude`, `respect-gitignore`, `select`, `extend-select`, `ignore`, `enable-opt-in`, `rules`, `policies`, `policy`, `known-objects`"), "{err}");
    assert!(
        lines[2].contains(".stslint.toml:4:17: invalid type: string \"yes\", expected a boolean"),
        "{err}"
    );
}

#[test]
fn options_known_objects_and_explicit_config() {
    let dir = Dir::new("options");
    dir.write(
        "team.toml",
        r#"kubernetes-version = "1.24"

[rules.storage-request-out-of-bounds]
min = "2Gi"

[rules.service-type-not-allowed]
allowed = ["ClusterIP"]

[[known-objects]]
kind = "Service"
name = "shared-db"
"#,
    );
    dir.write(
        "sub/db.yaml",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: shared-db\n  podManagementPolicy: Parallel\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: \"postgres:16\", volumeMounts: [{name: data, mountPath: /d}]}]}\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\nspec: {schedule: '@daily', jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: job, image: busybox}]}}}}}\n",
    );
    let (_, out, err) = dir.run(".", &["--config", "team.toml", "sub/db.yaml"]);
    assert_eq!(
        err,
        "checked 1 file, 2 objects: 0 errors, 1 warning, 0 info\n"
    );
    assert_eq!(
        out,
        "sub/db.yaml:13:76: warning [storage-request-out-of-bounds] claim template `data` requests 1Gi, below the configured minimum 2Gi\n"
    );
    let (_, out, _) = dir.run(".", &["--config", "team.toml", "sub/lab.yaml"]);
    assert!(out.contains("warning [service-type-not-allowed] Service `stateful-python-app` has type LoadBalancer"), "{out}");
}

/// The published JSON schema of the configuration is generated; run with `UPDATE_SCHEMA=1`
/// to rewrite it.
#[test]
fn json_schema_is_current() {
    let schema = stslint::config::json_schema();
    let path = Path::new("stslint.schema.json");
    let current = std::fs::read_to_string(path).unwrap_or_default();
    if current != schema {
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &schema).unwrap();
        } else {
            panic!("stslint.schema.json is out of date: run `UPDATE_SCHEMA=1 cargo test --test config`");
        }
    }
    let value: serde_json::Value = serde_json::from_str(&schema).unwrap();
    assert!(value["properties"]["rules"].is_object());
}

/// What `.gitignore` files ignore is not walked (build output, vendored trees), as ruff and
/// ripgrep walk; `!pattern` takes a file back, a nested `.gitignore` decides below it, and
/// `respect-gitignore = false` or `--no-respect-gitignore` walks everything.
#[test]
fn walking_respects_gitignore() {
    let dir = Dir::new("gitignore");
    std::fs::create_dir_all(dir.0.join("build/keep")).unwrap();
    std::fs::create_dir_all(dir.0.join("deploy")).unwrap();
    std::fs::create_dir(dir.0.join(".git")).unwrap();
    dir.write(
        ".gitignore",
        "/build/\n*.generated.yaml\n!kept.generated.yaml\n",
    );
    dir.write("deploy/.gitignore", "local.yaml\n");
    let lab = std::fs::read_to_string(dir.0.join("sub/lab.yaml")).unwrap();
    for name in [
        "build/keep/lab.yaml",
        "deploy/lab.generated.yaml",
        "deploy/kept.generated.yaml",
        "deploy/local.yaml",
    ] {
        dir.write(name, &lab);
    }
    let files = |stdout: &str| {
        let mut files: Vec<String> = stdout
            .lines()
            .filter_map(|l| l.split(':').next())
            .map(str::to_owned)
            .collect();
        files.dedup();
        files
    };
    let (code, stdout, _) = dir.run(".", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        files(&stdout),
        ["deploy/kept.generated.yaml", "sub/lab.yaml"]
    );
    // Walked from below, the repository's `.gitignore` above still applies.
    let (_, stdout, _) = dir.run("deploy", &[]);
    assert_eq!(files(&stdout), ["kept.generated.yaml"]);
    let (_, stdout, _) = dir.run(".", &["--no-respect-gitignore"]);
    assert_eq!(files(&stdout).len(), 5, "{stdout}");
    dir.write(".stslint.toml", "respect-gitignore = false\n");
    let (_, stdout, _) = dir.run(".", &[]);
    assert_eq!(files(&stdout).len(), 5, "{stdout}");
    // A file named on the command line is linted even when ignored.
    std::fs::remove_file(dir.0.join(".stslint.toml")).unwrap();
    let (_, stdout, _) = dir.run(".", &["deploy/local.yaml"]);
    assert_eq!(files(&stdout), ["deploy/local.yaml"]);
}
