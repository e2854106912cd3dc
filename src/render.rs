//! Charts and kustomizations named on the command line are rendered before linting, with the
//! tools their users already have: `helm template` for a directory holding `Chart.yaml`,
//! `kubectl kustomize` (or `kustomize build`) for one holding `kustomization.yaml`. Each
//! rendered object remembers the file it came from (Helm's `# Source:` comment, kustomize's
//! `config.kubernetes.io/origin` annotation), so CI annotations land on the file a human edits.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renderer {
    Helm,
    Kustomize,
}

/// How to render a directory, when it is a chart or a kustomization.
pub fn detect(dir: &Path) -> Option<Renderer> {
    if dir.join("Chart.yaml").is_file() {
        return Some(Renderer::Helm);
    }
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .any(|name| dir.join(name).is_file())
        .then_some(Renderer::Kustomize)
}

/// Values for `helm template`: `-f FILE` and `--set KEY=VALUE`, in order.
#[derive(Debug, Clone, Default)]
pub struct HelmValues {
    pub files: Vec<String>,
    pub set: Vec<String>,
    pub release: Option<String>,
    /// `--kube-version`: the Kubernetes version being checked, so that the chart's
    /// `.Capabilities` checks pick the APIs that version serves.
    pub kube_version: Option<String>,
}

/// The text of a kustomization's file.
fn kustomization_text(dir: &Path) -> Option<String> {
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .find_map(|name| std::fs::read_to_string(dir.join(name)).ok())
}

/// Whether a kustomization is a `Component` (built into others, never on its own).
pub fn is_component(dir: &Path) -> bool {
    kustomization_text(dir).is_some_and(|text| {
        crate::yaml::parse(&text)
            .documents
            .first()
            .and_then(|d| {
                d.root
                    .get("kind")
                    .and_then(|k| k.as_str().map(str::to_owned))
            })
            .as_deref()
            == Some("Component")
    })
}

/// The directories a kustomization includes (`resources`, `bases`, `components` that are
/// directories), canonical: linted through it, not rendered on their own.
pub fn included_dirs(dir: &Path) -> Vec<PathBuf> {
    let Some(text) = kustomization_text(dir) else {
        return Vec::new();
    };
    let parsed = crate::yaml::parse(&text);
    let Some(doc) = parsed.documents.first() else {
        return Vec::new();
    };
    ["resources", "bases", "components"]
        .iter()
        .filter_map(|key| doc.root.get(key))
        .flat_map(|list| list.items().iter())
        .filter_map(|item| item.as_str())
        .map(|entry| dir.join(entry))
        .filter(|path| path.is_dir())
        .filter_map(|path| std::fs::canonicalize(path).ok())
        .collect()
}

/// A rendered directory: the manifests, and where its templates live.
#[derive(Debug)]
pub struct Rendered {
    pub text: Vec<u8>,
    pub renderer: Renderer,
    /// The directory named on the command line.
    pub dir: PathBuf,
    /// Kustomize: the temporary directory origin paths are relative to.
    pub origin_base: Option<PathBuf>,
}

pub fn render(dir: &Path, renderer: Renderer, values: &HelmValues) -> Result<Rendered, String> {
    match renderer {
        Renderer::Helm => helm(dir, values),
        Renderer::Kustomize => kustomize(dir),
    }
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(tool).is_file()))
}

fn run(mut command: Command, what: &str) -> Result<Vec<u8>, String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(format!("{what} failed: {}", stderr.trim()));
    }
    Ok(out.stdout)
}

fn helm(dir: &Path, values: &HelmValues) -> Result<Rendered, String> {
    if !on_path("helm") {
        return Err(format!(
            "`{}` is a Helm chart, and rendering it needs `helm` on PATH (https://helm.sh/docs/intro/install/); or render it yourself: `helm template RELEASE {} | stslint check -`",
            dir.display(),
            dir.display()
        ));
    }
    let mut command = Command::new("helm");
    let release = values.release.as_deref().unwrap_or("release");
    command.arg("template").arg(release).arg(dir);
    for file in &values.files {
        command.arg("--values").arg(file);
    }
    for set in &values.set {
        command.arg("--set").arg(set);
    }
    if let Some(version) = &values.kube_version {
        command.arg("--kube-version").arg(version);
    }
    Ok(Rendered {
        text: run(command, "helm template")?,
        renderer: Renderer::Helm,
        dir: dir.to_path_buf(),
        origin_base: None,
    })
}

fn kustomize(dir: &Path) -> Result<Rendered, String> {
    // A wrapper kustomization asks for origin annotations without touching the user's files.
    let base = std::env::temp_dir().join(format!(
        "stslint-kustomize-{}-{}",
        std::process::id(),
        dir.display().to_string().len()
    ));
    std::fs::create_dir_all(&base).map_err(|e| format!("cannot create {}: {e}", base.display()))?;
    let target = std::path::absolute(dir).map_err(|e| e.to_string())?;
    let relative = relative_path(&base, &target);
    std::fs::write(
        base.join("kustomization.yaml"),
        format!(
            "resources: [\"{}\"]\nbuildMetadata: [originAnnotations]\n",
            relative.display()
        ),
    )
    .map_err(|e| e.to_string())?;
    let command = if on_path("kubectl") {
        let mut c = Command::new("kubectl");
        c.args(["kustomize", "--load-restrictor", "LoadRestrictionsNone"])
            .arg(&base);
        c
    } else if on_path("kustomize") {
        let mut c = Command::new("kustomize");
        c.args(["build", "--load-restrictor", "LoadRestrictionsNone"])
            .arg(&base);
        c
    } else {
        let _ = std::fs::remove_dir_all(&base);
        return Err(format!(
            "`{}` is a kustomization, and rendering it needs `kubectl` or `kustomize` on PATH; or render it yourself: `kubectl kustomize {} | stslint check -`",
            dir.display(),
            dir.display()
        ));
    };
    let text = run(command, "kustomize");
    let _ = std::fs::remove_file(base.join("kustomization.yaml"));
    let _ = std::fs::remove_dir(&base);
    Ok(Rendered {
        text: text?,
        renderer: Renderer::Kustomize,
        dir: dir.to_path_buf(),
        origin_base: Some(base),
    })
}

/// `to` relative to `from` (both absolute): `../../work/repo/deploy`.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}

/// Lexically normalised `base/relative` (no filesystem access): `a/b/../c` → `a/c`.
fn join_normalized(base: &Path, relative: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for part in base.join(relative).components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The source file a rendered object came from, from what the model keeps as its source:
/// Helm's `# Source: chart/templates/x.yaml` (the chart directory replaces the chart's name),
/// or kustomize's origin path.
pub fn source_file(rendered: &Rendered, source: Option<&str>) -> Option<PathBuf> {
    let source = source?;
    match rendered.renderer {
        Renderer::Helm => {
            let (_, inside) = source.split_once('/')?;
            // Subcharts: `web/charts/db/templates/x.yaml` is under the chart directory too.
            Some(rendered.dir.join(inside))
        }
        Renderer::Kustomize => {
            // The model keeps the origin annotation's `path:` value.
            let path = source.trim();
            let absolute = join_normalized(rendered.origin_base.as_deref()?, path);
            // Shown relative to the working directory when it is under it.
            let cwd = std::env::current_dir().ok()?;
            Some(
                absolute
                    .strip_prefix(&cwd)
                    .map(Path::to_path_buf)
                    .unwrap_or(absolute),
            )
        }
    }
}

/// For a place in rendered text (a related location of a finding): the template or base the
/// object holding it came from (Helm's `# Source:` header, kustomize's origin annotation),
/// and the field path of the place inside it (`spec.replicas`).
pub fn place_of(text: &str, offset: usize) -> Option<(String, String)> {
    let parsed = crate::yaml::parse(text);
    let mut previous_end = 0;
    for doc in &parsed.documents {
        let end = doc.span.end.max(doc.root.span.end);
        if !(doc.span.start <= offset && offset < end) {
            previous_end = end;
            continue;
        }
        let helm_source =
            crate::model::helm_source(&parsed.comments, previous_end, doc.root.span.start, end);
        let mut extracted = crate::model::Extracted::default();
        crate::model::extract(0, doc, helm_source, &mut extracted);
        let object = extracted.objects.first()?;
        let source = object.helm_source?.to_string();
        let mut path = Vec::new();
        let mut node = object.root;
        'descend: loop {
            for entry in node.entries() {
                if entry.key.span.contains(&offset) || entry.value.span.contains(&offset) {
                    path.push(entry.key.key_text()?.into_owned());
                    node = &entry.value;
                    continue 'descend;
                }
            }
            break;
        }
        return Some((source, path.join(".")));
    }
    None
}

/// Where in `text` (a template or a base file) a field is written, 1-based line and column:
/// on its value when `on_value` and the value is written on the key's line, else on its key. A base file that
/// parses is walked along the whole path (`spec.template.spec.containers[0].image`); a
/// template (`{{ }}` is not YAML) is searched for the first line holding `key:` for the
/// field's last key. The first line when neither finds it.
pub fn locate(text: &str, field_path: Option<&str>, on_value: bool) -> (usize, usize) {
    if let Some(found) = field_path.and_then(|p| locate_in_yaml(text, p, on_value)) {
        return found;
    }
    let key = field_path
        .and_then(|p| p.rsplit('.').next())
        .map(|k| k.split('[').next().unwrap_or(k))
        .filter(|k| !k.is_empty());
    if let Some(key) = key {
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim_start().trim_start_matches("- ");
            let unquoted = trimmed.trim_start_matches(['"', '\'']);
            if unquoted.starts_with(key)
                && unquoted[key.len()..]
                    .trim_start_matches(['"', '\''])
                    .starts_with(':')
            {
                let indent = line.chars().count() - line.trim_start().chars().count();
                let mut column = indent + 1;
                if on_value {
                    // The value written after `key:` on the same line (a template expression
                    // is where the value comes from).
                    let after = &line[line.find(':').map_or(line.len(), |c| c + 1)..];
                    let value = after.trim_start();
                    if !value.is_empty() && !value.starts_with('#') {
                        column = line.chars().count() - value.chars().count() + 1;
                    }
                }
                return (index + 1, column);
            }
        }
    }
    (1, 1)
}

/// [`locate`] in a file that parses as YAML: the field's place along its whole path.
fn locate_in_yaml(text: &str, field_path: &str, on_value: bool) -> Option<(usize, usize)> {
    let parsed = crate::yaml::parse(text);
    if !parsed.errors.is_empty() {
        return None;
    }
    let steps = path_steps(field_path)?;
    let lines = crate::source::LineIndex::new(text);
    parsed.documents.iter().find_map(|doc| {
        let mut node = &doc.root;
        let mut key_span = None;
        for step in &steps {
            match step {
                Step::Key(key) => {
                    let entry = node.entry(key)?;
                    key_span = Some(entry.key.span.clone());
                    node = &entry.value;
                }
                Step::Index(i) => {
                    node = node.items().get(*i)?;
                    key_span = None;
                }
                Step::Named(name) => {
                    node = node
                        .items()
                        .iter()
                        .find(|item| item.get("name").and_then(|n| n.as_str()) == Some(name))?;
                    key_span = None;
                }
            }
        }
        // The value when it is written on its key's line (a scalar, a flow collection, a
        // template expression); a block below its key is pointed at by the key.
        let span = match key_span {
            Some(key) if !(on_value && lines.line(node.span.start) == lines.line(key.start)) => key,
            _ => node.span.clone(),
        };
        let at = lines.position(text, span.start);
        Some((at.line as usize, at.column as usize))
    })
}

enum Step {
    Key(String),
    Index(usize),
    /// `[data]`: the list item of that name.
    Named(String),
}

/// The steps of a finding's field path: `spec.volumeClaimTemplates[data].spec`,
/// `spec.containers[0].image`.
fn path_steps(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        let mut rest = rest;
        while !rest.is_empty() {
            let (inner, after) = rest.split_once(']')?;
            steps.push(match inner.parse() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Named(inner.to_string()),
            });
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_and_normalisation() {
        assert_eq!(
            relative_path(Path::new("/tmp/x"), Path::new("/work/repo/deploy")),
            PathBuf::from("../../work/repo/deploy")
        );
        assert_eq!(
            join_normalized(Path::new("/tmp/x"), "../../work/repo/base/s.yaml"),
            PathBuf::from("/work/repo/base/s.yaml")
        );
    }

    #[test]
    fn a_field_is_found_by_its_last_key() {
        let text = "spec:\n  serviceName: {{ .Values.name }}\n";
        assert_eq!(locate(text, Some("spec.serviceName"), false), (2, 3));
        assert_eq!(locate(text, Some("spec.serviceName"), true), (2, 16));
        assert_eq!(
            locate(text, Some("spec.volumeClaimTemplates[data]"), false),
            (1, 1)
        );
        assert_eq!(locate(text, None, false), (1, 1));
    }

    #[test]
    fn a_base_file_is_walked_along_the_whole_path() {
        let text = "metadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n      - name: db\n        image: postgres:16\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {storageClassName: fast}\n";
        // Not the first `name:` of the file: the container's.
        assert_eq!(
            locate(text, Some("spec.template.spec.containers[0].name"), true),
            (7, 15)
        );
        assert_eq!(
            locate(text, Some("spec.template.spec.containers[0].image"), false),
            (8, 9)
        );
        assert_eq!(
            locate(text, Some("spec.template.spec.containers[0].image"), true),
            (8, 16)
        );
        assert_eq!(
            locate(text, Some("spec.template.spec.containers[db]"), false),
            (7, 9)
        );
        assert_eq!(
            locate(
                text,
                Some("spec.volumeClaimTemplates[0].spec.storageClassName"),
                true
            ),
            (11, 30)
        );
    }
}
