//! What the end-to-end tests share: a scratch repository in the temporary directory, and
//! stslint run in it as a user would.
// Each test crate uses part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// A directory of files (a git repository once [`Repo::git_init`] ran), removed when dropped.
pub struct Repo(pub PathBuf);

impl Repo {
    /// An empty directory named after the test crate (`prefix`) and the test (`name`).
    pub fn new(prefix: &str, name: &str) -> Repo {
        let dir =
            std::env::temp_dir().join(format!("stslint-{prefix}-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Repo(dir)
    }

    /// The same as a git repository on `main`, with a committer.
    pub fn git_init(prefix: &str, name: &str) -> Repo {
        let repo = Repo::new(prefix, name);
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.email", "dev@example.com"]);
        repo.git(&["config", "user.name", "dev"]);
        repo
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .current_dir(&self.0)
            .args(args)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }

    pub fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Runs stslint in `cwd` (relative to the repository, `""` for its top); returns (code,
    /// stdout, stderr).
    pub fn run(&self, cwd: &str, args: &[&str]) -> (i32, String, String) {
        self.run_with_path(cwd, args, None)
    }

    /// The same with `dir` put first on PATH (a `helm` for the chart tests).
    pub fn run_with_path(
        &self,
        cwd: &str,
        args: &[&str],
        dir: Option<&str>,
    ) -> (i32, String, String) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_stslint"));
        command.current_dir(self.0.join(cwd)).args(args);
        if let Some(dir) = dir {
            command.env(
                "PATH",
                format!("{dir}:{}", std::env::var("PATH").unwrap_or_default()),
            );
        }
        let out = command.output().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// Helm's engine (helm-python-sdk from PyPI) behind a `helm template` wrapper, installed once by
/// `tests/helm/install.sh`: the directory to put first on PATH.
/// Installed once per test binary: tests run in parallel, and two installs at once would
/// rewrite the wrapper while the other test runs it.
pub fn helm_bin() -> String {
    static BIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let install = Command::new("bash")
            .arg("tests/helm/install.sh")
            .output()
            .expect("bash runs");
        assert!(
            install.status.success(),
            "installing helm-python-sdk failed: {}",
            String::from_utf8_lossy(&install.stderr)
        );
        String::from_utf8_lossy(&install.stdout).trim().to_string()
    })
    .clone()
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
