//! The GitHub Action and the pre-commit hook definitions call the real command line: their
//! commands are run here as the runner would run them.

use std::process::Command;

/// Runs the action's "Run stslint" step with bash, as a runner would, against the lab chart.
#[test]
fn github_action_step_runs_and_writes_sarif() {
    let action = std::fs::read_to_string("action.yml").unwrap();
    let step = action
        .split("- name: Run stslint")
        .nth(1)
        .expect("the action has a Run stslint step");
    let script: String = step
        .split("run: |\n")
        .nth(1)
        .unwrap()
        .lines()
        .map(|l| l.strip_prefix("        ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = std::env::temp_dir().join(format!("stslint-action-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("stslint/bin")).unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_stslint"),
        dir.join("stslint/bin/stslint"),
    )
    .unwrap();
    let sarif = dir.join("out.sarif");
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("RUNNER_TEMP", &dir)
        .env("STSLINT_PATHS", "examples/lab")
        .env("STSLINT_ARGS", "--fail-on error")
        .env("STSLINT_SARIF", &sarif)
        .env("STSLINT_JUNIT", "")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error ")).count(),
        2,
        "{stdout}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("::warning "))
            .count(),
        2,
        "{stdout}"
    );
    assert!(std::fs::read_to_string(&sarif)
        .unwrap()
        .contains("\"ruleId\": \"invalid-helm-hook-annotation\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The hooks' entries are valid `stslint` command lines.
#[test]
fn pre_commit_hook_entries_are_valid_commands() {
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries.len(), 5);
    for entry in entries {
        if entry.contains("--previous-ref HEAD") {
            // The upgrade hooks compare with HEAD: the lab as committed is no change.
            let args: Vec<&str> = entry.split_whitespace().skip(1).collect();
            let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
                .args(&args)
                .arg("examples/lab")
                .output()
                .unwrap();
            assert_eq!(
                (
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout).as_ref()
                ),
                (Some(0), ""),
                "{entry}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            continue;
        }
        let mut words = entry.split_whitespace();
        assert_eq!(words.next(), Some("stslint"));
        let args: Vec<&str> = words.collect();
        let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
            .args(&args)
            .arg("examples/lab")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{entry}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("invalid-helm-hook-annotation"));
    }
}
