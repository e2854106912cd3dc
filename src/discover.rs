//! Paths on the command line → inputs: files as named, directories walked for manifests,
//! `-` for stdin. Read errors become inputs that say why (reported as findings), never aborts.

use crate::input::{describe_io, Content, Input, MAX_FILE_BYTES};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum DiscoverError {
    /// A path named on the command line does not exist: a usage error.
    Missing(String),
    BadGlob(String, String),
    /// A chart or kustomization could not be rendered.
    Render(String),
}

impl std::fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiscoverError::Missing(p) => write!(f, "path `{p}` does not exist"),
            DiscoverError::BadGlob(g, e) => write!(f, "invalid exclude pattern `{g}`: {e}"),
            DiscoverError::Render(e) => write!(f, "{e}"),
        }
    }
}

pub struct Discovery {
    pub exclude: GlobSet,
    pub stdin_name: String,
    /// Apply `exclude` to files named on the command line too (ruff's `--force-exclude`):
    /// pre-commit names every staged file.
    pub force_exclude: bool,
    /// Leave out what `.gitignore` files ignore when walking a directory (ruff's
    /// `respect-gitignore`): build output and vendored trees are not the user's manifests.
    pub respect_gitignore: bool,
    /// Values for charts named on the command line.
    pub helm: crate::render::HelmValues,
    /// Charts and kustomizations rendered, by the input name their output got.
    pub rendered: std::cell::RefCell<Vec<(String, crate::render::Rendered)>>,
    /// Files left out because they are a chart's templates (`{{ }}` sources, not manifests).
    pub chart_templates: std::cell::Cell<usize>,
    /// Charts and kustomizations found walking a directory that could not be rendered, with
    /// why: told in the summary, never left out in silence.
    pub unrendered: std::cell::RefCell<Vec<(String, String)>>,
}

/// Where an exclusion pattern was written: a pattern with a `/` in a configuration file is
/// relative to that file's directory, like `.gitignore`; command-line patterns are relative to
/// the working directory.
pub fn anchor_pattern(pattern: &str, base: Option<&Path>) -> String {
    match base {
        Some(dir)
            if pattern.trim_end_matches('/').contains('/')
                && !pattern.starts_with('/')
                && !pattern.starts_with("**") =>
        {
            let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            format!("{}/{}", dir.display(), pattern.trim_start_matches("./"))
        }
        _ => pattern.to_string(),
    }
}

impl Discovery {
    pub fn new(exclude: &[String], stdin_name: Option<String>) -> Result<Self, DiscoverError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in exclude {
            let glob = Glob::new(pattern)
                .map_err(|e| DiscoverError::BadGlob(pattern.clone(), e.to_string()))?;
            builder.add(glob);
            // `--exclude vendor` also excludes what is under it.
            if let Ok(under) = Glob::new(&format!("{}/**", pattern.trim_end_matches('/'))) {
                builder.add(under);
            }
        }
        let exclude = builder
            .build()
            .map_err(|e| DiscoverError::BadGlob(exclude.join(","), e.to_string()))?;
        Ok(Discovery {
            exclude,
            stdin_name: stdin_name.unwrap_or_else(|| "-".into()),
            force_exclude: false,
            respect_gitignore: true,
            helm: crate::render::HelmValues::default(),
            rendered: std::cell::RefCell::new(Vec::new()),
            chart_templates: std::cell::Cell::new(0),
            unrendered: std::cell::RefCell::new(Vec::new()),
        })
    }

    /// Whether `path` matches an exclusion: as written, by its name, or absolute (patterns
    /// from a configuration file are anchored at its directory).
    pub fn excluded(&self, path: &Path) -> bool {
        let path = path.strip_prefix("./").unwrap_or(path);
        self.exclude.is_match(path)
            || path.file_name().is_some_and(|n| self.exclude.is_match(n))
            || std::path::absolute(path).is_ok_and(|a| self.exclude.is_match(a))
    }

    /// Every input under `paths`, in a stable order: as named, directories sorted by name.
    pub fn inputs(
        &self,
        paths: &[String],
        context_only: bool,
    ) -> Result<Vec<Input>, DiscoverError> {
        let mut inputs = Vec::new();
        for arg in paths {
            if arg == "-" {
                inputs.push(Input {
                    name: self.stdin_name.clone(),
                    content: read_stdin().map_or_else(Content::Unreadable, Content::Bytes),
                    context_only,
                });
                continue;
            }
            let path = Path::new(arg);
            let meta = match std::fs::metadata(path) {
                Ok(m) => m,
                Err(e) if std::fs::symlink_metadata(path).is_ok() => {
                    // A dangling or looping symlink: the path exists, its target cannot be read.
                    inputs.push(unreadable(arg.clone(), &e, context_only));
                    continue;
                }
                Err(_) => return Err(DiscoverError::Missing(arg.clone())),
            };
            if meta.is_dir() {
                // A chart or a kustomization named by its directory is rendered, not walked
                // (its templates are not manifests). As context, a directory is only walked.
                match crate::render::detect(path).filter(|_| !context_only) {
                    Some(renderer) => {
                        let rendered = crate::render::render(path, renderer, &self.helm)
                            .map_err(DiscoverError::Render)?;
                        self.add_rendered(arg.trim_end_matches('/'), rendered, &mut inputs);
                    }
                    None => self.walk(path, context_only, &mut inputs),
                }
            } else if is_chart_template(path) {
                self.chart_templates.set(self.chart_templates.get() + 1);
            } else if self.force_exclude && self.excluded(path) {
                continue;
            } else {
                // A file named explicitly is linted whatever its extension.
                inputs.push(read_input(arg.clone(), path, context_only));
            }
        }
        without_repeats(&mut inputs);
        Ok(inputs)
    }

    /// Adds the output of a rendered chart or kustomization as an input named after it.
    fn add_rendered(&self, dir: &str, rendered: crate::render::Rendered, inputs: &mut Vec<Input>) {
        let name = format!(
            "{dir} (rendered by {})",
            match rendered.renderer {
                crate::render::Renderer::Helm => "helm template",
                crate::render::Renderer::Kustomize => "kustomize",
            }
        );
        inputs.push(Input {
            name: name.clone(),
            content: Content::Bytes(rendered.text.clone()),
            context_only: false,
        });
        self.rendered.borrow_mut().push((name, rendered));
    }

    /// Renders the charts and kustomizations a walk found (not descended: their templates
    /// are not manifests, their bases are linted through them): each chart with its own
    /// values, each kustomization that no other one found includes. What cannot be rendered
    /// is told in the summary.
    fn render_found(
        &self,
        found: Vec<(PathBuf, crate::render::Renderer)>,
        inputs: &mut Vec<Input>,
    ) {
        use crate::render::Renderer;
        let included: std::collections::HashSet<PathBuf> = found
            .iter()
            .filter(|(_, r)| *r == Renderer::Kustomize)
            .flat_map(|(dir, _)| crate::render::included_dirs(dir))
            .collect();
        // The values given on the command line are for a chart named there, not for every
        // chart found; the release name and Kubernetes version hold for all.
        let values = crate::render::HelmValues {
            release: self.helm.release.clone(),
            kube_version: self.helm.kube_version.clone(),
            ..Default::default()
        };
        for (dir, renderer) in found {
            let canonical = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
            // A component is built only into the kustomizations that name it.
            let kustomize = renderer == Renderer::Kustomize;
            if kustomize && (included.contains(&canonical) || crate::render::is_component(&dir)) {
                continue;
            }
            let name = shown(&dir);
            match crate::render::render(Path::new(&name), renderer, &values) {
                Ok(rendered) => self.add_rendered(&name, rendered, inputs),
                Err(why) => self.unrendered.borrow_mut().push((name, why)),
            }
        }
    }

    fn walk(&self, root: &Path, context_only: bool, inputs: &mut Vec<Input>) {
        // Links to directories are not descended, as ripgrep and ruff walk: `--fix DIR`
        // must not reach files outside DIR. A link to a file is read through (and written
        // only when its target is under a path named: `app::WriteScope`).
        // Charts and kustomizations are rendered, not walked (as context, only walked).
        let found = std::cell::RefCell::new(Vec::new());
        let ignores = std::cell::RefCell::new(GitIgnores::above(root, self.respect_gitignore));
        let walker = walkdir::WalkDir::new(root)
            .follow_root_links(true)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                let is_dir = e.file_type().is_dir();
                if is_hidden(e.file_name())
                    || self.excluded(e.path())
                    || ignores.borrow_mut().ignored(e.path(), e.depth(), is_dir)
                {
                    return false;
                }
                if !context_only && is_dir {
                    if let Some(renderer) = crate::render::detect(e.path()) {
                        found.borrow_mut().push((e.path().to_path_buf(), renderer));
                        return false;
                    }
                }
                if is_dir && self.respect_gitignore {
                    ignores.borrow_mut().enter(e.path(), e.depth());
                }
                true
            });
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let link = entry.path_is_symlink() && entry.depth() > 0;
                    let file = if link {
                        match std::fs::metadata(entry.path()) {
                            Ok(target) => target.is_file(),
                            // A dangling or looping link: reported as unreadable if it
                            // looks like a manifest.
                            Err(e) if is_manifest(entry.path()) => {
                                inputs.push(unreadable(shown(entry.path()), &e, context_only));
                                continue;
                            }
                            Err(_) => false,
                        }
                    } else {
                        entry.file_type().is_file()
                    };
                    if file && is_manifest(entry.path()) {
                        if is_chart_template(entry.path()) {
                            self.chart_templates.set(self.chart_templates.get() + 1);
                            continue;
                        }
                        inputs.push(read_input(shown(entry.path()), entry.path(), context_only));
                    }
                }
                Err(e) => {
                    let name = e
                        .path()
                        .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                    let reason = if e.loop_ancestor().is_some() {
                        "symlink loop".to_string()
                    } else {
                        e.io_error().map_or_else(|| e.to_string(), describe_io)
                    };
                    inputs.push(Input {
                        name,
                        content: Content::Unreadable(reason),
                        context_only,
                    });
                }
            }
        }
        self.render_found(found.into_inner(), inputs);
    }
}

/// The `.gitignore` files that apply where a walk is: those of the directories above it up to
/// the repository's root (with `.git/info/exclude`), then each walked directory's own, innermost
/// deciding, as git decides.
struct GitIgnores {
    /// Each matcher with the depth of its directory in the walk (0 for the root and above).
    stack: Vec<(usize, ignore::gitignore::Gitignore)>,
}

impl GitIgnores {
    fn above(root: &Path, respect: bool) -> Self {
        let mut stack = Vec::new();
        if respect {
            let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
            for dir in root.ancestors() {
                stack.extend(Self::read(dir, ".gitignore").map(|g| (0, g)));
                if dir.join(".git").exists() {
                    stack.extend(Self::read(dir, ".git/info/exclude").map(|g| (0, g)));
                    break;
                }
            }
            // Innermost last, as `enter` pushes.
            stack.reverse();
        }
        Self { stack }
    }

    fn read(dir: &Path, file: &str) -> Option<ignore::gitignore::Gitignore> {
        let path = dir.join(file);
        if !path.is_file() {
            return None;
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
        // A line that is not a pattern is skipped, as git skips it.
        let _ = builder.add(&path);
        builder.build().ok().filter(|g| !g.is_empty())
    }

    /// A directory the walk goes into: its own `.gitignore` applies below it.
    fn enter(&mut self, dir: &Path, depth: usize) {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(ignore) = Self::read(&dir, ".gitignore") {
            self.stack.push((depth, ignore));
        }
    }

    fn ignored(&mut self, path: &Path, depth: usize, is_dir: bool) -> bool {
        // The walk is depth first: matchers of directories at this depth or deeper belong to
        // subtrees already left.
        while self
            .stack
            .last()
            .is_some_and(|(d, _)| *d >= depth && *d > 0)
        {
            self.stack.pop();
        }
        if self.stack.is_empty() {
            return false;
        }
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        for (_, ignore) in self.stack.iter().rev() {
            match ignore.matched(&path, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
        false
    }
}

/// A file under a Helm chart's `templates/` (or `crds/`-less template tree): `{{ }}` source,
/// linted once rendered (`stslint check CHART_DIR`), never as a manifest itself.
fn is_chart_template(path: &Path) -> bool {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "templates")
            && dir
                .parent()
                .is_some_and(|chart| chart.join("Chart.yaml").is_file())
    })
}

/// A walked path as findings show it: `stslint check` walks `.`, and shows `deploy/x.yaml`,
/// not `./deploy/x.yaml`.
fn shown(path: &Path) -> String {
    let name = path.display().to_string();
    name.strip_prefix("./").map(str::to_owned).unwrap_or(name)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

fn unreadable(name: String, error: &std::io::Error, context_only: bool) -> Input {
    Input {
        name,
        content: Content::Unreadable(describe_io(error)),
        context_only,
    }
}

/// Keeps one input per file: a file named twice, reached through a link or a second hard
/// link, or both named and walked is linted once, under the first name met. Linted twice, its
/// findings came twice and `--fix` wrote it once, then refused the other names as changed.
fn without_repeats(inputs: &mut Vec<Input>) {
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|input| match &input.content {
        Content::File(path) => file_identity(path).is_none_or(|id| seen.insert(id)),
        _ => true,
    });
}

/// What makes a regular file the same file under any name; `None` for anything else (a pipe,
/// a device, a file that cannot be read: each stays an input of its own).
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    meta.is_file().then(|| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<std::path::PathBuf> {
    std::fs::canonicalize(path).ok().filter(|p| p.is_file())
}

fn read_input(name: String, path: &Path, context_only: bool) -> Input {
    Input {
        name,
        content: Content::File(path.to_path_buf()),
        context_only,
    }
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "standard input is larger than the {MAX_FILE_BYTES}-byte limit"
        ));
    }
    Ok(bytes)
}
