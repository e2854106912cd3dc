//! The engine: sources in, a sorted report out. Pure and deterministic: no printing, no
//! global state; reading files and rendering live outside.

use crate::diagnostic::{Diagnostic, FileId};
use crate::model::{self, Extracted};
use crate::rules::{self, ids, Context, Sink};
use crate::schema;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::suppress::{self, Suppression};
use crate::workspace::{Linked, Workspace};
use crate::yaml::{self, YamlErrorKind};
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One input: its name as shown in findings and its bytes (or why they could not be read).
#[derive(Debug)]
pub struct Input {
    pub name: String,
    pub content: Result<Vec<u8>, String>,
    /// Loaded only to resolve references (`--context`): its own findings are not reported.
    pub context_only: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    /// Documents that are not Kubernetes objects (no `apiVersion` and no `kind`).
    pub skipped_documents: usize,
}

#[derive(Debug)]
pub struct Report {
    pub files: Vec<SourceFile>,
    /// Bugs in stslint (a panic while linting a file or running a rule), caught so that the
    /// other files are still linted; the command exits 2 when there are any.
    pub internal_errors: Vec<String>,
    /// Every object linted (not the `--context` ones), in file order.
    pub objects: Vec<(FileId, crate::diagnostic::ObjectRef)>,
    /// Sorted by file name, position and rule id.
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

struct FileResult {
    source: SourceFile,
    diagnostics: Vec<Diagnostic>,
    linked: Vec<Linked>,
    suppressions: Vec<Suppression>,
    stats: Stats,
}

impl FileResult {
    /// A file read (or not) with nothing found yet.
    fn empty(name: String) -> FileResult {
        FileResult {
            source: SourceFile::new(name, ""),
            diagnostics: Vec::new(),
            linked: Vec::new(),
            suppressions: Vec::new(),
            stats: Stats {
                files: 1,
                ..Stats::default()
            },
        }
    }
}

pub fn lint(inputs: Vec<Input>, settings: &Settings) -> Report {
    let ctx = Context {
        kubernetes_version: settings.kubernetes_version,
        options: settings.options.clone(),
    };
    let enabled: Vec<&rules::RuleEntry> = rules::registry()
        .iter()
        .filter(|r| settings.is_enabled(r))
        .collect();
    let context_only: Vec<bool> = inputs.iter().map(|i| i.context_only).collect();
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let mut internal_errors = Vec::new();
    let results: Vec<FileResult> = inputs
        .into_par_iter()
        .enumerate()
        .map(|(file, input)| {
            let name = input.name.clone();
            catch_unwind(AssertUnwindSafe(|| lint_file(file, input, &enabled, &ctx)))
                .map_err(|panic| (name, panic_message(&*panic)))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .enumerate()
        .map(|(file, result)| {
            result.unwrap_or_else(|(name, message)| {
                internal_errors.push(format!("internal error while linting `{name}`: {message}"));
                FileResult::empty(names[file].clone())
            })
        })
        .collect();

    let mut files = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    let mut workspace = Workspace::default();
    workspace.files = results.len();
    workspace.file_names = names.clone();
    workspace.namespace = settings.namespace.clone();
    workspace.known = settings.known_objects.clone();
    let mut stats = Stats::default();
    let mut suppressions = Vec::new();
    for (file, result) in results.into_iter().enumerate() {
        suppressions.extend(result.suppressions);
        files.push(result.source);
        diagnostics.extend(result.diagnostics);
        workspace.objects.extend(result.linked);
        // The summary counts what was linted, not the `--context` files.
        if !context_only[file] {
            stats.files += result.stats.files;
            stats.documents += result.stats.documents;
            stats.objects += result.stats.objects;
            stats.skipped_documents += result.stats.skipped_documents;
        }
    }
    workspace.index();
    let diagnostics_before_links = diagnostics.len();
    for rule in &enabled {
        let mut sink = Sink {
            rule: rule.id,
            diagnostics: &mut diagnostics,
        };
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| {
            rule.rule.check_links(&workspace, &ctx, &mut sink)
        })) {
            internal_errors.push(format!(
                "internal error in rule `{}`: {}",
                rule.id,
                panic_message(&*panic)
            ));
        }
    }

    for d in &mut diagnostics[diagnostics_before_links..] {
        // Objects are in file order: look only at the finding's file.
        let from = workspace.objects.partition_point(|o| o.file < d.file);
        let owner = workspace.objects[from..]
            .iter()
            .take_while(|o| o.file == d.file)
            .find(|o| o.root.span.start <= d.span.start && d.span.end <= o.root.span.end);
        if let Some(owner) = owner {
            d.path = crate::fingerprint::field_path(&owner.root, &d.span);
        }
    }
    diagnostics.retain(|d| !context_only[d.file]);
    diagnostics.retain(|d| rules::find(d.rule).is_some_and(|r| settings.is_enabled(r)));
    if !settings.no_suppressions {
        suppressions.retain(|s| !context_only[s.file]);
        apply_suppressions(&mut diagnostics, &suppressions, &files, settings);
        diagnostics.retain(|d| rules::find(d.rule).is_some_and(|r| settings.is_enabled(r)));
    }
    for d in &mut diagnostics {
        if let Some(rule) = rules::find(d.rule) {
            d.severity = settings.severity_of(rule);
            if let Some(cap) = d.severity_cap {
                d.severity = d.severity.min(cap);
            }
        }
    }
    diagnostics.sort_by(|a, b| {
        (&files[a.file].name, a.span.start, a.rule, &a.message).cmp(&(
            &files[b.file].name,
            b.span.start,
            b.rule,
            &b.message,
        ))
    });
    diagnostics.dedup();
    let objects = workspace
        .objects
        .iter()
        .filter(|o| !context_only[o.file])
        .map(|o| (o.file, o.object().id()))
        .collect();
    Report {
        files,
        objects,
        internal_errors,
        diagnostics,
        stats,
    }
}

fn lint_file(
    file: FileId,
    input: Input,
    enabled: &[&rules::RuleEntry],
    ctx: &Context,
) -> FileResult {
    let mut result = FileResult::empty(input.name);
    let bytes = match input.content {
        Ok(bytes) => bytes,
        Err(reason) => {
            result.diagnostics.push(
                Diagnostic::new(
                    ids::unreadable_file,
                    file,
                    0..0,
                    format!("cannot read `{}`: {reason}", result.source.name),
                )
                .with_help("fix the path or its permissions, or leave it out with `--exclude`"),
            );
            return result;
        }
    };
    let text = match decode_text(file, &result.source.name, bytes) {
        Ok(text) => text,
        Err(failure) => {
            let (diagnostic, lossy) = *failure;
            result.source = SourceFile::new(result.source.name, lossy);
            result.diagnostics.push(diagnostic);
            return result;
        }
    };
    result.source = SourceFile::new(result.source.name, text);
    let text = result.source.text.clone();

    if let Some(at) = unrendered_template_at(&text) {
        result.diagnostics.push(
            Diagnostic::new(ids::unrendered_template, file, at..at + 2, "this file is an unrendered Helm template (`{{ ... }}`), not a manifest")
                .with_help("render the chart first and lint the result: `helm template RELEASE CHART | stslint check -`"),
        );
        return result;
    }

    let parsed = yaml::parse_parallel(&text);
    result.suppressions = suppress::from_comments(file, &result.source, &parsed.comments);
    for error in &parsed.errors {
        let (rule, help) = match error.kind {
            YamlErrorKind::Syntax => (
                ids::invalid_yaml,
                "fix the YAML syntax here; the file's other documents are still linted",
            ),
            YamlErrorKind::AliasExpansion => (
                ids::alias_expansion_too_large,
                "write the repeated structure out instead of nesting aliases",
            ),
        };
        result.diagnostics.push(
            Diagnostic::new(
                rule,
                file,
                error.offset..error.offset,
                error.message.clone(),
            )
            .with_help(help),
        );
    }
    // Documents are independent until the cross-object rules: a large stream is checked on
    // all cores (rayon keeps the order).
    let per_document = |index: usize| {
        let previous_end = index
            .checked_sub(1)
            .map_or(0, |i| parsed.documents[i].span.end);
        lint_document(
            file,
            &parsed.documents[index],
            previous_end,
            &parsed.comments,
            &text,
            enabled,
            ctx,
        )
    };
    let documents: Vec<FileResult> = if parsed.documents.len() > 64 {
        (0..parsed.documents.len())
            .into_par_iter()
            .map(per_document)
            .collect()
    } else {
        (0..parsed.documents.len()).map(per_document).collect()
    };
    for document in documents {
        result.diagnostics.extend(document.diagnostics);
        result.linked.extend(document.linked);
        result.suppressions.extend(document.suppressions);
        result.stats.documents += document.stats.documents;
        result.stats.objects += document.stats.objects;
        result.stats.skipped_documents += document.stats.skipped_documents;
    }
    result
}

/// One document's objects: extraction, schema, per-object rules, suppression annotations.
fn lint_document(
    file: FileId,
    doc: &yaml::Document,
    previous_end: usize,
    comments: &[yaml::Comment],
    text: &str,
    enabled: &[&rules::RuleEntry],
    ctx: &Context,
) -> FileResult {
    let mut result = FileResult::empty(String::new());
    result.stats.documents = 1;
    for dup in &doc.duplicate_keys {
        result.diagnostics.push(
            Diagnostic::new(
                ids::duplicate_key,
                file,
                dup.span.clone(),
                format!(
                    "duplicate key `{}`: the earlier value is silently dropped",
                    dup.key
                ),
            )
            .with_help("keep one of the two keys (strict validation rejects the object)")
            .with_related(file, dup.first.clone(), "first defined here"),
        );
    }
    let helm_source =
        model::helm_source(comments, previous_end, doc.span.end.max(doc.root.span.end));
    let mut extracted = Extracted::default();
    model::extract(file, doc, helm_source, &mut extracted);
    result.stats.skipped_documents = extracted.skipped;
    result.stats.objects = extracted.objects.len();
    result.diagnostics.append(&mut extracted.diagnostics);
    for object in &extracted.objects {
        let first = result.diagnostics.len();
        check_schema(object, text, &mut result.diagnostics);
        for rule in enabled {
            let mut sink = Sink {
                rule: rule.id,
                diagnostics: &mut result.diagnostics,
            };
            rule.rule.check_object(object, ctx, &mut sink);
        }
        for d in &mut result.diagnostics[first..] {
            d.helm_source = d
                .helm_source
                .take()
                .or(object.helm_source.map(str::to_owned));
            d.path = crate::fingerprint::field_path(object.root, &d.span);
        }
        result
            .suppressions
            .extend(suppress::from_annotations(object));
        result.linked.push(Linked::from_object(object));
    }
    result
}

/// Binary files and other encodings are one finding, named by the first offending byte.
fn decode_text(
    file: FileId,
    name: &str,
    bytes: Vec<u8>,
) -> Result<String, Box<(Diagnostic, String)>> {
    let sniff = &bytes[..bytes.len().min(8192)];
    if sniff.starts_with(&[0xff, 0xfe]) || sniff.starts_with(&[0xfe, 0xff]) {
        let d = Diagnostic::new(ids::not_text, file, 0..0, format!("`{name}` is UTF-16 text, not UTF-8"))
            .with_help("convert it: `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8` (PowerShell's `>` writes UTF-16)");
        return Err(Box::new((d, String::new())));
    }
    if let Some(at) = sniff.iter().position(|&b| b == 0) {
        let d = Diagnostic::new(
            ids::not_text,
            file,
            0..0,
            format!(
                "`{name}` is a binary file (NUL byte at offset {at}), not a YAML or JSON manifest"
            ),
        )
        .with_help("lint rendered manifests only, or leave this file out with `--exclude`");
        return Err(Box::new((d, String::new())));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let d = Diagnostic::new(ids::not_text, file, at..at, format!("`{name}` is not UTF-8 text (invalid byte at offset {at})"))
            .with_help("convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`, or leave it out with `--exclude`");
        Box::new((d, lossy))
    })
}

/// Where a Helm action sits in YAML structure (not inside a string a chart renders, such as
/// an Alertmanager template in a ConfigMap): `{{` at the start of a line, or as a plain value.
fn unrendered_template_at(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("{{") {
            return Some(offset + indent);
        }
        // `key: {{ ... }}` and `- {{ ... }}`: a plain scalar that starts with a template action.
        let value = trimmed
            .strip_prefix("- ")
            .map(str::trim_start)
            .unwrap_or(trimmed);
        if let Some(colon) = value.find(": {{") {
            if !value[..colon].contains(['"', '\'', '#']) {
                return Some(offset + line.len() - value.len() + colon + 2);
            }
        }
        offset += line.len();
    }
    None
}

fn check_schema(object: &model::Object<'_>, text: &str, out: &mut Vec<Diagnostic>) {
    let Some(problems) = schema::check(object) else {
        return;
    };
    for unknown in problems.unknown {
        let field = crate::fingerprint::field_path(object.root, &unknown.span)
            .unwrap_or_else(|| unknown.key.clone());
        let mut message = format!("unknown field `{field}` in {}", object.kind);
        let help = match schema::suggest(&unknown.key, unknown.expected) {
            Some(s) => {
                message.push_str(&format!("; did you mean `{s}`?"));
                format!("rename it to `{s}`: unknown fields are dropped silently, or rejected with strict validation")
            }
            None => format!(
                "the fields allowed here are: {}",
                unknown.expected.join(", ")
            ),
        };
        out.push(
            object
                .diag(ids::unknown_field, unknown.span, message)
                .with_help(help),
        );
    }
    for (message, span) in problems.type_errors {
        let raw = text.get(span.clone()).unwrap_or_default();
        let field = crate::fingerprint::field_path(object.root, &span)
            .map_or_else(String::new, |p| format!("`{p}`: "));
        let wants_string = message.contains("expected a string");
        let (message, help) = match crate::yaml::resolve_plain(raw) {
            crate::yaml::Value::Bool(b) if wants_string && !raw.eq_ignore_ascii_case(&b.to_string()) => (
                format!("{field}`{raw}` is the boolean {b} in YAML 1.1, as Kubernetes reads it, but a string is expected here"),
                format!("quote it: \"{raw}\""),
            ),
            crate::yaml::Value::Int(i) if wants_string && raw != i.to_string() => (
                format!("{field}`{raw}` is the number {i} in YAML 1.1, as Kubernetes reads it, but a string is expected here"),
                format!("quote it: \"{raw}\""),
            ),
            _ => (
                format!("{field}{}", plain_type_error(&message, raw)),
                "write a value of the expected type; quote strings that YAML 1.1 reads as booleans or numbers (\"yes\", \"on\", \"0644\")".to_string(),
            ),
        };
        out.push(
            object
                .diag(ids::invalid_field_type, span, message)
                .with_help(help),
        );
    }
}

/// serde's "invalid type: string \"three\", expected i32" in Kubernetes terms:
/// "`three` is a string, but an integer is expected".
fn plain_type_error(message: &str, raw: &str) -> String {
    let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.rsplit_once(", expected "))
    else {
        return format!("{message} (written `{}`)", shorten(raw));
    };
    let found = match found.split_whitespace().next().unwrap_or(found) {
        "string" => "a string",
        "integer" => "an integer",
        "floating" => "a number",
        "boolean" => "a boolean",
        "map" => "a mapping",
        "sequence" => "a list",
        "unit" => "null",
        _ => found,
    };
    let expected = match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" => "an integer",
        "f32" | "f64" => "a number",
        "a sequence" => "a list",
        e if e.starts_with("a map") || e.starts_with("struct ") => "a mapping",
        e => e,
    };
    format!(
        "`{}` is {found}, but {expected} is expected here",
        shorten(raw)
    )
}

fn shorten(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or_default();
    if first.chars().count() > 40 || first.len() < raw.len() {
        format!("{}…", first.chars().take(40).collect::<String>())
    } else {
        first.to_string()
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// Drops suppressed findings, then reports suppressions without a reason and those that
/// matched nothing.
fn apply_suppressions(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: &[Suppression],
    files: &[SourceFile],
    settings: &Settings,
) {
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (i, s) in suppressions.iter().enumerate() {
        by_file[s.file].push(i);
    }
    // (suppression, rule name) pairs that silenced something.
    let mut used: std::collections::HashSet<(usize, &str)> = std::collections::HashSet::new();
    diagnostics.retain(|d| {
        let line = files[d.file].position(d.span.start).line;
        let category = rules::find(d.rule).map_or("", |r| r.doc.category.as_str());
        let Some(&i) = by_file[d.file]
            .iter()
            .find(|&&i| suppressions[i].covers(d, line, category))
        else {
            return true;
        };
        let s = &suppressions[i];
        if let Some(name) = s
            .rules
            .iter()
            .find(|r| *r == d.rule || *r == category || *r == "all")
        {
            used.insert((i, name.as_str()));
        }
        false
    });
    for (i, s) in suppressions.iter().enumerate() {
        if let Some(why) = &s.malformed {
            diagnostics.push(
                Diagnostic::new(
                    ids::unused_suppression,
                    s.file,
                    s.span.clone(),
                    "this `stslint:` comment is not a suppression stslint can read",
                )
                .with_help(why.clone()),
            );
            continue;
        }
        if s.reason.is_none() {
            diagnostics.push(
                Diagnostic::new(ids::suppression_missing_reason, s.file, s.span.clone(), format!("suppression of {} gives no reason", s.rules.join(", ")))
                    .with_help("say why the finding does not apply, so reviewers can trust it: `# stslint: ignore[rule] reason`, or the `stslint.io/ignore-reason` annotation"),
            );
        }
        for name in &s.rules {
            if used.contains(&(i, name.as_str())) {
                continue;
            }
            let known = name == "all"
                || rules::registry()
                    .iter()
                    .any(|r| r.id == *name || r.doc.category == *name);
            let enabled = rules::registry().iter().any(|r| {
                (r.id == *name || r.doc.category == *name || name == "all")
                    && settings.is_enabled(r)
            });
            if known && !enabled {
                // The rule did not run: whether the suppression is needed cannot be known.
                continue;
            }
            let message = if known {
                format!("suppression of `{name}` matches no finding")
            } else {
                format!("suppression names `{name}`, which is no rule or category")
            };
            diagnostics.push(
                Diagnostic::new(ids::unused_suppression, s.file, s.span.clone(), message)
                    .with_help("remove it (the problem was fixed, or the suppression is on the wrong line); `stslint rules` lists the rule ids"),
            );
        }
    }
}
