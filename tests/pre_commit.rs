//! The pre-commit hooks with the real pre-commit: see `tests/pre-commit/run.sh`. It installs
//! pre-commit from PyPI into `target/pre-commit` and builds the hook at the repository's
//! HEAD commit (about a minute and a half the first time). Set `STSLINT_SKIP_PRE_COMMIT=1` to
//! skip it in a quick local loop; CI runs it.

#[test]
fn pre_commit_refuses_a_broken_statefulset_and_accepts_the_fix() {
    if std::env::var_os("STSLINT_SKIP_PRE_COMMIT").is_some() {
        eprintln!("skipped: STSLINT_SKIP_PRE_COMMIT is set");
        return;
    }
    let out = std::process::Command::new("bash")
        .arg("tests/pre-commit/run.sh")
        .output()
        .expect("bash runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("broken commit refused with the finding, fixed commit accepted"),
        "{text}"
    );
}
