//! No compiler needed: the Python wheel (maturin, `bindings = "bin"`, as ruff ships) carries the
//! binary. This builds one from the tree (the `dev` profile, so it reuses the test build),
//! installs it into a fresh virtual environment with pip, and runs the `stslint` pip put on
//! its PATH. maturin comes from PyPI into `target/wheel-tools` the first time.

use std::path::Path;
use std::process::Command;

fn sh(command: &mut Command) -> (bool, String) {
    let out = command.output().expect("command runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// A slow end-to-end test (a release build by maturin, a venv, pip): `.ci/run` runs it by name,
/// `cargo test --test wheel -- --ignored`, so that `cargo test` stays fast.
#[test]
#[ignore = "slow: builds and installs the wheel; .ci/run runs it with --ignored"]
fn pip_install_of_the_wheel_gives_a_working_stslint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tools = root.join("target/wheel-tools");
    let maturin = tools.join("bin/maturin");
    if !maturin.is_file() {
        let (ok, log) = sh(Command::new("python3").args(["-m", "venv"]).arg(&tools));
        assert!(ok, "{log}");
        let (ok, log) = sh(Command::new(tools.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "maturin>=1.5,<2",
        ]));
        assert!(ok, "installing maturin: {log}");
    }
    let work = std::env::temp_dir().join(format!("stslint-wheel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let (ok, log) = sh(Command::new(&maturin)
        .current_dir(root)
        .args(["build", "--profile", "dev", "--out"])
        .arg(work.join("wheels")));
    assert!(ok, "maturin build: {log}");
    let wheel = std::fs::read_dir(work.join("wheels"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .expect("a wheel was built");
    assert!(wheel
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with(&format!("stslint-{}-py3-none-", env!("CARGO_PKG_VERSION"))));

    let venv = work.join("venv");
    let (ok, log) = sh(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    assert!(ok, "{log}");
    let (ok, log) = sh(Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(&wheel));
    assert!(ok, "pip install: {log}");

    let installed = venv.join("bin/stslint");
    let (ok, version) = sh(Command::new(&installed).arg("--version"));
    assert!(ok);
    assert_eq!(
        version.trim(),
        format!("stslint {}", env!("CARGO_PKG_VERSION"))
    );
    let out = Command::new(&installed)
        .current_dir(root)
        .args(["check", "--format", "compact", "examples/lab"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("[invalid-helm-hook-annotation]"));
    let _ = std::fs::remove_dir_all(&work);
}
