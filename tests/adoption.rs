//! Adopting stslint on an existing repository: a baseline in one command, then only new
//! findings; `--context` for pre-commit runs that see only the staged files.

use std::path::PathBuf;
use std::process::Command;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stslint-adopt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cwd: &PathBuf, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn baseline_hides_recorded_findings_even_when_lines_move() {
    let dir = temp("baseline");
    let lab = std::fs::read_to_string("examples/lab/stateful-python-app.yaml").unwrap();
    std::fs::write(dir.join("app.yaml"), &lab).unwrap();
    let (code, _, err) = run(
        &dir,
        &["check", "--write-baseline", "baseline.json", "app.yaml"],
    );
    assert_eq!(
        (code, err.as_str()),
        (0, "wrote 4 findings to baseline `baseline.json`\n")
    );

    // Lines move and a new problem appears: only the new one is reported.
    let edited = format!(
        "# moved down\n\n{}",
        lab.replace(
            "  podManagementPolicy: Parallel\n",
            "  podManagementPolicy: parallel\n"
        )
    );
    std::fs::write(dir.join("app.yaml"), edited).unwrap();
    let (code, out, err) = run(
        &dir,
        &[
            "check",
            "--format",
            "compact",
            "--baseline",
            "baseline.json",
            "app.yaml",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(out, "app.yaml:151:24: error [invalid-pod-management-policy] `podManagementPolicy: parallel` is not a policy; did you mean `Parallel`?\n");
    assert_eq!(
        err,
        "baseline: 4 findings hidden, 0 baseline entries no longer occur\nchecked 1 file, 8 objects: 1 error, 0 warnings, 0 info\n"
    );

    // Fixing a baselined finding makes its entry stale.
    let fixed = lab.replace("hook-succeeded\"\n", "hook-succeeded\n");
    std::fs::write(dir.join("app.yaml"), fixed).unwrap();
    let (code, out, err) = run(
        &dir,
        &[
            "check",
            "--format",
            "compact",
            "--baseline",
            "baseline.json",
            "app.yaml",
        ],
    );
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(
        err,
        "baseline: 2 findings hidden, 2 baseline entries no longer occur\nchecked 1 file, 8 objects: 0 errors, 0 warnings, 0 info\n"
    );

    let (code, _, err) = run(&dir, &["check", "--baseline", "missing.json", "app.yaml"]);
    assert_eq!(code, 2, "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn context_files_resolve_references_without_being_reported() {
    let dir = temp("context");
    let lab = std::fs::read_to_string("examples/lab/stateful-python-app.yaml").unwrap();
    let (service, rest) = lab.split_at(
        lab.find("# Source: python-app/templates/statefulset.yaml")
            .unwrap(),
    );
    std::fs::write(dir.join("service.yaml"), service).unwrap();
    std::fs::write(
        dir.join("statefulset.yaml"),
        format!("---\n{rest}").replace(
            "  replicas: 2\n",
            "  replicas: 2\n  serviceName: stateful-python-app\n",
        ),
    )
    .unwrap();
    // Alone, the StatefulSet's Service looks missing.
    let (_, out, _) = run(&dir, &["check", "--format", "compact", "statefulset.yaml"]);
    assert!(out.contains("[statefulset-service-not-found]"), "{out}");
    // With the rest of the chart as context it is found, and findings on the context file
    // (its LoadBalancer Service now governs the StatefulSet) stay out of the report.
    let (_, out, _) = run(
        &dir,
        &[
            "check",
            "--format",
            "compact",
            "--context",
            ".",
            "statefulset.yaml",
        ],
    );
    assert!(!out.contains("[statefulset-service-not-found]"), "{out}");
    assert!(
        out.lines().all(|l| l.starts_with("statefulset.yaml:")),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The crate can be published (`cargo package --locked`, which also builds it, runs in
/// `.ci/run`): its metadata is complete, and it carries the sources, the rule catalogue it
/// embeds, the lock file and the licence, and nothing of the test equipment.
#[test]
fn the_crate_carries_what_it_builds_from_and_its_metadata() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["package", "--locked", "--list", "--allow-dirty"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "Cargo.lock",
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "src/main.rs",
        "rules/invalid-helm-hook-annotation.toml",
        "rules/coverage/kubernetes.toml",
    ] {
        assert!(files.contains(&needed), "{needed} missing from {files:?}");
    }
    assert!(
        !files.iter().any(|f| f.starts_with("conformance/")
            || f.starts_with("tests/")
            || f.starts_with("fuzz/")),
        "{files:?}"
    );
    let manifest = std::fs::read_to_string("Cargo.toml").unwrap();
    for key in [
        "description = ",
        "license = \"MIT\"",
        "repository = ",
        "readme = ",
        "keywords = ",
    ] {
        assert!(manifest.contains(key), "Cargo.toml has no {key}");
    }
}
