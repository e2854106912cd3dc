//! The VS Code extension (`editors/vscode`) in a real VS Code: it is type-checked, bundled
//! and packaged with `@vscode/vsce` as the linux-x64 package (this stslint inside), installed
//! into code-server from the npm registry, and driven by Playwright in Debian's Chromium
//! (`tests/vscode/run.mjs`): the lab's four findings at their lines in the Problems panel, the
//! rule's documentation on hover and by its command, the stray-quote quick fix, fix-all on
//! save, a Service renamed in one file and the StatefulSet's finding in another, and the
//! status item. Screenshots are kept in `target/vscode-e2e/artifacts`.
//!
//! Slow (code-server is 600 MB of packages the first time, then about 30 s): run by `.ci/run`
//! as `cargo test --test vscode -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(what: &str, command: &mut Command) -> String {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
#[ignore = "slow: installs code-server and Chromium; run by .ci/run"]
fn the_extension_works_in_a_real_vs_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/vscode-e2e");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();

    // Node.js 24, code-server, playwright-core, Chromium (tests/vscode/install.sh prints the
    // directory of the Node.js it installed).
    let installed = run(
        "tests/vscode/install.sh",
        Command::new("bash").arg(root.join("tests/vscode/install.sh")),
    );
    let node_bin = PathBuf::from(installed.lines().last().unwrap_or_default().trim());
    assert!(node_bin.join("node").is_file(), "{installed}");
    let path = format!(
        "{}:{}",
        node_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    // The extension as it is published for linux-x64: this stslint bundled.
    let extension = root.join("editors/vscode");
    let npm = |args: &[&str]| {
        run(
            &format!("npm {}", args.join(" ")),
            Command::new("npm")
                .args(args)
                .current_dir(&extension)
                .env("PATH", &path),
        )
    };
    npm(&["ci", "--no-audit", "--no-fund"]);
    npm(&["run", "typecheck"]);
    npm(&["run", "build"]);
    let bundled = extension.join("bundled/bin");
    std::fs::create_dir_all(&bundled).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_stslint"), bundled.join("stslint")).unwrap();
    // Debug symbols make the package 50 MB; the test does not need them.
    let _ = Command::new("strip").arg(bundled.join("stslint")).status();
    let vsix = out.join("stslint-linux-x64.vsix");
    npm(&[
        "exec",
        "--",
        "vsce",
        "package",
        "--no-dependencies",
        "--target",
        "linux-x64",
        "--out",
        vsix.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_dir_all(extension.join("bundled"));

    // The workspace the user opens: the lab chart, and an app split across two files.
    let workspace = out.join("workspace");
    std::fs::create_dir_all(workspace.join("lab")).unwrap();
    std::fs::create_dir_all(workspace.join("app")).unwrap();
    for (from, to) in [
        (
            "examples/lab/stateful-python-app.yaml",
            "lab/stateful-python-app.yaml",
        ),
        ("examples/kustomize/base/service.yaml", "app/service.yaml"),
        (
            "examples/kustomize/base/statefulset.yaml",
            "app/statefulset.yaml",
        ),
    ] {
        std::fs::copy(root.join(from), workspace.join(to)).unwrap();
    }

    let driven = Command::new(node_bin.join("node"))
        .arg(root.join("tests/vscode/run.mjs"))
        .arg(&vsix)
        .arg(&workspace)
        .arg(out.join("artifacts"))
        .env("PATH", &path)
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&driven.stdout),
        String::from_utf8_lossy(&driven.stderr)
    );
    assert!(
        driven.status.success(),
        "{log}\n(screenshots in {})",
        out.join("artifacts").display()
    );
    assert!(log.contains("all steps passed"), "{log}");
    for step in [
        "lab-findings",
        "hover",
        "rule-documentation",
        "quick-fix",
        "fix-all-on-save",
        "cross-file-update",
        "status-item",
    ] {
        assert!(
            log.contains(&format!("step: {step}")),
            "step {step} did not run:\n{log}"
        );
    }
}
