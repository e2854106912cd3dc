//! The workflows (`.github/workflows/`) and, through the CI workflow's `uses: ./`, the
//! action's metadata (`action.yml`) pass actionlint, built from the Go module proxy by
//! `conformance/build.sh`. `.ci/run` runs this after that build, by name:
//! `cargo test --test workflows -- --ignored`.

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "needs conformance/bin/actionlint (conformance/build.sh); .ci/run runs it with --ignored"]
fn workflows_and_the_action_pass_actionlint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let actionlint = root.join("conformance/bin/actionlint");
    if !actionlint.is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "conformance/bin/actionlint is missing: run conformance/build.sh"
        );
        eprintln!("skipped: conformance/bin/actionlint is missing (conformance/build.sh)");
        return;
    }
    let mut workflows: Vec<_> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    workflows.sort();
    let names: Vec<String> = workflows
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["ci.yml", "release.yml"]);
    let out = Command::new(&actionlint)
        .current_dir(root)
        .args(["-no-color"])
        .args(&workflows)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // actionlint reads action.yml only through a workflow that uses it.
    let ci = std::fs::read_to_string(root.join(".github/workflows/ci.yml")).unwrap();
    assert!(ci.contains("- uses: ./\n"), "ci.yml runs the action");
    // A broken action.yml fails the same check: the proof that it is read.
    let broken = std::env::temp_dir().join(format!("stslint-actionlint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&broken);
    std::fs::create_dir_all(broken.join(".github/workflows")).unwrap();
    std::fs::write(broken.join(".github/workflows/ci.yml"), &ci).unwrap();
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    std::fs::write(
        broken.join("action.yml"),
        action.replacen("  paths:\n", "  paths: x: y\n", 1),
    )
    .unwrap();
    // actionlint finds the project (and so `./`) by its `.git`.
    let init = Command::new("git")
        .args(["init", "-q", "."])
        .current_dir(&broken)
        .status()
        .unwrap();
    assert!(init.success());
    let out = Command::new(&actionlint)
        .current_dir(&broken)
        .args(["-no-color", ".github/workflows/ci.yml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("could not parse action metadata"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let _ = std::fs::remove_dir_all(&broken);
}
