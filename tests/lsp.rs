//! The language server with a real client: pytest-lsp (PyPI) drives `stslint server` through
//! `tests/lsp/test_server.py`. pytest-lsp is installed into `target/lsp-venv` the first time.

use std::path::Path;
use std::process::Command;

#[test]
fn language_server_passes_the_pytest_lsp_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join("target/lsp-venv");
    if !venv.join("bin/pytest").is_file() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .unwrap()
            .success();
        assert!(ok, "cannot create {}", venv.display());
        let out = Command::new(venv.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "pytest-lsp>=1,<2",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "installing pytest-lsp: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The workspace the editor opens: the lab chart, an app split across files, a chart template.
    let ws = std::env::temp_dir().join(format!("stslint-lsp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(ws.join("app")).unwrap();
    std::fs::create_dir_all(ws.join("chart/templates")).unwrap();
    std::fs::copy(
        root.join("examples/lab/stateful-python-app.yaml"),
        ws.join("lab.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root.join("examples/kustomize/base/service.yaml"),
        ws.join("app/service.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root.join("examples/kustomize/base/statefulset.yaml"),
        ws.join("app/statefulset.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root.join("examples/chart/Chart.yaml"),
        ws.join("chart/Chart.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root.join("examples/chart/templates/statefulset.yaml"),
        ws.join("chart/templates/statefulset.yaml"),
    )
    .unwrap();
    let out = Command::new(venv.join("bin/pytest"))
        .args(["-q", "-p", "no:cacheprovider", "tests/lsp/test_server.py"])
        .current_dir(root)
        .env("STSLINT_BIN", env!("CARGO_BIN_EXE_stslint"))
        .env("STSLINT_WORKSPACE", &ws)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&ws);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(" passed"), "{text}");
}
