//! The paths being linted as they were at a git revision (`--previous-ref`): exported from
//! the repository into a temporary directory, read like any input, named `REV:path`.

use crate::discover::Discovery;
use crate::session::Input;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The files of a revision, exported: kept until findings are located in its charts' templates
/// and overlays' bases, then removed.
pub struct Export {
    dir: TempDir,
    label: String,
}

impl Export {
    /// `REV:path` for a file of the export (a template or base a previous render came from).
    pub fn display(&self, path: &Path) -> Option<String> {
        let inside = path.strip_prefix(&self.dir.0).ok()?;
        Some(format!(
            "{}:{}",
            self.label,
            inside.to_string_lossy().replace('\\', "/")
        ))
    }
}

/// What `paths` were at a revision.
pub type AtRevision = (Vec<Input>, Vec<String>, Option<Export>);

/// The inputs `paths` had at `rev`, notes on what could not be read (shown, not fatal: a
/// previous version that cannot be read only means less is compared), and the export.
pub fn inputs_at(discovery: &Discovery, paths: &[String], rev: &str) -> Result<AtRevision, String> {
    let on_disk: Vec<&String> = paths.iter().filter(|p| *p != "-").collect();
    let Some(first) = on_disk.first() else {
        return Ok((Vec::new(), Vec::new(), None));
    };
    let start = directory_of(Path::new(first.as_str()));
    let top = git(&start, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("--previous-ref needs a git repository around `{first}`: {e}"))?;
    let top = PathBuf::from(top.trim());
    // The first commit of a repository: everything is new.
    if rev == "HEAD" && git(&top, &["rev-parse", "--verify", "--quiet", "HEAD"]).is_err() {
        return Ok((Vec::new(), Vec::new(), None));
    }
    let (commit, label) = resolve(&top, rev)?;
    let temp = TempDir::new()?;
    // Kustomize overlays reach outside their directory (`../base`): export the whole tree
    // then; otherwise only the paths linted.
    let mut relative = Vec::new();
    let mut whole = false;
    let top_real = std::fs::canonicalize(&top).unwrap_or_else(|_| top.clone());
    for path in &on_disk {
        let absolute = std::fs::canonicalize(path.as_str())
            .map_err(|e| format!("cannot resolve `{path}`: {e}"))?;
        let rel = absolute
            .strip_prefix(&top_real)
            .map_err(|_| {
                format!(
                    "`{path}` is not inside the git repository at `{}`",
                    top.display()
                )
            })?
            .to_path_buf();
        whole |= absolute.is_dir()
            && crate::render::detect(&absolute) == Some(crate::render::Renderer::Kustomize);
        relative.push((path.to_string(), rel));
    }
    let mut specs: Vec<String> = Vec::new();
    if !whole {
        for (_, rel) in &relative {
            let spec = rel.to_string_lossy().replace('\\', "/");
            let spec = if spec.is_empty() {
                ".".to_owned()
            } else {
                spec
            };
            // A path that did not exist at REV is new: nothing to export for it.
            if spec == "." || git(&top, &["cat-file", "-e", &format!("{commit}:{spec}")]).is_ok() {
                specs.push(spec);
            }
        }
        if specs.is_empty() {
            return Ok((Vec::new(), Vec::new(), None));
        }
    }
    export(&top, &commit, &specs, &temp.0)?;
    let mut inputs = Vec::new();
    let mut notes = Vec::new();
    for (arg, rel) in &relative {
        let exported = temp.0.join(rel);
        if !exported.exists() {
            continue;
        }
        let exported_name = exported.to_string_lossy().trim_end_matches('/').to_owned();
        match discovery.inputs(std::slice::from_ref(&exported_name), false) {
            Ok(found) => {
                let shown = arg.trim_end_matches('/').trim_start_matches("./");
                for mut input in found {
                    let rest = input
                        .name
                        .strip_prefix(&exported_name)
                        .unwrap_or(&input.name);
                    input.name = previous_name(&label, shown, rest);
                    inputs.push(input);
                }
                // Renders are named like their input, for locating findings in their sources.
                for (name, _) in discovery.rendered.borrow_mut().iter_mut() {
                    if let Some(rest) = name.strip_prefix(&exported_name) {
                        *name = previous_name(&label, shown, rest);
                    }
                }
            }
            Err(e) => notes.push(format!("cannot read `{arg}` at `{label}`: {e}")),
        }
    }
    let export = Export { dir: temp, label };
    Ok((inputs, notes, Some(export)))
}

/// `REV:path` for a file found under the exported `arg` (`rest` is what follows it: `/x.yaml`,
/// ` (rendered by kustomize)`, or nothing).
fn previous_name(label: &str, arg: &str, rest: &str) -> String {
    let path = match rest.strip_prefix('/') {
        Some(under) if arg.is_empty() || arg == "." => under.to_owned(),
        Some(under) => format!("{arg}/{under}"),
        None => format!("{arg}{rest}"),
    };
    format!("{label}:{path}")
}

fn directory_of(path: &Path) -> PathBuf {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    }
}

/// The commit `rev` names and how findings show it: `A...B` (B defaults to HEAD) is their merge
/// base, shown by its short hash; any other revision as written.
fn resolve(top: &Path, rev: &str) -> Result<(String, String), String> {
    if let Some((a, b)) = rev.split_once("...") {
        let b = if b.is_empty() { "HEAD" } else { b };
        let base = git(top, &["merge-base", a, b])
            .map_err(|e| format!("no merge base for `{rev}`: {e}"))?;
        let base = base.trim().to_owned();
        let short = base.chars().take(12).collect();
        return Ok((base, short));
    }
    let commit = git(top, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .map_err(|_| format!("unknown git revision `{rev}` (in CI, fetch it first: `git fetch origin main`, or check out with `fetch-depth: 0`)"))?;
    Ok((commit.trim().to_owned(), rev.to_owned()))
}

/// `git archive COMMIT -- SPECS | tar -x -C DIR`.
fn export(top: &Path, commit: &str, specs: &[String], dir: &Path) -> Result<(), String> {
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["archive", "--format=tar", commit, "--"])
        .args(specs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let stdout = archive.stdout.take().ok_or("git archive gave no output")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dir)
        .stdin(stdout)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let archived = archive
        .wait_with_output()
        .map_err(|e| format!("git archive failed: {e}"))?;
    if !archived.status.success() {
        return Err(format!(
            "git archive {commit} failed: {}",
            String::from_utf8_lossy(&archived.stderr).trim()
        ));
    }
    if !tar.status.success() {
        return Err(format!(
            "cannot unpack the files of {commit}: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        ));
    }
    Ok(())
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("stslint-previous-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
