//! One real editor: headless Neovim (Debian's package; `.ci/run` installs it) with its built-in
//! LSP client runs `tests/neovim/lab.lua` against `stslint server` on the lab chart.

use std::process::Command;

#[test]
fn neovim_shows_the_lab_findings_and_the_quick_fix_removes_one() {
    if Command::new("nvim").arg("--version").output().is_err() {
        // CI installs Neovim; a developer machine without it skips, saying so.
        assert!(
            std::env::var_os("CI").is_none(),
            "nvim is missing on CI: .ci/run installs it"
        );
        eprintln!("skipped: nvim is not installed (apt-get install neovim)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("stslint-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lab.yaml");
    std::fs::copy("examples/lab/stateful-python-app.yaml", &file).unwrap();
    let out = Command::new("timeout")
        .args([
            "120",
            "nvim",
            "--headless",
            "-u",
            "NONE",
            "-c",
            "luafile tests/neovim/lab.lua",
        ])
        .env("STSLINT_BIN", env!("CARGO_BIN_EXE_stslint"))
        .env("STSLINT_FILE", &file)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{text}");
    for line in [
        "finding 75:1 statefulset-missing-service-name",
        "finding 142:15 claim-template-not-mounted",
        "finding 158:38 invalid-helm-hook-annotation",
        "finding 175:38 invalid-helm-hook-annotation",
        "action Remove the stray quote: `hook-succeeded`",
        "after 3 findings; line 158:        \"helm.sh/hook-delete-policy\": hook-succeeded",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
}
