//! Every command the README shows in a `sh` block is run here, as a reader would paste it,
//! from a copy of the repository's examples: none may be a usage error (exit 2), and each must
//! do what the README says it does (a finding, a rendered chart, a rule's documentation).
//! Install commands are exercised elsewhere: `pip install` by `tests/wheel.rs`; `cargo
//! install`, `cargo run` and `cargo test` are the build itself; `docker` has no engine here.

mod support;

use std::process::Command;

fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let mut commands = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if in_sh
            && line.contains("stslint ")
            && !line.starts_with("pip ")
            && !line.starts_with("cargo ")
        {
            commands.push(line.to_string());
        }
    }
    commands
}

#[test]
fn every_readme_command_runs() {
    let commands = readme_commands();
    assert!(commands.len() >= 10, "found {} commands", commands.len());
    let helm_bin = support::helm_bin();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_stslint"))
        .parent()
        .unwrap()
        .to_path_buf();
    // A scratch copy, so baselines and reports are written outside the repository.
    let work = std::env::temp_dir().join(format!("stslint-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let copy = Command::new("cp")
        .args(["-r", "examples"])
        .arg(&work)
        .status()
        .unwrap();
    assert!(copy.success());
    for command in commands {
        let out = Command::new("bash")
            .arg("-c")
            .arg(&command)
            .current_dir(&work)
            .env(
                "PATH",
                format!(
                    "{}:{helm_bin}:{}",
                    bin.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "`{command}` exited {code:?}: {stderr}"
        );
        assert!(!stderr.contains("error:"), "`{command}`: {stderr}");
        let expected = if command.contains("--previous") {
            "claim-template-immutable"
        } else if command.contains("--diff") {
            "+       \"helm.sh/hook-delete-policy\": hook-succeeded\n"
        } else if command.contains("--write-baseline") {
            "wrote 4 findings"
        } else if command.contains("--baseline") {
            "baseline: 4 findings hidden"
        } else if command.starts_with("stslint rules") {
            "claim-template-missing-storage"
        } else if command.starts_with("stslint rule ") {
            "Invalid"
        } else if command.contains("values-prod.yaml") {
            "statefulset-service-not-found"
        } else if command.contains("kustomize") {
            "pdb-blocks-all-evictions"
        } else if command.contains("examples/lab") {
            "invalid-helm-hook-annotation"
        } else {
            ""
        };
        assert!(
            stdout.contains(expected) || stderr.contains(expected),
            "`{command}` should show `{expected}`:\n{stdout}{stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// The README's suppression example is a real file: it lints clean, and audits show what it hides.
#[test]
fn the_readme_suppression_example_silences_exactly_its_findings() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let file = std::fs::read_to_string("examples/suppressions/cache.yaml").unwrap();
    let shown: String = file.lines().take(9).map(|l| format!("{l}\n")).collect();
    assert!(
        readme.contains(&shown),
        "the README shows the start of examples/suppressions/cache.yaml"
    );
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
            .args(["check", "--format", "compact", "--fail-on", "info"])
            .args(extra)
            .arg("examples/suppressions")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    assert_eq!(run(&[]), (Some(0), String::new()));
    let (code, out) = run(&["--no-suppressions"]);
    assert_eq!(code, Some(1));
    let rules: Vec<&str> = out
        .lines()
        .map(|l| l.split(['[', ']']).nth(1).unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "pod-management-policy-not-set",
            "statefulset-missing-service-name",
            "statefulset-no-volume-claim-templates"
        ]
    );
}
