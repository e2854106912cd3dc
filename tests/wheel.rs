//! No compiler needed: the Python wheel (maturin, `bindings = "bin"`, as ruff ships) carries the
//! binary. This builds one from the tree as the release workflow does (`--zig`, linked against
//! glibc 2.17, so it installs on every glibc in general support; the `dev` profile to keep the
//! test short), checks its tag with `auditwheel show`, installs it into a fresh virtual
//! environment with pip, and runs the `stslint` pip put on its PATH. Then the musllinux wheel
//! (Alpine), whose binary is static. maturin, ziglang and auditwheel come from PyPI into
//! `target/wheel-tools` the first time; the musl target from rustup.

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
    if !tools.join("bin/auditwheel").is_file() {
        let (ok, log) = sh(Command::new("python3").args(["-m", "venv"]).arg(&tools));
        assert!(ok, "{log}");
        let (ok, log) = sh(Command::new(tools.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "maturin>=1.5,<2",
            "ziglang",
            "auditwheel",
        ]));
        assert!(ok, "installing maturin: {log}");
    }
    // maturin finds zig through the `ziglang` package of its own environment.
    let path = format!(
        "{}:{}",
        tools.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let work = std::env::temp_dir().join(format!("stslint-wheel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let build = |target: &str, compatibility: &str| {
        let out = work.join(target);
        let (ok, log) = sh(Command::new(&maturin)
            .current_dir(root)
            .env("PATH", &path)
            .args([
                "build",
                "--profile",
                "dev",
                "--locked",
                "--zig",
                "--target",
                target,
            ])
            .args(["--compatibility", compatibility, "--out"])
            .arg(&out));
        assert!(ok, "maturin build: {log}");
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "whl"))
            .expect("a wheel was built")
    };
    let show = |wheel: &Path| {
        let (ok, log) = sh(Command::new(tools.join("bin/auditwheel"))
            .arg("show")
            .arg(wheel));
        assert!(ok, "auditwheel show: {log}");
        log.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let wheel = build("x86_64-unknown-linux-gnu", "manylinux2014");
    assert_eq!(
        wheel.file_name().unwrap().to_string_lossy(),
        format!(
            "stslint-{}-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
            env!("CARGO_PKG_VERSION")
        )
    );
    let shown = show(&wheel);
    assert!(
        shown.contains("is consistent with the following platform tag: \"manylinux_2_17_x86_64\""),
        "{shown}"
    );

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

    // The musllinux wheel, for Alpine: its binary is static, so it runs here too.
    let (ok, log) = sh(Command::new("rustup").args(["target", "add", "x86_64-unknown-linux-musl"]));
    assert!(ok, "rustup target add x86_64-unknown-linux-musl: {log}");
    let wheel = build("x86_64-unknown-linux-musl", "musllinux_1_2");
    assert_eq!(
        wheel.file_name().unwrap().to_string_lossy(),
        format!(
            "stslint-{}-py3-none-musllinux_1_2_x86_64.whl",
            env!("CARGO_PKG_VERSION")
        )
    );
    let shown = show(&wheel);
    assert!(
        shown.contains("is consistent with the following platform tag: \"musllinux_1_2_x86_64\""),
        "{shown}"
    );
    let unpacked = work.join("musl");
    let (ok, log) = sh(Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&wheel)
        .arg(&unpacked));
    assert!(ok, "{log}");
    let binary = std::fs::read_dir(&unpacked)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".data"))
        .expect("the wheel's data directory")
        .join("scripts/stslint");
    let mut permissions = std::fs::metadata(&binary).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&binary, permissions).unwrap();
    let (ok, version) = sh(Command::new(&binary).arg("--version"));
    assert!(ok, "{version}");
    assert_eq!(
        version.trim(),
        format!("stslint {}", env!("CARGO_PKG_VERSION"))
    );
    let _ = std::fs::remove_dir_all(&work);
}
